/**
 * Paired comparison of two cohorts over the scenarios they share, with the scenario as the unit:
 * repeats of one scenario are not independent, so only the per-scenario mean differences count.
 */
import { mcnemarExact, type Interval, type McNemarResult } from './binary.ts';
import { studentTQuantile } from './distributions.ts';
import { signFlipTest, type SignFlipResult } from './sign-flip.ts';

export interface ScenarioPair {
  scenario: string;
  /** Per-repeat outcomes of cohort A on this scenario: 0/1, or graded scores in [0, 1]. */
  a: readonly number[];
  b: readonly number[];
}

export interface PairedDifferenceOptions {
  confidence?: number;
  monteCarloSamples?: number;
  seed?: number;
}

export interface ScenarioDifference {
  scenario: string;
  meanA: number;
  meanB: number;
  /** meanA − meanB. */
  difference: number;
}

export type PairedDifference =
  | { kind: 'no-shared-scenarios'; scenarios: 0 }
  | {
      kind: 'compared';
      /** Scenarios with at least one answerable repeat on both sides. */
      scenarios: number;
      /** Mean over scenarios of (mean A − mean B): positive means A is better. */
      effect: number;
      /** t interval on G − 1 df, clipped to [−1, 1]; [−1, 1] when G = 1. */
      interval: Interval;
      standardError: number;
      degreesOfFreedom: number;
      /** Two-sided sign-flip permutation p-value over scenarios. */
      pValue: number;
      test: SignFlipResult;
      aBetter: number;
      bBetter: number;
      ties: number;
      perScenario: ScenarioDifference[];
    };

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function checkOutcomes(pair: ScenarioPair): void {
  for (const value of [...pair.a, ...pair.b]) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`pairedScenarioDifference: outcome ${value} in scenario ${pair.scenario} is outside [0, 1]`);
  }
}

/**
 * Binomial floor on Var(mean d): Σ_g [p̃_a(1−p̃_a)/n_a + p̃_b(1−p̃_b)/n_b]/G² with p̃ = (Σx + ½)/(n + 1)
 * (a Jeffreys-style ½ pseudo-count), so that scenarios that all agree do not give a zero-width interval.
 */
function binomialVarianceFloor(pairs: readonly ScenarioPair[]): number {
  const sideVariance = (values: readonly number[]): number => {
    const shrunk = (values.reduce((sum, value) => sum + value, 0) + 0.5) / (values.length + 1);
    return (shrunk * (1 - shrunk)) / values.length;
  };
  return pairs.reduce((sum, pair) => sum + sideVariance(pair.a) + sideVariance(pair.b), 0) / pairs.length ** 2;
}

function differenceInterval(diffs: readonly number[], floor: number, confidence: number): { interval: Interval; standardError: number } {
  const count = diffs.length;
  if (count < 2) return { interval: { low: -1, high: 1 }, standardError: Math.sqrt(floor) };
  const effect = mean(diffs);
  const sampleVariance = diffs.reduce((sum, diff) => sum + (diff - effect) ** 2, 0) / (count - 1);
  const standardError = Math.sqrt(Math.max(sampleVariance / count, floor));
  const margin = studentTQuantile(1 - (1 - confidence) / 2, count - 1) * standardError;
  return { interval: { low: Math.max(-1, effect - margin), high: Math.min(1, effect + margin) }, standardError };
}

/**
 * Effect = mean over shared scenarios of (mean A − mean B), each scenario weighing the same.
 * Interval: Student t on G − 1 df over the per-scenario differences (the paired t interval with
 * scenarios as units, i.e. the cluster-robust interval for a paired design), its standard error
 * floored by the binomial noise of the repeats (see binomialVarianceFloor). p-value: the exact
 * two-sided sign-flip permutation test over scenarios (signFlipTest) — exact by lattice
 * convolution for 0/1 outcomes at any G, by enumerating 2^G patterns for other scores when G ≤ 22,
 * else seeded Monte Carlo with its standard error reported. The verdict should use the p-value;
 * the interval is its companion (they can disagree at the margin).
 * Scenarios missing on either side (no answerable repeat) are left out.
 */
export function pairedScenarioDifference(pairs: readonly ScenarioPair[], options: PairedDifferenceOptions = {}): PairedDifference {
  pairs.forEach(checkOutcomes);
  const shared = pairs.filter((pair) => pair.a.length > 0 && pair.b.length > 0);
  if (shared.length === 0) return { kind: 'no-shared-scenarios', scenarios: 0 };
  const perScenario = shared.map((pair): ScenarioDifference => {
    const meanA = mean(pair.a);
    const meanB = mean(pair.b);
    return { scenario: pair.scenario, meanA, meanB, difference: meanA - meanB };
  });
  const diffs = perScenario.map((entry) => entry.difference);
  const denominators = shared.flatMap((pair) => [pair.a.length, pair.b.length]);
  const test = signFlipTest(diffs, { denominators, monteCarloSamples: options.monteCarloSamples, seed: options.seed });
  const { interval, standardError } = differenceInterval(diffs, binomialVarianceFloor(shared), options.confidence ?? 0.95);
  return {
    kind: 'compared',
    scenarios: shared.length,
    effect: mean(diffs),
    interval,
    standardError,
    degreesOfFreedom: shared.length - 1,
    pValue: test.pValue,
    test,
    aBetter: diffs.filter((diff) => diff > 0).length,
    bBetter: diffs.filter((diff) => diff < 0).length,
    ties: diffs.filter((diff) => diff === 0).length,
    perScenario,
  };
}

/**
 * Exact McNemar for ONE scenario whose repeats are paired by index (repeat i of A with repeat i of
 * B), 0/1 outcomes only. Kept for the single-scenario case; never pool pairs across scenarios.
 */
export function singleScenarioMcNemar(a: readonly number[], b: readonly number[]): McNemarResult {
  if (a.length !== b.length) throw new RangeError(`singleScenarioMcNemar: ${a.length} vs ${b.length} repeats cannot be paired`);
  let onlyA = 0;
  let onlyB = 0;
  a.forEach((outcomeA, index) => {
    const outcomeB = b[index];
    if (![outcomeA, outcomeB].every((value) => value === 0 || value === 1)) throw new RangeError('singleScenarioMcNemar: outcomes must be 0 or 1');
    if (outcomeA === 1 && outcomeB === 0) onlyA += 1;
    if (outcomeA === 0 && outcomeB === 1) onlyB += 1;
  });
  return mcnemarExact(onlyA, onlyB);
}
