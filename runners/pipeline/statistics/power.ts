/**
 * Planning a paired comparison with scenarios as the unit: the smallest gap a design can detect,
 * the repeats (or scenarios) a named gap needs, and the parameters estimated from past runs.
 *
 * Model: the per-scenario difference is d_g = δ + u_g + e_g, with u_g the scenario-to-scenario
 * spread of the true gap (SD τ, "betweenScenarioSd") and e_g the noise of R repeats per side,
 * Var(e_g) = 2σ²_w/R (σ²_w = mean within-scenario variance of one attempt, p(1 − p) for pass/fail).
 * So Var(mean d) = (τ² + 2σ²_w/R)/G: repeats only shrink the second term, scenarios shrink both.
 * The sign-flip test is as efficient as the t test asymptotically (Lehmann & Romano, TSH, §17.2),
 * so the two-sided t approximation is used: detectable δ = (t_{1−α/(2m), G−1} + t_{power, G−1})·SE.
 */
import { mcnemarExact } from './binary.ts';
import { studentTQuantile } from './distributions.ts';
import type { ScenarioPair } from './paired-difference.ts';

export interface PowerParameters {
  /** SD across scenarios of the true per-scenario difference (as a fraction: 0.15 = 15 points). */
  betweenScenarioSd: number;
  /** Mean within-scenario variance of one attempt's outcome (p(1 − p) for pass/fail). */
  withinVariance: number;
}

/**
 * Defaults: σ²_w = 0.177 is E[p(1 − p)] when scenario logits are N(0, 1.5²) (heterogeneous
 * difficulty, computed numerically); τ = 0.15 is a deliberately cautious guess for the spread of a
 * gap between two models across coding tasks. Estimate both from past runs when you can.
 */
export const DEFAULT_POWER_PARAMETERS: PowerParameters = { betweenScenarioSd: 0.15, withinVariance: 0.177 };

export interface Design {
  scenarios: number;
  repeats: number;
  /** Tests in the Holm family (K(K − 1)/2 for all pairs of K cohorts); Bonferroni-level for planning. */
  familySize: number;
  alpha?: number;
  power?: number;
}

export type DetectableGap =
  | { kind: 'detectable'; gap: number; standardError: number; noiseFloor: number | undefined; levelPerTest: number }
  | { kind: 'not-detectable'; reason: string; minimumPValue: number; levelPerTest: number };

function quantileSum(scenarios: number, levelPerTest: number, power: number): number {
  return studentTQuantile(1 - levelPerTest / 2, scenarios - 1) + studentTQuantile(power, scenarios - 1);
}

function standardErrorOf(scenarios: number, repeats: number, parameters: PowerParameters): number {
  return Math.sqrt((parameters.betweenScenarioSd ** 2 + (2 * parameters.withinVariance) / repeats) / scenarios);
}

/**
 * The "noise floor" of today's reports: the fewest discordant pairs, all one way, that pooled
 * McNemar could call significant at the per-test level, as a share of the G·R pairs. It ignores
 * scenario clustering, between-scenario spread and power, so it understates the real requirement.
 */
export function noiseFloor(pairs: number, levelPerTest: number): number | undefined {
  for (let discordant = 1; discordant <= pairs; discordant += 1) {
    if (mcnemarExact(discordant, 0).pValue <= levelPerTest) return discordant / pairs;
  }
  return undefined;
}

/** Smallest true gap (fraction of pass rate) detected with the given power at level α/m, two-sided. */
export function detectableGap(design: Design, parameters: PowerParameters = DEFAULT_POWER_PARAMETERS): DetectableGap {
  const alpha = design.alpha ?? 0.05;
  const power = design.power ?? 0.8;
  const levelPerTest = alpha / design.familySize;
  const minimumPValue = 2 ** (1 - design.scenarios);
  if (design.scenarios < 2 || minimumPValue > levelPerTest) {
    return { kind: 'not-detectable', reason: `${design.scenarios} scenarios cannot reach p ≤ ${levelPerTest.toPrecision(2)}: the sign-flip test's smallest p is ${minimumPValue.toPrecision(2)}; add scenarios`, minimumPValue, levelPerTest };
  }
  const standardError = standardErrorOf(design.scenarios, design.repeats, parameters);
  const gap = quantileSum(design.scenarios, levelPerTest, power) * standardError;
  return { kind: 'detectable', gap, standardError, noiseFloor: noiseFloor(design.scenarios * design.repeats, levelPerTest), levelPerTest };
}

