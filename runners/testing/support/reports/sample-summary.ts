import { makeAttempt } from '../../../bench/support/attempt-record.ts';
import { buildRunEvents, createSummaryFromSpecs, type RunFacts, type SpecAttempts } from '../../../bench/support/summary-from-specs.ts';
import type { AttemptOutcome, AttemptRecord } from '../../../core/domain/attempt.ts';
import type { CheckResult } from '../../../core/domain/check-result.ts';
import type { RunSpec } from '../../../core/domain/run-spec.ts';
import type { ResolvedTarget } from '../../../core/domain/target.ts';
import type { TranscriptEntry } from '../../../core/domain/transcript.ts';
import type { HarnessEvent } from '../../../pipeline/events/event-types.ts';
import type { RunSummary } from '../../../pipeline/summary/summary-types.ts';
import { makeFailingChecks, makePassingChecks } from './sample-checks.ts';
import { FAILED_DIFF, PASSED_DIFF, makeFailedTranscript, makePassedTranscript, makeShortTranscript, makeTokens } from './sample-transcripts.ts';

export interface SampleOptions {
  scriptedModel?: boolean;
}

interface AttemptParts {
  outcome: AttemptOutcome;
  checks?: CheckResult[];
  transcript: TranscriptEntry[];
  diff?: string;
  changedFiles?: string[];
  agentMs: number;
  attemptNumber?: number;
}

/** A run before it is summarized: its specs with their attempts, its targets and what `run.started` says. */
export interface SampleRun {
  specs: SpecAttempts[];
  targets: ResolvedTarget[];
  facts: RunFacts;
}

/**
 * A realistic run: two targets, two prompt variants, two scenarios. It holds a passed attempt,
 * a failed one (typecheck and permissions evidence), a timed-out one, an infra error retried
 * into a pass, a spec whose only attempt is an infra error, and a pending spec.
 */
