/**
 * Today's methods, reproduced only to show their defects in tests and to report them beside the
 * new ones in the benchmark. Do not use them for decisions.
 */
import { wilsonInterval, type Interval } from '../../pipeline/statistics/binary.ts';

/** C(n, k) in plain floats, as today: overflows to Infinity near n ≈ 1030. */
export function legacyBinomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  const kk = Math.min(k, n - k);
  for (let index = 1; index <= kk; index += 1) result = (result * (n - kk + index)) / index;
  return result;
}

/** Today's exact McNemar: 2 ** d and float binomials (NaN from about 1024 discordant pairs). */
export function legacyMcnemar(onlyA: number, onlyB: number): number {
  const discordant = onlyA + onlyB;
  if (discordant === 0) return 1;
  let tail = 0;
  for (let k = 0; k <= Math.min(onlyA, onlyB); k += 1) tail += legacyBinomial(discordant, k);
  return Math.min(1, (2 * tail) / 2 ** discordant);
}

/** Today's pass@k: a ratio of float binomials (NaN once both overflow). */
export function legacyPassAtK(n: number, c: number, k: number): number | undefined {
  if (k > n || k < 1) return undefined;
  if (n - c < k) return 1;
  return 1 - legacyBinomial(n - c, k) / legacyBinomial(n, k);
}

export interface LegacyCohort {
  id: string;
  /** Outcomes per scenario, 0/1, repeat i of every cohort paired by index. */
  cells: ReadonlyMap<string, readonly number[]>;
}

/** Pooled McNemar over (scenario, repeat index) pairs, as today: repeats treated as independent. */
export function legacyPairedP(a: LegacyCohort, b: LegacyCohort): { onlyA: number; onlyB: number; pValue: number } {
  let onlyA = 0;
  let onlyB = 0;
  for (const [scenario, outcomesA] of a.cells) {
    const outcomesB = b.cells.get(scenario) ?? [];
    for (let index = 0; index < Math.min(outcomesA.length, outcomesB.length); index += 1) {
      if (outcomesA[index] === 1 && outcomesB[index] === 0) onlyA += 1;
      if (outcomesA[index] === 0 && outcomesB[index] === 1) onlyB += 1;
    }
  }
  return { onlyA, onlyB, pValue: legacyMcnemar(onlyA, onlyB) };
}

function pooled(cohort: LegacyCohort): { passes: number; trials: number } {
  let passes = 0;
  let trials = 0;
  for (const outcomes of cohort.cells.values()) {
    trials += outcomes.length;
    passes += outcomes.reduce((sum, value) => sum + value, 0);
  }
  return { passes, trials };
}

/** Today's pooled Wilson interval (every attempt independent). */
export function legacyRateInterval(cohort: LegacyCohort): Interval {
  const { passes, trials } = pooled(cohort);
  return wilsonInterval(passes, trials);
}

/**
 * Today's verdicts: best = highest pooled rate (ties: Wilson low, then id), whatever n, even when all
 * fail; each other cohort is 'significantly-worse' when pooled McNemar against the best has p < α,
 * with no multiplicity control.
 */
export function legacyVerdicts(cohorts: readonly LegacyCohort[], alpha = 0.05): { best: string | undefined; worse: string[] } {
  const ranked = cohorts.map((cohort) => {
    const { passes, trials } = pooled(cohort);
    return { cohort, rate: trials === 0 ? -1 : passes / trials, low: wilsonInterval(passes, trials).low };
  });
  ranked.sort((left, right) => right.rate - left.rate || right.low - left.low || (left.cohort.id < right.cohort.id ? -1 : 1));
  const best = ranked[0]?.cohort;
  if (best === undefined) return { best: undefined, worse: [] };
  const worse = cohorts.filter((cohort) => {
    if (cohort === best) return false;
    const result = legacyPairedP(cohort, best);
    return result.pValue < alpha && result.onlyB > result.onlyA;
  });
  return { best: best.id, worse: worse.map((cohort) => cohort.id) };
}
