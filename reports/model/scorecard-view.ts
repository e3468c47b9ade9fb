import type { CohortStatistics, CohortVerdict, RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import {
  formatCount,
  formatInterval,
  formatOptionalCount,
  formatOptionalDuration,
  formatPValue,
  formatRate,
  formatUsd,
} from './format.ts';
import { buildRecommendation, type RecommendationView } from './recommendation-view.ts';
import { cohortIdOf, type RunIndex } from './run-index.ts';
import { buildTrend, describePreviousRun, type PreviousRunView, type TrendView } from './trend-view.ts';

export { nameOf } from './run-index.ts';
export type { RecommendationView } from './recommendation-view.ts';

export type VerdictKind = CohortVerdict['verdict'] | 'unrated';
export type RateTone = 'good' | 'warn' | 'bad' | 'muted';

export interface IntervalBarView {
  /** Percent positions (0–100) on the bar. */
  low: number;
  high: number;
  /** high − low, for the SVG rectangle. */
  width: number;
  rate: number;
  hasRate: boolean;
}

export interface ScorecardRowView {
  cohortIndex: number;
  targetId: string;
  model: string;
  quantization: string;
  promptVariantId: string;
  verdict: VerdictKind;
  verdictLabel: string;
  /** Why: the paired comparison with the best, in words. */
  verdictDetail: string;
  /** The same in a few words, e.g. `p = 0.01 vs best`; empty for the best. */
  verdictNote: string;
  passRate: string;
  interval: string;
  /** `17 of 20` */
  passes: string;
  bar: IntervalBarView;
  tone: RateTone;
  violationRate: string;
  violationTone: RateTone;
  medianTime: string;
  medianTokens: string;
  costPerPass: string;
  /** pass^k for the largest k every cell reached, e.g. `41%`; null when k < 2. */
  reliability: string | null;
  /** Infra errors, pending specs: left out of the rate. */
  excluded: string | null;
  trend: TrendView | null;
}

export interface ScorecardView {
  rows: ScorecardRowView[];
  hasCost: boolean;
  /** The k of the reliability column (pass^k), or null when no cohort has two repeats. */
  reliabilityK: number | null;
  hasTrend: boolean;
  previousRun: PreviousRunView | null;
  recommendation: RecommendationView;
  alpha: string;
}

const VERDICT_LABELS: Record<VerdictKind, string> = {
  best: 'Best',
  'not-distinguishable-from-best': 'Not distinguishable from best',
  'significantly-worse': 'Significantly worse',
  unrated: 'Not rated',
};
const VERDICT_RANK: Record<VerdictKind, number> = { best: 0, 'not-distinguishable-from-best': 1, 'significantly-worse': 2, unrated: 3 };

/** The leadership view: one row per target × prompt variant, every number from `summary.statistics`. */
export function buildScorecard(summary: RunSummary, index: RunIndex, previous: RunSummary | undefined): ScorecardView {
  const { statistics } = summary;
  const verdicts = new Map(statistics.verdicts.map((verdict) => [cohortIdOf(verdict.key), verdict]));
  const reliabilityK = findReliabilityK(statistics.cohorts);
  const rows = statistics.cohorts
    .map((cohort) => buildRow(cohort, { index, verdict: verdicts.get(cohortIdOf(cohort.key)), reliabilityK, summary, previous }))
    .sort((left, right) => VERDICT_RANK[left.verdict] - VERDICT_RANK[right.verdict] || rateOf(right) - rateOf(left) || left.cohortIndex - right.cohortIndex);
  return {
    rows,
    hasCost: statistics.cohorts.some((cohort) => cohort.costPerPassUsd !== null),
    reliabilityK,
    hasTrend: rows.some((row) => row.trend !== null),
    previousRun: previous === undefined ? null : describePreviousRun(summary, previous),
    recommendation: buildRecommendation(summary.statistics),
    alpha: `p < ${statistics.alpha}`,
  };
}

interface RowContext {
  index: RunIndex;
  verdict: CohortVerdict | undefined;
  reliabilityK: number | null;
  summary: RunSummary;
  previous: RunSummary | undefined;
}

function buildRow(cohort: CohortStatistics, context: RowContext): ScorecardRowView {
  const { pass } = cohort;
  const verdict: VerdictKind = pass.rate === null ? 'unrated' : (context.verdict?.verdict ?? 'unrated');
  const hatK = context.reliabilityK === null ? undefined : cohort.passHatK[context.reliabilityK];
  return {
    cohortIndex: context.index.cohortIndexOf(cohort.key),
    targetId: cohort.key.targetId,
    model: cohort.model,
    quantization: cohort.quantization,
    promptVariantId: cohort.key.promptVariantId,
    verdict,
    verdictLabel: VERDICT_LABELS[verdict],
    verdictDetail: describeVerdict(verdict, context.verdict),
    verdictNote: verdict === 'unrated' || context.verdict?.againstBest === undefined ? '' : `${formatPValue(context.verdict.againstBest.pValue)} vs best`,
    passRate: formatRate(pass.rate),
    interval: pass.rate === null ? 'no result the model is answerable for' : `95% CI ${formatInterval(pass.interval)}`,
    passes: `${formatCount(pass.passes)} of ${formatCount(pass.trials)}`,
    bar: buildIntervalBar(pass.interval, pass.rate),
    tone: toneOfRate(pass.rate),
    violationRate: formatRate(cohort.violationRate.rate),
    violationTone: cohort.violationRate.rate === null ? 'muted' : cohort.violationRate.rate === 0 ? 'good' : 'bad',
    medianTime: formatOptionalDuration(cohort.medianAttemptMs),
    medianTokens: formatOptionalCount(cohort.medianTokens),
    costPerPass: formatUsd(cohort.costPerPassUsd),
    reliability: hatK === undefined ? null : formatRate(hatK),
    excluded: describeExcluded(cohort),
    trend: context.previous === undefined ? null : buildTrend(cohort.key, context.summary, context.previous),
  };
}

function describeVerdict(verdict: VerdictKind, cohortVerdict: CohortVerdict | undefined): string {
  const against = cohortVerdict?.againstBest;
  switch (verdict) {
    case 'best':
      return 'Highest pass rate of the run.';
    case 'unrated':
      return 'No result the model is answerable for (only infra errors or pending specs).';
    case 'not-distinguishable-from-best':
    case 'significantly-worse':
      if (against === undefined) return '';
      return `Against the best over ${against.pairs} paired results (same scenario and repeat): only the best passed ${against.onlyB}, only this one ${against.onlyA}; ${formatPValue(against.pValue)}, exact McNemar.`;
  }
}

function findReliabilityK(cohorts: readonly CohortStatistics[]): number | null {
  const ks = cohorts.map((cohort) => Math.max(0, ...Object.keys(cohort.passHatK).map(Number)));
  const k = Math.max(0, ...ks);
  return k >= 2 ? k : null;
}

function describeExcluded(cohort: CohortStatistics): string | null {
  const parts = [
    cohort.infraErrors > 0 ? `${cohort.infraErrors} infra error${cohort.infraErrors === 1 ? '' : 's'}` : null,
    cohort.pending > 0 ? `${cohort.pending} pending` : null,
  ].filter((part) => part !== null);
  return parts.length === 0 ? null : `excluded: ${parts.join(', ')}`;
}

export function toneOfRate(rate: number | null): RateTone {
  if (rate === null) return 'muted';
  if (rate >= 0.8) return 'good';
  if (rate >= 0.5) return 'warn';
  return 'bad';
}

function buildIntervalBar(interval: { low: number; high: number }, rate: number | null): IntervalBarView {
  const low = toPercent(interval.low);
  const high = toPercent(interval.high);
  return { low, high, width: Math.round((high - low) * 10) / 10, rate: toPercent(rate ?? 0), hasRate: rate !== null };
}

function toPercent(value: number | null): number {
  return value === null ? 0 : Math.round(Math.min(1, Math.max(0, value)) * 1000) / 10;
}

function rateOf(row: ScorecardRowView): number {
  return row.bar.hasRate ? row.bar.rate : -1;
}
