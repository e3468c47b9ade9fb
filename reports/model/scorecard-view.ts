import type { CohortStatistics, CohortVerdict, CohortVerdictKind, RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { formatCount, formatInterval, formatOptionalCount, formatOptionalDuration, formatRate, formatUsd } from './format.ts';
import { buildRecommendation, type RecommendationView } from './recommendation-view.ts';
import { cohortIdOf, nameOf, type RunIndex } from './run-index.ts';
import { describeIntervalMethod, describeMethod, describePower, VERDICT_LABELS } from './statistics-text.ts';
import { buildTrends, describePreviousRun, type PreviousRunView, type TrendView } from './trend-view.ts';

export { nameOf } from './run-index.ts';
export type { RecommendationView } from './recommendation-view.ts';

export type VerdictKind = CohortVerdictKind;
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
  /** Why, in one plain sentence: the comparison behind the verdict and the family it survived. */
  verdictDetail: string;
  /** The same in a few words, e.g. `worse than a · default · 45 tests`; empty when there is nothing to say. */
  verdictNote: string;
  passRate: string;
  /** `95% CI 58–83%`, scenario-clustered. */
  interval: string;
  /** How the interval was computed, e.g. `scenario-clustered over 8 scenarios`. */
  intervalMethod: string;
  /** The graded score (the tuner's instrument), e.g. `0.82`, with its interval `0.70–0.91`. */
  score: string;
  scoreInterval: string;
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
  /** Pairwise tests in the scorecard's Holm family. */
  familySize: number;
  /** How rates, intervals and verdicts are computed, in plain words. */
  method: string;
  /** What the design can detect: the smallest gap found with 80% power. */
  power: string;
}

const VERDICT_RANK: Record<VerdictKind, number> = { best: 0, 'top-group': 1, 'significantly-worse': 2, 'nothing-passed': 3, 'nothing-to-rate': 4 };

/** The leadership view: one row per target × prompt variant, every number from `summary.statistics`. */
export function buildScorecard(summary: RunSummary, index: RunIndex, previous: RunSummary | undefined): ScorecardView {
  const { statistics } = summary;
  const verdicts = new Map(statistics.verdicts.cohorts.map((verdict) => [cohortIdOf(verdict.key), verdict]));
  const reliabilityK = findReliabilityK(statistics.cohorts);
  const trends = previous === undefined ? new Map<string, TrendView>() : buildTrends(summary, previous);
  const rows = statistics.cohorts
    .map((cohort) => buildRow(cohort, { index, verdict: verdicts.get(cohortIdOf(cohort.key)), reliabilityK, familySize: statistics.verdicts.familySize, trend: trends.get(cohortIdOf(cohort.key)) ?? null }))
    .sort((left, right) => VERDICT_RANK[left.verdict] - VERDICT_RANK[right.verdict] || rateOf(right) - rateOf(left) || left.cohortIndex - right.cohortIndex);
  return {
    rows,
    hasCost: statistics.cohorts.some((cohort) => cohort.costPerPassUsd !== null),
    reliabilityK,
    hasTrend: rows.some((row) => row.trend !== null),
    previousRun: previous === undefined ? null : describePreviousRun(summary, previous),
    recommendation: buildRecommendation(summary.statistics),
    alpha: `α = ${statistics.alpha}`,
    familySize: statistics.verdicts.familySize,
    method: describeMethod(statistics.verdicts),
    power: describePower(statistics.power),
  };
}

interface RowContext {
  index: RunIndex;
  verdict: CohortVerdict | undefined;
  reliabilityK: number | null;
  familySize: number;
  trend: TrendView | null;
}

function buildRow(cohort: CohortStatistics, context: RowContext): ScorecardRowView {
  const { pass, score } = cohort;
  const verdict: VerdictKind = context.verdict?.verdict ?? 'nothing-to-rate';
  const hatK = context.reliabilityK === null ? undefined : cohort.passHatK[context.reliabilityK];
  return {
    cohortIndex: context.index.cohortIndexOf(cohort.key),
    targetId: cohort.key.targetId,
    model: cohort.model,
    quantization: cohort.quantization,
    promptVariantId: cohort.key.promptVariantId,
    verdict,
    verdictLabel: VERDICT_LABELS[verdict],
    verdictDetail: context.verdict?.explanation ?? '',
    verdictNote: describeVerdictNote(context.verdict, context.familySize),
    passRate: formatRate(pass.rate),
    interval: pass.rate === null ? 'no result the model is answerable for' : `95% CI ${formatInterval(pass.interval)}`,
    intervalMethod: describeIntervalMethod(pass.method, pass.scenarios),
    score: score.mean === null ? '—' : score.mean.toFixed(2),
    scoreInterval: score.mean === null ? '' : `${score.interval.low.toFixed(2)}–${score.interval.high.toFixed(2)}`,
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
    trend: context.trend,
  };
}

/** A few words beside the label: whom it is worse than, and the family it was tested in. */
function describeVerdictNote(verdict: CohortVerdict | undefined, familySize: number): string {
  if (verdict === undefined) return '';
  const family = familySize === 0 ? '' : `${familySize} test${familySize === 1 ? '' : 's'}, Holm`;
  switch (verdict.verdict) {
    case 'significantly-worse':
      return [`worse than ${verdict.worseThan.map(nameOf).join(', ')}`, family].filter((part) => part !== '').join(' · ');
    case 'best':
    case 'top-group':
      return family;
    case 'nothing-to-rate':
    case 'nothing-passed':
      return '';
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
