import { comparePaired } from '../../runners/pipeline/summary/paired-comparison.ts';
import type { CohortKey, RunSummary, SpecSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { formatPValue, formatPoints, formatRate } from './format.ts';
import { cohortIdOf } from './run-index.ts';

export type TrendDirection = 'up' | 'down' | 'flat';

export interface TrendView {
  direction: TrendDirection;
  /** ▲ ▼ or ▶ */
  arrow: string;
  /** `+12 pts` */
  delta: string;
  /** Whether the paired test across the two runs says the change is real (p < alpha). */
  isSignificant: boolean;
  /** `was 60%` */
  previousRate: string;
  /** The whole story, for a tooltip and for print. */
  detail: string;
}

export interface PreviousRunView {
  runId: string;
  startedAt: string;
  /** How many of this run's cohorts the previous run also had. */
  matchingCohorts: number;
}

/**
 * Trend of one cohort against the previous comparable run: the change in pass rate, with the
 * same paired test the run uses between cohorts (same scenario and repeat in both runs), so an
 * arrow is called significant only when p < alpha.
 */
export function buildTrend(key: CohortKey, current: RunSummary, previous: RunSummary): TrendView | null {
  const now = current.statistics.cohorts.find((cohort) => cohortIdOf(cohort.key) === cohortIdOf(key));
  const before = previous.statistics.cohorts.find((cohort) => cohortIdOf(cohort.key) === cohortIdOf(key));
  if (now?.pass.rate == null || before?.pass.rate == null) return null;
  const comparison = comparePaired({
    a: key,
    b: key,
    specsA: selectCohortSpecs(current.specs, key),
    specsB: selectCohortSpecs(previous.specs, key),
    alpha: current.statistics.alpha,
  });
  const delta = now.pass.rate - before.pass.rate;
  const direction: TrendDirection = Math.round(delta * 100) === 0 ? 'flat' : delta > 0 ? 'up' : 'down';
  const isSignificant = comparison.verdict !== 'not-significant';
  const pairing =
    comparison.pairs === 0
      ? 'no scenario and repeat in common, so no paired test'
      : `paired over ${comparison.pairs} scenario × repeat pairs: ${formatPValue(comparison.pValue)}, ${isSignificant ? 'a real change' : 'within noise'}`;
  return {
    direction,
    arrow: direction === 'up' ? '▲' : direction === 'down' ? '▼' : '▶',
    delta: formatPoints(delta),
    isSignificant,
    previousRate: `was ${formatRate(before.pass.rate)}`,
    detail: `Previous run ${previous.runId}: ${formatRate(before.pass.rate)} (${before.pass.passes} of ${before.pass.trials}); now ${formatRate(now.pass.rate)} (${now.pass.passes} of ${now.pass.trials}); ${pairing}.`,
  };
}

export function describePreviousRun(current: RunSummary, previous: RunSummary): PreviousRunView {
  const before = new Set(previous.statistics.cohorts.map((cohort) => cohortIdOf(cohort.key)));
  return {
    runId: previous.runId,
    startedAt: previous.startedAt,
    matchingCohorts: current.statistics.cohorts.filter((cohort) => before.has(cohortIdOf(cohort.key))).length,
  };
}

function selectCohortSpecs(specs: readonly SpecSummary[], key: CohortKey): SpecSummary[] {
  return specs.filter((spec) => spec.spec.targetId === key.targetId && spec.spec.promptVariantId === key.promptVariantId);
}
