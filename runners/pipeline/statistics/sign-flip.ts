/**
 * Two-sided sign-flip permutation test of "the per-scenario differences are symmetric about 0"
 * (Fisher 1935, §21; Good, Permutation Tests, 2nd ed., §3.1), statistic |Σ d_g|, computed exactly.
 */
import { mulberry32 } from './random.ts';

export type SignFlipMethod =
  /** Exact: the 2^G sign patterns counted by convolution on an integer lattice (all d_g·L integral). */
  | { kind: 'exact-lattice'; latticeDenominator: number }
  /** Exact: all 2^G sign patterns enumerated (Gray code), for non-lattice differences with G ≤ 22. */
  | { kind: 'exact-enumeration'; patterns: number }
  /** Seeded Monte Carlo over random sign patterns; p = (1 + hits)/(1 + samples) (Phipson & Smyth 2010). */
  | { kind: 'monte-carlo'; samples: number; seed: number; standardError: number };

export interface SignFlipResult {
  pValue: number;
  /** The smallest p-value this number of non-zero differences can give: 2^(1 − G'). */
  minimumPValue: number;
  method: SignFlipMethod;
}

export interface SignFlipOptions {
  /** Integer denominators the differences are known to share (e.g. the repeat counts). */
  denominators?: readonly number[];
  monteCarloSamples?: number;
  seed?: number;
}

const MAX_LATTICE_SPAN = 4_000_000;
const MAX_ENUMERATED = 22;
/** Above this many convolution steps (G × span) a lattice is slower than enumerating 2^G patterns when G is small. */
const CHEAP_LATTICE_WORK = 200_000;
/**
 * Beyond this many convolution steps (≈ 20 ms) the lattice is left for enumeration or Monte Carlo:
 * unequal repeat counts (an infra error here and there) make the lcm, and so the span, explode,
 * and a scorecard runs K(K − 1) such tests.
 */
const MAX_LATTICE_WORK = 5_000_000;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function lcm(values: readonly number[]): number {
  return values.reduce((result, value) => (result / gcd(result, value)) * value, 1);
}

/** The integer multiples k_g = d_g·L for the first L tried that makes every d_g integral, if any. */
function latticeOf(diffs: readonly number[], denominators: readonly number[]): { scale: number; steps: number[] } | undefined {
  const base = lcm(denominators.filter((value) => Number.isInteger(value) && value > 0));
  for (const factor of [1, 10, 100, 1000]) {
    const scale = base * factor;
    const steps = diffs.map((diff) => Math.round(diff * scale));
    const integral = diffs.every((diff, index) => Math.abs(diff * scale - (steps[index] ?? 0)) < 1e-9 * Math.max(1, scale));
    const span = steps.reduce((sum, step) => sum + Math.abs(step), 0);
    if (integral && span <= MAX_LATTICE_SPAN) return { scale, steps };
  }
  return undefined;
}

/** Exact null distribution of Σ s_g k_g over uniform signs, by convolution; returns P(|T| ≥ |observed|). */
function latticePValue(steps: readonly number[]): number {
  const span = steps.reduce((sum, step) => sum + Math.abs(step), 0);
  const observed = Math.abs(steps.reduce((sum, step) => sum + step, 0));
  let distribution = new Float64Array(2 * span + 1);
  let next = new Float64Array(2 * span + 1);
  distribution[span] = 1;
  let reach = 0;
  for (const step of steps) {
    const k = Math.abs(step);
    if (k === 0) continue;
    next.fill(0, span - reach - k, span + reach + k + 1);
    for (let index = span - reach; index <= span + reach; index += 1) {
      const mass = (distribution[index] ?? 0) / 2;
      if (mass === 0) continue;
      next[index - k] = (next[index - k] ?? 0) + mass;
      next[index + k] = (next[index + k] ?? 0) + mass;
    }
    reach += k;
    [distribution, next] = [next, distribution];
  }
  let tail = 0;
  for (let index = 0; index < distribution.length; index += 1) if (Math.abs(index - span) >= observed) tail += distribution[index] ?? 0;
  return Math.min(1, tail);
}

/** Exact p-value by visiting all 2^G sign patterns in Gray-code order (one update per pattern). */
function enumeratedPValue(diffs: readonly number[], tolerance: number): number {
  const signs = diffs.map(() => 1);
  let total = diffs.reduce((sum, diff) => sum + diff, 0);
  const threshold = Math.abs(total) - tolerance;
  const patterns = 2 ** diffs.length;
  let hits = 1;
  for (let index = 1; index < patterns; index += 1) {
    const bit = 31 - Math.clz32(index & -index);
    total -= 2 * (signs[bit] ?? 1) * (diffs[bit] ?? 0);
    signs[bit] = -(signs[bit] ?? 1);
    if (Math.abs(total) >= threshold) hits += 1;
  }
  return hits / patterns;
}