export type RepeatsNeeded =
  | { kind: 'repeats'; repeats: number }
  | { kind: 'not-reachable-by-repeats'; reason: string; scenariosNeeded: number | undefined };

/**
 * Repeats per cell needed to detect `gap` with G scenarios: need (τ² + 2σ²_w/R)/G ≤ (gap/q)², i.e.
 * R ≥ 2σ²_w / (G(gap/q)² − τ²). When G(gap/q)² ≤ τ² the between-scenario spread alone is too large:
 * no number of repeats helps, and the scenarios needed (with `fallbackRepeats` per cell) are given.
 */
export function repeatsNeeded(gap: number, design: Omit<Design, 'repeats'>, parameters: PowerParameters = DEFAULT_POWER_PARAMETERS, fallbackRepeats = 5): RepeatsNeeded {
  const levelPerTest = (design.alpha ?? 0.05) / design.familySize;
  const notReachable = (reason: string): RepeatsNeeded => ({ kind: 'not-reachable-by-repeats', reason, scenariosNeeded: scenariosNeeded(gap, { ...design, repeats: fallbackRepeats }, parameters) });
  if (design.scenarios < 2 || 2 ** (1 - design.scenarios) > levelPerTest) return notReachable(`not reachable by repeats alone: ${design.scenarios} scenarios are too few for this family; add scenarios`);
  const q = quantileSum(design.scenarios, levelPerTest, design.power ?? 0.8);
  const room = design.scenarios * (gap / q) ** 2 - parameters.betweenScenarioSd ** 2;
  if (!(room > 0)) return notReachable('not reachable by repeats alone: between-scenario variance dominates; add scenarios');
  return { kind: 'repeats', repeats: Math.max(1, Math.ceil((2 * parameters.withinVariance) / room)) };
}

/** Fewest scenarios (≤ 10 000) that detect `gap` at the design's repeats, or undefined. */
export function scenariosNeeded(gap: number, design: Omit<Design, 'scenarios'>, parameters: PowerParameters = DEFAULT_POWER_PARAMETERS): number | undefined {
  for (let scenarios = 2; scenarios <= 10_000; scenarios += 1) {
    const result = detectableGap({ ...design, scenarios }, parameters);
    if (result.kind === 'detectable' && result.gap <= gap) return scenarios;
  }
  return undefined;
}

export type EstimatedParameters =
  | ({ kind: 'estimated'; scenarios: number } & PowerParameters)
  | { kind: 'insufficient'; reason: string };

function unbiasedVariance(values: readonly number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
}

/**
 * Method-of-moments estimates from past paired per-scenario data (any number of cohort pairs, one
 * entry per pair × scenario): σ²_w = mean unbiased within-cell variance (cells with ≥ 2 repeats);
 * τ² = max(0, Var_g(d_g) − mean_g(s²_a/n_a + s²_b/n_b)), the spread of d_g not explained by repeat noise.
 */
export function estimatePowerParameters(pairs: readonly ScenarioPair[]): EstimatedParameters {
  const usable = pairs.filter((pair) => pair.a.length >= 2 && pair.b.length >= 2);
  if (usable.length < 3) return { kind: 'insufficient', reason: `need ≥ 3 scenarios with ≥ 2 repeats on both sides, got ${usable.length}` };
  const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  const diffs = usable.map((pair) => mean(pair.a) - mean(pair.b));
  const noise = usable.map((pair) => unbiasedVariance(pair.a) / pair.a.length + unbiasedVariance(pair.b) / pair.b.length);
  const withinVariance = mean(usable.flatMap((pair) => [unbiasedVariance(pair.a), unbiasedVariance(pair.b)]));
  const betweenScenarioSd = Math.sqrt(Math.max(0, unbiasedVariance(diffs) - mean(noise)));
  return { kind: 'estimated', scenarios: usable.length, betweenScenarioSd, withinVariance };
}
