/**
 * Pass/fail statistics that stay finite for any number of attempts: the Wilson interval, pass@k,
 * pass^k and the exact McNemar test, computed as products of ratios or in log space.
 */
import { binomialLogCdf } from './distributions.ts';

export interface Interval {
  low: number;
  high: number;
}

/** z for a two-sided 95% interval (qnorm(0.975) in R). */
export const Z_95 = 1.959963984540054;

/**
 * Wilson score interval (Wilson 1927; recommended by Brown, Cai & DasGupta 2001, Stat. Sci. 16:101)
 * for `passes` out of `trials`. `passes` and `trials` may be non-integer (effective counts, graded
 * scores); `z` may be a t quantile. No trials: the uninformative [0, 1].
 */
export function wilsonInterval(passes: number, trials: number, z: number = Z_95): Interval {
  if (!(trials > 0)) return { low: 0, high: 1 };
  if (passes < 0 || passes > trials) throw new RangeError(`wilsonInterval: passes ${passes} outside [0, ${trials}]`);
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

function checkCounts(name: string, n: number, c: number, k: number): void {
  if (![n, c, k].every(Number.isInteger) || c < 0 || c > n) throw new RangeError(`${name}: need integers 0 ≤ c ≤ n, got n=${n} c=${c} k=${k}`);
}

/**
 * pass@k, the unbiased estimator of Chen et al. 2021 (arXiv:2107.03374, eq. 1): the chance that at
 * least one of k attempts drawn without replacement from n attempts with c passes passes,
 * 1 − C(n−c, k)/C(n, k) = 1 − Π_{i<k} (1 − c/(n−i)), summed with log1p and finished with expm1 so it
 * neither overflows nor loses digits for any n. Undefined when k > n or k < 1.
 */
export function passAtK(n: number, c: number, k: number): number | undefined {
  checkCounts('passAtK', n, c, k);
  if (k > n || k < 1) return undefined;
  if (n - c < k) return 1;
  if (c === 0) return 0; // not −expm1(0) = −0, which JSON turns into 0
  let logNoPass = 0;
  for (let index = 0; index < k; index += 1) logNoPass += Math.log1p(-c / (n - index));
  return -Math.expm1(logNoPass);
}

/**
 * pass^k (τ-bench, Yao et al. 2024, arXiv:2406.12045): the chance that all k attempts drawn without
 * replacement from n with c passes pass, C(c, k)/C(n, k) = Π_{i<k} (c−i)/(n−i), summed in log space.
 * Undefined when k > n or k < 1.
 */
export function passHatK(n: number, c: number, k: number): number | undefined {
  checkCounts('passHatK', n, c, k);
  if (k > n || k < 1) return undefined;
  if (c < k) return 0;
  let logAllPass = 0;
  for (let index = 0; index < k; index += 1) logAllPass += Math.log((c - index) / (n - index));
  return Math.exp(logAllPass);
}

export interface McNemarResult {
  /** Pairs where only A passed. */
  onlyA: number;
  /** Pairs where only B passed. */
  onlyB: number;
  discordant: number;
  /** Two-sided exact p-value: 2·P(X ≤ min(onlyA, onlyB)), X ~ Binomial(discordant, ½), capped at 1. */
  pValue: number;
}

/**
 * Exact McNemar test (McNemar 1947; exact binomial form, e.g. Agresti, Categorical Data Analysis,
 * 3rd ed., §11.1) on paired outcomes of ONE scenario: only discordant pairs carry information and
 * under H0 they split 50/50. The binomial tail is summed in log space, so it is exact for any count.
 * Pairs from different scenarios are not independent: across scenarios use pairedScenarioDifference.
 */
export function mcnemarExact(onlyA: number, onlyB: number): McNemarResult {
  if (![onlyA, onlyB].every((count) => Number.isInteger(count) && count >= 0)) {
    throw new RangeError(`mcnemarExact: counts must be non-negative integers, got ${onlyA}, ${onlyB}`);
  }
  const discordant = onlyA + onlyB;
  if (discordant === 0) return { onlyA, onlyB, discordant, pValue: 1 };
  const logTail = binomialLogCdf(Math.min(onlyA, onlyB), discordant, 0.5);
  return { onlyA, onlyB, discordant, pValue: Math.min(1, 2 * Math.exp(logTail)) };
}
