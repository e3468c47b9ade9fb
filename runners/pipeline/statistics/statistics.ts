/**
 * Honest statistics for pass/fail outcomes: intervals, reliability over k tries, and a paired
 * test between two variants. Pure functions, checked against published values in the tests.
 */

export interface Interval {
  low: number;
  high: number;
}

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/** Wilson score interval for `passes` out of `trials` (empty interval [0, 1] when no trials). */
export function wilsonInterval(passes: number, trials: number, z = Z_95): Interval {
  if (trials === 0) return { low: 0, high: 1 };
  const p = passes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const margin = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // At the boundaries the interval touches 0 or 1 exactly (rounding would leave 0.9999…).
  const low = passes === 0 ? 0 : Math.max(0, centre - margin);
  const high = passes === trials ? 1 : Math.min(1, centre + margin);
  return { low, high };
}

/** C(n, k) as a float, exact for the small n used here. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  const kk = Math.min(k, n - k);
  for (let index = 1; index <= kk; index += 1) result = (result * (n - kk + index)) / index;
  return result;
}

/**
 * pass@k (Chen et al. 2021, unbiased): the chance that at least one of k attempts drawn
 * without replacement from n attempts with c passes passes. Undefined when k > n.
 */
export function passAtK(n: number, c: number, k: number): number | undefined {
  if (k > n || k < 1) return undefined;
  if (n - c < k) return 1;
  return 1 - binomial(n - c, k) / binomial(n, k);
}

/**
 * pass^k (τ-bench, Yao et al. 2024): the chance that all k attempts drawn from n with c passes
 * pass — reliability, which falls fast with k. Undefined when k > n.
 */
export function passHatK(n: number, c: number, k: number): number | undefined {
  if (k > n || k < 1) return undefined;
  return binomial(c, k) / binomial(n, k);
}

export interface McNemarResult {
  /** Pairs where only A passed. */
  onlyA: number;
  /** Pairs where only B passed. */
  onlyB: number;
  /** Two-sided exact p-value (binomial test on the discordant pairs). */
  pValue: number;
}

/**
 * Exact McNemar test on paired outcomes (same scenario and repeat under two variants): only
 * discordant pairs carry information; under H0 they split 50/50.
 */
export function mcnemarExact(onlyA: number, onlyB: number): McNemarResult {
  const discordant = onlyA + onlyB;
  if (discordant === 0) return { onlyA, onlyB, pValue: 1 };
  const smaller = Math.min(onlyA, onlyB);
  let tail = 0;
  for (let k = 0; k <= smaller; k += 1) tail += binomial(discordant, k);
  tail /= 2 ** discordant;
  return { onlyA, onlyB, pValue: Math.min(1, 2 * tail) };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
