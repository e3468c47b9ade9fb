import { mcnemarExact } from '../statistics/binary.ts';
import { isModelAttributable, isPassed } from './spec-facts.ts';
import type { CohortKey, CohortStatistics, CohortVerdict, PairedComparison, SpecSummary } from './summary-types.ts';

export interface PairedComparisonInput {
  a: CohortKey;
  b: CohortKey;
  specsA: readonly SpecSummary[];
  specsB: readonly SpecSummary[];
  alpha: number;
}

/**
 * Exact McNemar between two cohorts over the specs they share: a pair is the same scenario and
 * repeat index, model-attributable on both sides. Only discordant pairs carry information; the
 * verdict names a winner only when p < alpha. Works within one run and across two runs.
 */
export function comparePaired(input: PairedComparisonInput): PairedComparison {
  const { alpha } = input;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`comparePaired: alpha must lie in (0, 1), got ${alpha}`);
  const byPairKey = new Map<string, SpecSummary>();
  for (const spec of input.specsB) if (isModelAttributable(spec)) byPairKey.set(pairKeyOf(spec), spec);
  let pairs = 0;
  let onlyA = 0;
  let onlyB = 0;
  const seen = new Set<string>();
  for (const specA of input.specsA) {
    const key = pairKeyOf(specA);
    const specB = byPairKey.get(key);
    if (specB === undefined || seen.has(key) || !isModelAttributable(specA)) continue;
    seen.add(key);
    pairs += 1;
    const passedA = isPassed(specA);
    const passedB = isPassed(specB);
    if (passedA && !passedB) onlyA += 1;
    if (passedB && !passedA) onlyB += 1;
  }
  const { pValue } = mcnemarExact(onlyA, onlyB);
  const significant = pValue < alpha;
  return {
    a: input.a,
    b: input.b,
    pairs,
    onlyA,
    onlyB,
    effect: pairs === 0 ? 0 : (onlyA - onlyB) / pairs,
    pValue,
    minimumDetectableEffect: minimumDetectableEffect(pairs, alpha),
    verdict: !significant ? 'not-significant' : onlyA > onlyB ? 'a-better' : 'b-better',
  };
}

/** The pairing key: the same scenario and repeat index (spec ids differ across cohorts). */
export function pairKeyOf(spec: SpecSummary): string {
  return JSON.stringify([spec.spec.scenarioId, spec.spec.repeatIndex]);
}

/**
 * The fewest discordant pairs, all one way, that reach p < alpha — as a share of `pairs`.
 * With alpha = 0.05 that is 6 pairs (p = 2/64), so 10 pairs cannot show less than 60 points.
 */
export function minimumDetectableEffect(pairs: number, alpha: number): number | null {
  for (let discordant = 1; discordant <= pairs; discordant += 1) {
    if (mcnemarExact(discordant, 0).pValue < alpha) return discordant / pairs;
  }
  return null;
}

/**
 * The best cohort has the highest pass rate (ties: the higher Wilson low bound, then the id).
 * Another cohort is significantly worse only when its paired comparison with the best says so.
 */
export function decideVerdicts(
  cohorts: readonly CohortStatistics[],
  compareWithBest: (cohort: CohortKey, best: CohortKey) => PairedComparison,
): CohortVerdict[] {
  const best = selectBestCohort(cohorts);
  if (best === undefined) return [];
  return cohorts.map((cohort): CohortVerdict => {
    if (cohort === best) return { key: cohort.key, verdict: 'best' };
    const againstBest = compareWithBest(cohort.key, best.key);
    return { key: cohort.key, verdict: againstBest.verdict === 'b-better' ? 'significantly-worse' : 'not-distinguishable-from-best', againstBest };
  });
}

export function selectBestCohort(cohorts: readonly CohortStatistics[]): CohortStatistics | undefined {
  return [...cohorts].sort(compareForBest)[0];
}

function compareForBest(left: CohortStatistics, right: CohortStatistics): number {
  const rate = (right.pass.rate ?? -1) - (left.pass.rate ?? -1);
  if (rate !== 0) return rate;
  const low = right.pass.interval.low - left.pass.interval.low;
  if (low !== 0) return low;
  return compareText(left.key.targetId, right.key.targetId) || compareText(left.key.promptVariantId, right.key.promptVariantId);
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
