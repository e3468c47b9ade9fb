import { DEFAULT_POWER_PARAMETERS, detectableGap, estimatePowerParameters, type PowerParameters } from '../statistics/power.ts';
import { outcomesByScenario } from './paired-comparison.ts';
import { cohortIdOf, cohortKeyOf, groupBy } from './spec-facts.ts';
import type { PowerParameterSource, PowerStatistic, SpecSummary } from './summary-types.ts';

/** The power a plan is judged at. */
export const PLANNING_POWER = 0.8;

export type EstimatedPower = { source: PowerParameterSource } & PowerParameters;

/**
 * The spread of the true gap across scenarios (τ) and the variance of one attempt (σ²_w), estimated
 * from a run's paired pass/fail data: estimatePowerParameters on each pair of cohorts (method of
 * moments over their shared scenarios), then τ² and σ²_w averaged over the pairs, weighted by
 * scenarios. Each pair on its own, so a true gap between two cohorts is not taken for spread.
 * The cautious defaults when no pair has ≥ 3 scenarios with ≥ 2 repeats on both sides.
 */
export function estimateRunPowerParameters(specs: readonly SpecSummary[]): EstimatedPower {
  const cohorts = [...groupBy(specs, (spec) => cohortIdOf(cohortKeyOf(spec))).values()].map((group) => outcomesByScenario(group, 'pass'));
  let weight = 0;
  let tauSquared = 0;
  let within = 0;
  cohorts.forEach((a, i) => {
    for (const b of cohorts.slice(i + 1)) {
      const estimate = estimatePowerParameters([...a].map(([scenario, outcomes]) => ({ scenario, a: outcomes, b: b.get(scenario) ?? [] })));
      if (estimate.kind !== 'estimated') continue;
      weight += estimate.scenarios;
      tauSquared += estimate.scenarios * estimate.betweenScenarioSd ** 2;
      within += estimate.scenarios * estimate.withinVariance;
    }
  });
  if (weight === 0) return { source: { kind: 'defaults', reason: 'no two configurations share 3 scenarios with 2 repeats or more' }, ...DEFAULT_POWER_PARAMETERS };
  return { source: { kind: 'this run' }, betweenScenarioSd: Math.sqrt(tauSquared / weight), withinVariance: within / weight };
}

export interface PlannedDesign {
  scenarios: number;
  repeats: number;
  cohorts: number;
  alpha: number;
}

/** Pairwise tests among K cohorts (K(K − 1)/2), at least 1: a single cohort is compared with a later run. */
export function familySizeOf(cohorts: number): number {
  return Math.max(1, (cohorts * (cohorts - 1)) / 2);
}

/** The smallest gap the design detects with 80% power at its family size (see power.ts for the model). */
export function computePower(design: PlannedDesign, parameters: EstimatedPower): PowerStatistic {
  const familySize = familySizeOf(design.cohorts);
  const result = detectableGap({ scenarios: design.scenarios, repeats: Math.max(1, design.repeats), familySize, alpha: design.alpha, power: PLANNING_POWER }, parameters);
  return {
    scenarios: design.scenarios,
    repeats: design.repeats,
    familySize,
    alpha: design.alpha,
    power: PLANNING_POWER,
    parameters: { betweenScenarioSd: parameters.betweenScenarioSd, withinVariance: parameters.withinVariance, source: parameters.source },
    detectableGap: result.kind === 'detectable' ? result.gap : null,
    reason: result.kind === 'detectable' ? null : result.reason,
  };
}

/** The run's own design: its scenarios, the most repeats any cell was planned with, its cohorts. */
export function computeRunPower(specs: readonly SpecSummary[], alpha: number): PowerStatistic {
  const scenarios = new Set(specs.map((spec) => spec.spec.scenarioId)).size;
  const repeats = specs.reduce((most, spec) => Math.max(most, spec.spec.repeatIndex + 1), 0);
  const cohorts = new Set(specs.map((spec) => cohortIdOf(cohortKeyOf(spec)))).size;
  return computePower({ scenarios, repeats, cohorts, alpha }, estimateRunPowerParameters(specs));
}
