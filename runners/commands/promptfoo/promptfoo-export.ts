import { createHash } from 'node:crypto';
import type { CompletedPrompt, EvaluateResult, EvaluateSummaryV3, GradingResult, UnifiedConfig } from 'promptfoo';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { RunSummary, SpecSummary } from '../../pipeline/summary/summary-types.ts';
import { readAttemptMetadata } from './attempt-metadata.ts';
import { gradeAttempt } from './grade-attempt.ts';
import { completeTokenUsage, computePromptMetrics, computeStats } from './prompt-metrics.ts';
import { toProviderResponse } from './provider-response.ts';

/** The prompt every harness column shares: the scenario id, rendered per test. */
export const SCENARIO_PROMPT = { raw: '{{scenario}}', label: 'scenario' } as const;

/**
 * What `promptfoo eval -o out.json` writes and `promptfoo import` reads: an eval id, the
 * EvaluateSummary (version 3: results, prompts, stats), the config and some metadata.
 */
export interface PromptfooEvalFile {
  evalId: string;
  results: EvaluateSummaryV3;
  config: Partial<UnifiedConfig>;
  shareableUrl: null;
  metadata: { evaluationCreatedAt: string; exportedAt: string; source: 'harness export'; runId: string; runDir: string; harnessVersion: string; opencodeVersion: string; scriptedModel: boolean; pendingSpecs: number };
  vars: string[];
}

/**
 * A harness run as a promptfoo eval, so `promptfoo import` + `promptfoo view` show it next to
 * other evals. Rows and grading are built by the same code as the live promptfoo provider and
 * assertion, so an exported run reads exactly like one evaluated through promptfoo. One row per
 * spec (its last attempt); specs that never finished are left out and counted in metadata.
 */
export function toPromptfooEvalFile(summary: RunSummary, runDir: string, exportedAt: Date = new Date()): PromptfooEvalFile {
  const finished = summary.specs.filter((spec) => spec.attempts.length > 0);
  const cohorts = uniqueKeys(finished.map((spec) => cohortOf(spec.spec)));
  const rows = uniqueKeys(finished.map((spec) => rowOf(spec.spec))).sort(compareRows(summary));
  const promptId = createHash('sha256').update(SCENARIO_PROMPT.label).digest('hex');
  const results = finished.map((spec) => toEvaluateResult(summary, runDir, spec, { promptIdx: cohorts.indexOf(cohortOf(spec.spec)), testIdx: rows.indexOf(rowOf(spec.spec)), promptId }));
  results.sort((a, b) => a.testIdx - b.testIdx || a.promptIdx - b.promptIdx);
  const prompts: CompletedPrompt[] = cohorts.map((cohort, promptIdx) => ({
    id: promptId,
    ...SCENARIO_PROMPT,
    provider: cohort,
    metrics: computePromptMetrics(results.filter((result) => result.promptIdx === promptIdx)),
  }));
  const durationMs = summary.finishedAt === null ? undefined : Date.parse(summary.finishedAt) - Date.parse(summary.startedAt);
  return {
    evalId: `eval-harness-${summary.runId}`,
    results: { version: 3, timestamp: summary.startedAt, prompts, results, stats: computeStats(results, durationMs) },
    config: {
      description: `harness run ${summary.runId}`,
      prompts: [SCENARIO_PROMPT.raw],
      providers: cohorts.map((cohort) => ({ id: providerIdOf(cohort), label: cohort, config: splitCohort(cohort) })),
      tests: summary.scenarios.map((scenario) => ({ description: scenario.id, vars: { scenario: scenario.id } })),
    },
    shareableUrl: null,
    metadata: {
      evaluationCreatedAt: summary.startedAt,
      exportedAt: exportedAt.toISOString(),
      source: 'harness export',
      runId: summary.runId,
      runDir,
      harnessVersion: summary.harnessVersion,
      opencodeVersion: summary.opencodeVersion,
      scriptedModel: summary.scriptedModel,
      pendingSpecs: summary.specs.length - finished.length,
    },
    vars: ['scenario'],
  };
}

interface ResultPlace {
  promptIdx: number;
  testIdx: number;
  promptId: string;
}

function toEvaluateResult(summary: RunSummary, runDir: string, spec: SpecSummary, place: ResultPlace): EvaluateResult {
  const { scenarioId } = spec.spec;
  const response = toProviderResponse({ runId: summary.runId, runDir, spec: spec.spec, attempts: spec.attempts });
  const grading = response.error === undefined ? gradeResponse(response.metadata) : null;
  const vars = { scenario: scenarioId };
  return {
    id: createHash('sha256').update(`${summary.runId}/${spec.attempts.at(-1)?.attemptId ?? spec.spec.id}`).digest('hex').slice(0, 32),
    promptIdx: place.promptIdx,
    testIdx: place.testIdx,
    testCase: { description: scenarioId, vars, assert: [], options: {}, metadata: {} },
    promptId: place.promptId,
    provider: { id: providerIdOf(cohortOf(spec.spec)), label: cohortOf(spec.spec) },
    prompt: { raw: scenarioId, label: SCENARIO_PROMPT.label },
    vars,
    response,
    error: response.error ?? (grading?.pass === true ? null : (grading?.reason ?? null)),
    failureReason: grading === null ? 2 : grading.pass ? 0 : 1,
    success: grading?.pass === true,
    score: grading?.score ?? 0,
    latencyMs: response.latencyMs ?? 0,
    gradingResult: grading,
    namedScores: grading?.namedScores ?? {},
    cost: response.cost ?? 0,
    metadata: response.metadata ?? {},
    tokenUsage: completeTokenUsage(response.tokenUsage),
  };
}

function gradeResponse(metadata: unknown): GradingResult {
  const read = readAttemptMetadata(metadata);
  if (read.status !== 'read') throw new Error(`internal: exported metadata does not read back: ${read.reason}`);
  return gradeAttempt(read.metadata);
}

// Cohort `target/variant` (also the column's label, as in the example config) and row `scenario#repeat` keys.
function cohortOf(spec: RunSpec): string {
  return `${spec.targetId}/${spec.promptVariantId}`;
}

function splitCohort(cohort: string): { target: string; promptVariant: string } {
  const [target = '', promptVariant = ''] = cohort.split('/');
  return { target, promptVariant };
}

function providerIdOf(cohort: string): string {
  const { target, promptVariant } = splitCohort(cohort);
  return `harness:${target}:${promptVariant}`;
}

function rowOf(spec: RunSpec): string {
  return `${spec.scenarioId}#${spec.repeatIndex}`;
}

function compareRows(summary: RunSummary): (a: string, b: string) => number {
  const order = new Map(summary.scenarios.map((scenario, index) => [scenario.id, index]));
  const parse = (row: string) => {
    const cut = row.lastIndexOf('#');
    return { scenario: order.get(row.slice(0, cut)) ?? Number.MAX_SAFE_INTEGER, repeat: Number(row.slice(cut + 1)) };
  };
  return (a, b) => parse(a).scenario - parse(b).scenario || parse(a).repeat - parse(b).repeat;
}

function uniqueKeys(keys: string[]): string[] {
  return [...new Set(keys)];
}