/** Each random draw gives 32 fair sign bits (mulberry32's output is a whole 32-bit number over 2^32). */
function monteCarloPValue(diffs: readonly number[], tolerance: number, samples: number, seed: number): number {
  const random = mulberry32(seed);
  const threshold = Math.abs(diffs.reduce((sum, diff) => sum + diff, 0)) - tolerance;
  let hits = 0;
  let bits = 0;
  let left = 0;
  for (let sample = 0; sample < samples; sample += 1) {
    let total = 0;
    for (const diff of diffs) {
      if (left === 0) {
        bits = (random() * 4294967296) >>> 0;
        left = 32;
      }
      total += (bits & 1) === 1 ? diff : -diff;
      bits >>>= 1;
      left -= 1;
    }
    if (Math.abs(total) >= threshold) hits += 1;
  }
  return (1 + hits) / (1 + samples);
}

/**
 * Sign-flip test over scenarios. Under H0 each scenario's difference is as likely to be +d_g as −d_g
 * (the two cohorts are exchangeable within a scenario), so scenarios, not repeats, are the units.
 * Exact whenever the differences lie on a lattice small enough to convolve (0/1 outcomes: L = lcm of
 * the repeat counts) or G ≤ 22; otherwise a seeded Monte Carlo whose standard error is reported. Zero differences carry
 * no information and are dropped. With equal repeat counts on both sides the test is exact under
 * "A and B are the same within each scenario"; with unequal counts d_g is only approximately symmetric.
 */
export function signFlipTest(diffs: readonly number[], options: SignFlipOptions = {}): SignFlipResult {
  // Pure, and a summary asks the same question twice (the scorecard and the comparison table): memoized.
  const key = JSON.stringify([diffs, options.denominators ?? [1], options.monteCarloSamples ?? null, options.seed ?? null]);
  const cached = RESULT_CACHE.get(key);
  if (cached !== undefined) return cached;
  const result = computeSignFlipTest(diffs, options);
  if (key.length > MAX_CACHED_KEY_CHARS) return result;
  if (RESULT_CACHE.size >= MAX_CACHED_RESULTS) RESULT_CACHE.delete(RESULT_CACHE.keys().next().value ?? '');
  RESULT_CACHE.set(key, result);
  return result;
}

/** Oldest-first eviction; at most 500 keys of ≤ 20k characters (≈ 10 MB). */
const RESULT_CACHE = new Map<string, SignFlipResult>();
const MAX_CACHED_RESULTS = 500;
const MAX_CACHED_KEY_CHARS = 20_000;

function computeSignFlipTest(diffs: readonly number[], options: SignFlipOptions): SignFlipResult {
  const nonZero = diffs.filter((diff) => diff !== 0);
  const minimumPValue = Math.min(1, 2 ** (1 - nonZero.length));
  if (nonZero.length === 0) return { pValue: 1, minimumPValue, method: { kind: 'exact-enumeration', patterns: 1 } };
  const lattice = latticeOf(nonZero, options.denominators ?? [1]);
  const latticeWork = lattice === undefined ? Infinity : nonZero.length * lattice.steps.reduce((sum, step) => sum + Math.abs(step), 0);
  // Both are exact; a lattice of large, unequal repeat counts (lcm in the thousands) is the slow one.
  const enumerateInstead = nonZero.length <= MAX_ENUMERATED && latticeWork > CHEAP_LATTICE_WORK && 2 ** nonZero.length < latticeWork;
  if (lattice !== undefined && !enumerateInstead && latticeWork <= MAX_LATTICE_WORK) return { pValue: latticePValue(lattice.steps), minimumPValue, method: { kind: 'exact-lattice', latticeDenominator: lattice.scale } };
  const tolerance = 1e-9 * nonZero.reduce((sum, diff) => sum + Math.abs(diff), 0);
  if (nonZero.length <= MAX_ENUMERATED) {
    return { pValue: enumeratedPValue(nonZero, tolerance), minimumPValue, method: { kind: 'exact-enumeration', patterns: 2 ** nonZero.length } };
  }
  const samples = options.monteCarloSamples ?? 100_000;
  const seed = options.seed ?? 20_240_601;
  const pValue = monteCarloPValue(nonZero, tolerance, samples, seed);
  return { pValue, minimumPValue, method: { kind: 'monte-carlo', samples, seed, standardError: Math.sqrt((pValue * (1 - pValue)) / samples) } };
}