export function createSampleRun(options: SampleOptions = {}): SampleRun {
  const specs: SpecAttempts[] = [
    makeSpec('sortable', 'qwen-fp16', 'default', [
      makeSampleAttempt('s1', { outcome: { kind: 'passed' }, checks: makePassingChecks(), transcript: makePassedTranscript(), diff: PASSED_DIFF,
        changedFiles: ['src/components/HoldingsTable.tsx', 'src/lib/compare-by.ts'], agentMs: 31_500 }),
    ]),
    makeSpec('sortable', 'qwen-awq', 'default', [
      makeSampleAttempt('s2', { outcome: { kind: 'failed', failedChecks: ['typecheck', 'tests', 'permissions'] }, checks: makeFailingChecks(),
        transcript: makeFailedTranscript(), diff: FAILED_DIFF, changedFiles: ['package.json', 'src/components/HoldingsTable.tsx'], agentMs: 41_500 }),
    ]),
    makeSpec('currency', 'qwen-fp16', 'default', [
      makeSampleAttempt('s3', { outcome: { kind: 'timed-out', afterMs: 300_000 }, transcript: makeShortTranscript('Format amounts as EUR.'), agentMs: 300_000 }),
    ]),
    makeSpec('currency', 'qwen-awq', 'default', [
      makeSampleAttempt('s4', { outcome: { kind: 'infra-error', source: 'endpoint', message: 'connect ECONNREFUSED 10.0.0.7:8000' }, transcript: [], agentMs: 150 }),
      makeSampleAttempt('s4', { outcome: { kind: 'passed' }, checks: makePassingChecks(), transcript: makePassedTranscript(), diff: PASSED_DIFF,
        changedFiles: ['src/components/HoldingsTable.tsx'], agentMs: 20_000, attemptNumber: 2 }),
    ]),
    makeSpec('currency', 'qwen-fp16', 'terse', [
      makeSampleAttempt('s5', { outcome: { kind: 'infra-error', source: 'opencode', message: 'OpenCode server exited with code 1 before the session started' },
        transcript: [], agentMs: 900 }),
    ]),
    makeSpec('sortable', 'qwen-fp16', 'terse', []),
  ];
  const targets: ResolvedTarget[] = [
    { kind: 'openai-compatible', id: 'qwen-fp16', model: 'Qwen/Qwen2.5-Coder-32B-Instruct', quantization: 'fp16', baseURL: 'http://10.0.0.7:8000/v1',
      limits: { context: 32_768, output: 4096 }, sampling: { temperature: 0.2 } },
    { kind: 'openai-compatible', id: 'qwen-awq', model: 'Qwen/Qwen2.5-Coder-32B-Instruct-AWQ', quantization: 'awq-int4', baseURL: 'http://10.0.0.8:8000/v1',
      limits: { context: 32_768, output: 4096 }, sampling: { temperature: 0.2 } },
  ];
  const facts: RunFacts = {
    runId: '2025-06-02T09-00-00Z-3f9a',
    startedAt: '2025-06-02T09:00:00.000Z',
    finishedAt: '2025-06-02T09:12:41.000Z',
    scriptedModel: options.scriptedModel ?? false,
    harnessVersion: '0.1.0',
    opencodeVersion: '1.18.33',
    configFile: '/work/main/harness.config.ts',
    isolation: { kind: 'bubblewrap', binary: '/usr/bin/bwrap' },
    scenarios: [
      { id: 'sortable', title: 'Sortable holdings table', fixture: 'portfolio-dashboard', tags: ['ui', 'react'],
        turns: ['Make the holdings table sortable by clicking a column header.', 'Also keep the sort when the rows refresh.'] },
      { id: 'currency', title: 'Format amounts as EUR', fixture: 'portfolio-dashboard', tags: ['i18n'], turns: ['Format amounts as EUR.'] },
    ],
    promptVariants: [
      { id: 'default', description: 'The full system prompt.' },
      { id: 'terse', description: 'A short system prompt.' },
    ],
    renderedPrompts: {
      'sortable/default': 'You are a careful coding agent.\nOnly edit files under src/.',
      'currency/terse': 'Edit src/ only.',
    },
  };
  return { specs, targets, facts };
}

/** The sample run summarized by the real `summarizeRun` (it is incomplete: one spec is pending). */
export function createSampleSummary(options: SampleOptions = {}): RunSummary {
  const { specs, targets, facts } = createSampleRun(options);
  return createSummaryFromSpecs(specs, targets, { ...facts, status: 'incomplete' });
}

/** The sample run's event log, as the executor would have written it. */
export function createSampleEvents(options: SampleOptions = {}): HarnessEvent[] {
  const { specs, targets, facts } = createSampleRun(options);
  return buildRunEvents(specs, targets, facts);
}

function makeSpec(scenarioId: string, targetId: string, promptVariantId: string, attempts: AttemptRecord[]): SpecAttempts {
  const spec: RunSpec = { id: `${scenarioId}-${targetId}-${promptVariantId}-0`, scenarioId, targetId, promptVariantId, repeatIndex: 0 };
  return { spec, attempts: attempts.map((attempt) => ({ ...attempt, specId: spec.id })) };
}

function makeSampleAttempt(key: string, parts: AttemptParts): AttemptRecord {
  const attemptNumber = parts.attemptNumber ?? 1;
  return makeAttempt({
    specId: '',
    attemptNumber,
    attemptId: `${key}-attempt-${attemptNumber}`,
    outcome: parts.outcome,
    checks: parts.checks,
    transcript: parts.transcript,
    diff: parts.diff,
    changedFiles: parts.changedFiles,
    tokens: parts.transcript.length === 0 ? makeTokens(0, 0) : makeTokens(11_500, 500),
    timings: { sandboxMs: 1800, agentMs: parts.agentMs },
    startedAt: '2025-06-02T09:00:05.000Z',
  });
}
