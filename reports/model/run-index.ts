import type { CohortKey, CohortStatistics, RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { cohortIdOf } from '../../runners/pipeline/summary/spec-facts.ts';

/**
 * The report's two axes, numbered once: scenarios (rows of the heatmap) and cohorts
 * (target × prompt variant: rows of the scorecard, columns of the heatmap). The server-rendered
 * tables and the embedded data use the same numbers, so a click on a cell can name its attempts.
 */
export interface RunIndex {
  scenarios: RunSummary['scenarios'];
  cohorts: CohortKey[];
  scenarioIndexOf: (scenarioId: string) => number;
  cohortIndexOf: (key: CohortKey) => number;
  /** The statistics of a cohort, when the summary has any for it. */
  statisticsOf: (key: CohortKey) => CohortStatistics | undefined;
}

/** `target · prompt variant`, as people read a cohort. */
export function nameOf(key: CohortKey): string {
  return `${key.targetId} · ${key.promptVariantId}`;
}


export function buildRunIndex(summary: RunSummary): RunIndex {
  const scenarios = listScenarios(summary);
  const cohorts = listCohorts(summary);
  const scenarioNumbers = new Map(scenarios.map((scenario, index) => [scenario.id, index]));
  const cohortNumbers = new Map(cohorts.map((key, index) => [cohortIdOf(key), index]));
  const statistics = new Map(summary.statistics.cohorts.map((cohort) => [cohortIdOf(cohort.key), cohort]));
  return {
    scenarios,
    cohorts,
    scenarioIndexOf: (scenarioId) => required(scenarioNumbers.get(scenarioId), `scenario ${scenarioId}`),
    cohortIndexOf: (key) => required(cohortNumbers.get(cohortIdOf(key)), `cohort ${cohortIdOf(key)}`),
    statisticsOf: (key) => statistics.get(cohortIdOf(key)),
  };
}

/** Cohorts in the statistics' order (declared targets first), then any only a spec names. */
function listCohorts(summary: RunSummary): CohortKey[] {
  const seen = new Map<string, CohortKey>();
  for (const cohort of summary.statistics.cohorts) seen.set(cohortIdOf(cohort.key), cohort.key);
  for (const { spec } of summary.specs) {
    const key = { targetId: spec.targetId, promptVariantId: spec.promptVariantId };
    if (!seen.has(cohortIdOf(key))) seen.set(cohortIdOf(key), key);
  }
  return [...seen.values()];
}

/** The run's scenarios, plus any a spec names that the run did not declare. */
export function listScenarios(summary: RunSummary): RunSummary['scenarios'] {
  const declared = new Set(summary.scenarios.map((scenario) => scenario.id));
  const undeclared = [...new Set(summary.specs.map((spec) => spec.spec.scenarioId))].filter((id) => !declared.has(id));
  return [...summary.scenarios, ...undeclared.map((id) => ({ id, title: id, fixture: '—', tags: [], turns: [] }))];
}

function required(value: number | undefined, what: string): number {
  if (value === undefined) throw new Error(`report index: unknown ${what}`);
  return value;
}

export { cohortIdOf };
