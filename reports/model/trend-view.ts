import { compareRuns, type CohortChange } from '../../runners/pipeline/compare/compare-runs.ts';
import type { RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { formatPValue, formatPoints, formatRate } from './format.ts';
import { cohortIdOf } from './run-index.ts';

export type TrendDirection = 'up' | 'down' | 'flat' | 'unpaired';

export interface TrendView {
  direction: TrendDirection;
  /** ▲ ▼ ▶, or · when the two runs share no scenario */
  arrow: string;
  /** `+12 pts`: the paired change over the scenarios both runs have. */
  delta: string;
  /** Whether the same paired test says the change is real (Holm-adjusted p < alpha over the matched cohorts). */
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
 * Trend of every cohort against the previous comparable run, keyed by cohort id. Direction and
 * significance come from ONE comparison — the one `harness compare previous current` makes: the
 * paired difference over the scenarios both runs have (exact sign-flip), the matched cohorts one
 * Holm family. So an arrow can never point one way while its test says the other.
 */
export function buildTrends(current: RunSummary, previous: RunSummary): Map<string, TrendView> {
  const compared = compareRuns(previous, current, current.statistics.alpha);
  if (compared.kind === 'not-comparable') return new Map();
  const rated = compared.comparison.cohorts.filter((change) => change.baseline.pass.rate !== null && change.current.pass.rate !== null);
  return new Map(rated.map((change) => [cohortIdOf(change.key), describeChange(change, previous.runId)]));
}

function describeChange(change: CohortChange, previousRunId: string): TrendView {
  const { paired, baseline, current } = change;
  const rates = `Previous run ${previousRunId}: ${formatRate(baseline.pass.rate)} (${baseline.pass.passes} of ${baseline.pass.trials}); now ${formatRate(current.pass.rate)} (${current.pass.passes} of ${current.pass.trials})`;
  const previousRate = `was ${formatRate(baseline.pass.rate)}`;
  if (paired.kind === 'no-shared-scenarios') {
    return { direction: 'unpaired', arrow: '·', delta: '—', isSignificant: false, previousRate, detail: `${rates}; no scenario with answerable results in both runs, so no paired test.` };
  }
  const isSignificant = paired.verdict !== 'not-significant';
  const rounded = Math.round(paired.effect * 100);
  const direction: TrendDirection = isSignificant ? (paired.verdict === 'a-better' ? 'up' : 'down') : rounded === 0 ? 'flat' : rounded > 0 ? 'up' : 'down';
  const family = paired.familySize === 1 ? '' : `, Holm-adjusted ${formatPValue(paired.adjustedP)} over ${paired.familySize} configurations`;
  const verdict = isSignificant ? 'a real change' : 'within noise';
  return {
    direction,
    arrow: direction === 'up' ? '▲' : direction === 'down' ? '▼' : '▶',
    delta: formatPoints(paired.effect),
    isSignificant,
    previousRate,
    detail:
      `${rates}. Paired over ${paired.scenarios} shared scenario${paired.scenarios === 1 ? '' : 's'}: ${formatPoints(paired.effect)} ` +
      `(better on ${paired.aBetter}, worse on ${paired.bBetter}); sign-flip ${formatPValue(paired.pValue)}${family}: ${verdict}.`,
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
