/**
 * A pass rate over scenarios whose interval stays honest when repeats of one scenario are
 * correlated (scenarios are the clusters) and when there are few scenarios.
 */
import { wilsonInterval, type Interval } from './binary.ts';
import { studentTQuantile } from './distributions.ts';

export interface RateCell {
  /** Passes in this scenario, or the sum of graded scores in [0, 1]. */
  passes: number;
  /** Model-answerable attempts in this scenario (infra errors excluded). */
  trials: number;
}

export interface ClusteredRateOptions {
  /** Two-sided confidence level; 0.95 unless told. */
  confidence?: number;
}

export type ClusteredRate =
  | { kind: 'empty'; scenarios: 0; trials: 0; interval: Interval }
  | {
      kind: 'single-scenario';
      scenarios: 1;
      trials: number;
      rate: number;
      /** Plain Wilson over the one scenario's repeats: says nothing about other scenarios. */
      withinScenarioInterval: Interval;
      /** Across scenarios nothing is known with one scenario: [0, 1]. */
      interval: Interval;
    }
  | {
      kind: 'clustered';
      scenarios: number;
      trials: number;
      /** Mean over scenarios of the per-scenario rates (each scenario weighs the same). */
      rate: number;
      /** Pooled passes / trials, for reference (weighs scenarios by their repeats). */
      pooledRate: number;
      interval: Interval;
      /** Cluster-robust variance over the variance if every attempt were independent (≥ 1). */
      designEffect: number;
      /** Attempts the interval is worth: the repeat-weighted total divided by the design effect. */
      effectiveTrials: number;
      /** Degrees of freedom of the t quantile: scenarios − 1. */
      degreesOfFreedom: number;
      quantile: number;
    };

function checkCell(cell: RateCell): void {
  if (!(cell.trials >= 0) || !(cell.passes >= 0) || cell.passes > cell.trials) {
    throw new RangeError(`clusteredRate: need 0 ≤ passes ≤ trials, got ${cell.passes}/${cell.trials}`);
  }
}

/**
 * Pass rate over scenarios with a 95% interval, after Korn & Graubard (1998, Survey Methodology
 * 24:193–201): a Wilson interval on the effective sample size n/deff with a t quantile on G − 1
 * degrees of freedom.
 *
 * - Estimate: the mean of per-scenario rates r_g, so unbalanced repeats do not reweight scenarios
 *   (the scenario is the unit that generalizes).
 * - Variance: cluster-robust V = Σ(r_g − r̄)² / (G(G − 1)); for an equally weighted mean of cluster
 *   means this is CR2 (Bell & McCaffrey 2002) and coincides with CR1.
 * - Design effect (Kish 1965): deff = max(1, V / V_bin) with V_bin = r̄(1 − r̄)·Σ(1/n_g)/G², the
 *   variance if all attempts were independent; floored at 1 so chance under-dispersion never
 *   narrows the interval. effectiveTrials = (G²/Σ 1/n_g) / deff.
 * - Interval: Wilson (stays inside [0, 1], sensible at 0 and 1) with z replaced by t_{G−1, 0.975},
 *   which widens it when the variance itself rests on few scenarios.
 * Why not a scenario bootstrap: with 8–20 scenarios the percentile bootstrap under-covers (it
 * ignores the uncertainty of the variance) and collapses to a point when all scenarios agree.
 * Cells with no trials are ignored; G = 1 cannot speak about other scenarios (see 'single-scenario').
 */
export function clusteredRate(cells: readonly RateCell[], options: ClusteredRateOptions = {}): ClusteredRate {
  cells.forEach(checkCell);
  const confidence = options.confidence ?? 0.95;
  const answered = cells.filter((cell) => cell.trials > 0);
  const trials = answered.reduce((sum, cell) => sum + cell.trials, 0);
  const passes = answered.reduce((sum, cell) => sum + cell.passes, 0);
  if (answered.length === 0) return { kind: 'empty', scenarios: 0, trials: 0, interval: { low: 0, high: 1 } };
  if (answered.length === 1) {
    const z = studentTQuantile(1 - (1 - confidence) / 2, Infinity);
    return { kind: 'single-scenario', scenarios: 1, trials, rate: passes / trials, withinScenarioInterval: wilsonInterval(passes, trials, z), interval: { low: 0, high: 1 } };
  }
  const scenarios = answered.length;
  const rates = answered.map((cell) => cell.passes / cell.trials);
  const rate = rates.reduce((sum, value) => sum + value, 0) / scenarios;
  const clusterVariance = rates.reduce((sum, value) => sum + (value - rate) ** 2, 0) / (scenarios * (scenarios - 1));
  const repeatWeightedTrials = (scenarios * scenarios) / answered.reduce((sum, cell) => sum + 1 / cell.trials, 0);
  const binomialVariance = (rate * (1 - rate)) / repeatWeightedTrials;
  const designEffect = binomialVariance > 0 ? Math.max(1, clusterVariance / binomialVariance) : 1;
  const effectiveTrials = repeatWeightedTrials / designEffect;
  const degreesOfFreedom = scenarios - 1;
  const quantile = studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom);
  const interval = wilsonInterval(rate * effectiveTrials, effectiveTrials, quantile);
  return { kind: 'clustered', scenarios, trials, rate, pooledRate: passes / trials, interval, designEffect, effectiveTrials, degreesOfFreedom, quantile };
}
