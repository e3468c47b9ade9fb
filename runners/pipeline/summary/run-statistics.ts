import type { RecordedTarget } from '../events/event-types.ts';
import { median } from '../statistics/descriptive.ts';
import { computeCellStatistics, computeCohortStatistics, computeOutputTokensPerSecond } from './cohort-statistics.ts';
import { compareCohortPairs } from './paired-comparison.ts';
import { computeRunPower } from './run-power.ts';
import { decideRunVerdicts } from './run-verdicts.ts';
import { toScenarioRate } from './scenario-rates.ts';
import { cohortIdOf, cohortKeyOf, finalAttemptOf, groupBy, isModelAttributable, isPassed } from './spec-facts.ts';
import type { CohortKey, RunStatistics, SpecSummary } from './summary-types.ts';

/** The significance level used when none is given. */
export const DEFAULT_ALPHA = 0.05;

/**
 * Statistics over a run's specs. A spec (scenario × target × prompt variant × repeat) counts by
 * its final outcome; infra errors and pending specs stay out of every denominator, a timeout
 * counts as not passed. Cells are scenario × cohort, cohorts are target × prompt variant.
 * Scenarios are the unit that generalizes: cohort rates carry scenario-clustered intervals,
 * comparisons are paired differences over scenarios (exact sign-flip), Holm-adjusted as one
 * family, and the verdicts are read off that family. Pure: the same specs give the same statistics.
 */
export function computeRunStatistics(specs: readonly SpecSummary[], targets: readonly RecordedTarget[], alpha = DEFAULT_ALPHA): RunStatistics {
  const cohortKeys = orderCohorts(specs, targets);
  const specsByCohort = groupBy(specs, (spec) => cohortIdOf(cohortKeyOf(spec)));
  const specsOf = (key: CohortKey): SpecSummary[] => specsByCohort.get(cohortIdOf(key)) ?? [];
  const scenarioIds = [...new Set(specs.map((spec) => spec.spec.scenarioId))];
  const cells = cohortKeys.flatMap((key) => {
    const byScenario = groupBy(specsOf(key), (spec) => spec.spec.scenarioId);
    return scenarioIds.flatMap((scenarioId) => {
      const cellSpecs = byScenario.get(scenarioId);
      return cellSpecs === undefined ? [] : [computeCellStatistics(scenarioId, key, cellSpecs)];
    });
  });
  const targetsById = new Map(targets.map((target) => [target.id, target]));
  const cohorts = cohortKeys.map((key) =>
    computeCohortStatistics({
      key,
      target: targetsById.get(key.targetId),
      specs: specsOf(key),
      cells: cells.filter((cell) => cohortIdOf(cell.key) === cohortIdOf(key)),
    }),
  );
  return {
    alpha,
    cells,
    cohorts,
    byQuantization: aggregateByQuantization(specs, cohortKeys, targetsById),
    verdicts: decideRunVerdicts({ cohorts: cohortKeys, specsOf, alpha }),
    comparisons: compareCohortPairs({ cohorts: cohortKeys, specsOf, alpha }),
    power: computeRunPower(specs, alpha),
  };
}

/** Cohorts in the order the run declared its targets, then prompt variants as first planned. */
function orderCohorts(specs: readonly SpecSummary[], targets: readonly RecordedTarget[]): CohortKey[] {
  const keys = [...groupBy(specs, (spec) => cohortIdOf(cohortKeyOf(spec))).values()].flatMap((group) => (group[0] === undefined ? [] : [cohortKeyOf(group[0])]));
  const targetRank = (id: string): number => {
    const index = targets.findIndex((target) => target.id === id);
    return index === -1 ? targets.length : index;
  };
  // Array.prototype.sort is stable: within a target, first-planned order is kept.
  return keys.sort((left, right) => targetRank(left.targetId) - targetRank(right.targetId));
}

function aggregateByQuantization(
  specs: readonly SpecSummary[],
  cohortKeys: readonly CohortKey[],
  targetsById: ReadonlyMap<string, RecordedTarget>,
): RunStatistics['byQuantization'] {
  const quantizationOf = (targetId: string): string => targetsById.get(targetId)?.quantization ?? 'unknown';
  const groups = groupBy(specs, (spec) => quantizationOf(spec.spec.targetId));
  const quantizations = [...new Set(cohortKeys.map((key) => quantizationOf(key.targetId)))];
  return quantizations.map((quantization) => {
    const attributable = (groups.get(quantization) ?? []).filter(isModelAttributable);
    const agentMs = attributable.flatMap((spec) => finalAttemptOf(spec)?.timings.agentMs ?? []);
    const byScenario = [...groupBy(attributable, (spec) => spec.spec.scenarioId).values()];
    return {
      quantization,
      cohorts: cohortKeys.filter((key) => quantizationOf(key.targetId) === quantization),
      pass: toScenarioRate(byScenario.map((group) => ({ passes: group.filter(isPassed).length, trials: group.length }))),
      outputTokensPerSecond: computeOutputTokensPerSecond(attributable),
      medianAgentMs: median(agentMs) ?? null,
    };
  });
}
