import type { AttemptRecord } from '../../runners/domain.ts';
import type { RunSummary, SpecSummary } from '../../runners/summary/summary-types.ts';
import { ZERO_TOKENS, addTokens } from '../../runners/tokens.ts';
import {
  computeMedian,
  describeTokens,
  formatCost,
  formatCount,
  formatDuration,
  formatPercent,
  sumTokens,
} from './format.ts';
import type { ComparisonRowView, MatrixView } from './report-model-types.ts';

/** One (target, prompt variant) pair: a column of the matrix, a row of the comparison. */
export interface Cohort {
  targetId: string;
  promptVariantId: string;
}

export interface AttemptTally {
  attempts: number;
  passed: number;
  failed: number;
  timedOut: number;
  infraErrors: number;
}

/** Cohorts in the order the run declared its targets and prompt variants. */
export function listCohorts(summary: RunSummary): Cohort[] {
  const targetOrder = summary.targets.map((target) => target.id);
  const variantOrder = summary.promptVariants.map((variant) => variant.id);
  const seen = new Map<string, Cohort>();
  for (const { spec } of summary.specs) {
    seen.set(cohortKey(spec), { targetId: spec.targetId, promptVariantId: spec.promptVariantId });
  }
  const rank = (order: string[], id: string): number => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...seen.values()].sort(
    (left, right) =>
      rank(targetOrder, left.targetId) - rank(targetOrder, right.targetId) ||
      rank(variantOrder, left.promptVariantId) - rank(variantOrder, right.promptVariantId),
  );
}

export function cohortKey(cohort: Cohort): string {
  return JSON.stringify([cohort.targetId, cohort.promptVariantId]);
}

/** Counts every attempt, retries included, by outcome. */
export function tallyAttempts(attempts: AttemptRecord[]): AttemptTally {
  const tally: AttemptTally = { attempts: 0, passed: 0, failed: 0, timedOut: 0, infraErrors: 0 };
  for (const attempt of attempts) {
    tally.attempts += 1;
    switch (attempt.outcome.kind) {
      case 'passed':
        tally.passed += 1;
        break;
      case 'failed':
        tally.failed += 1;
        break;
      case 'timed-out':
        tally.timedOut += 1;
        break;
      case 'infra-error':
        tally.infraErrors += 1;
        break;
    }
  }
  return tally;
}

/** Attempts the model is answerable for: infra errors are left out of the denominator. */
export function countModelAttributable(tally: AttemptTally): number {
  return tally.passed + tally.failed + tally.timedOut;
}

export function buildComparisonRows(summary: RunSummary): ComparisonRowView[] {
  return listCohorts(summary).map((cohort) => {
    const specs = selectCohortSpecs(summary.specs, cohort);
    const attempts = specs.flatMap((spec) => spec.attempts);
    const tally = tallyAttempts(attempts);
    const attributable = countModelAttributable(tally);
    const target = summary.targets.find((candidate) => candidate.id === cohort.targetId);
    const tokens = attempts.reduce((total, attempt) => addTokens(total, attempt.tokens), ZERO_TOKENS);
    const agentTimes = attempts.filter((attempt) => attempt.outcome.kind !== 'infra-error').map((attempt) => attempt.timings.agentMs);
    const medianAgentMs = computeMedian(agentTimes);
    const rate = attributable === 0 ? null : tally.passed / attributable;
    return {
      targetId: cohort.targetId,
      model: target?.model ?? '(unknown target)',
      quantization: target?.quantization ?? '—',
      kind: target?.kind ?? '—',
      promptVariantId: cohort.promptVariantId,
      ...tally,
      pendingSpecs: specs.filter((spec) => spec.attempts.length === 0).length,
      passRate: formatPercent(tally.passed, attributable),
      passRatePercent: rate === null ? 0 : Math.round(rate * 100),
      passRateTone: rateTone(rate),
      medianAgentTime: medianAgentMs === null ? '—' : formatDuration(medianAgentMs),
      totalTokens: formatCount(sumTokens(tokens)),
      tokenBreakdown: describeTokens(tokens),
      cost: formatCost(attempts.reduce((total, attempt) => total + attempt.costUsd, 0)),
    };
  });
}

/** Scenarios × cohorts; each cell counts passed attempts over model-attributable ones. */
export function buildMatrix(summary: RunSummary, anchorOf: (attempt: AttemptRecord) => string): MatrixView {
  const cohorts = listCohorts(summary);
  const rows = listScenarios(summary).map((scenario) => ({
    scenarioId: scenario.id,
    title: scenario.title,
    cells: cohorts.map((cohort) => {
      const specs = selectCohortSpecs(summary.specs, cohort).filter((spec) => spec.spec.scenarioId === scenario.id);
      const attempts = specs.flatMap((spec) => spec.attempts);
      const first = attempts[0];
      if (specs.length === 0) return { label: '—', detail: 'not planned', tone: 'empty' as const, href: null };
      const tally = tallyAttempts(attempts);
      const attributable = countModelAttributable(tally);
      const extras = [
        tally.timedOut > 0 ? `${tally.timedOut} timed out` : null,
        tally.infraErrors > 0 ? `${tally.infraErrors} infra` : null,
        attempts.length === 0 ? 'pending' : null,
      ].filter((part) => part !== null);
      return {
        label: attributable === 0 ? '—' : `${tally.passed}/${attributable}`,
        detail: extras.join(' · '),
        tone: rateTone(attributable === 0 ? null : tally.passed / attributable),
        href: first === undefined ? null : `#${anchorOf(first)}`,
      };
    }),
  }));
  return { columns: cohorts, rows };
}

/** The run's scenarios, plus any a spec names that the run did not declare. */
export function listScenarios(summary: RunSummary): RunSummary['scenarios'] {
  const declared = new Set(summary.scenarios.map((scenario) => scenario.id));
  const undeclared = [...new Set(summary.specs.map((spec) => spec.spec.scenarioId))].filter((id) => !declared.has(id));
  return [...summary.scenarios, ...undeclared.map((id) => ({ id, title: id, fixture: '—', tags: [], turns: [] }))];
}

function selectCohortSpecs(specs: SpecSummary[], cohort: Cohort): SpecSummary[] {
  return specs.filter((spec) => spec.spec.targetId === cohort.targetId && spec.spec.promptVariantId === cohort.promptVariantId);
}

function rateTone(rate: number | null): 'good' | 'warn' | 'bad' | 'muted' {
  if (rate === null) return 'muted';
  if (rate >= 0.8) return 'good';
  if (rate >= 0.4) return 'warn';
  return 'bad';
}
