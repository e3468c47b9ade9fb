import { DEFAULT_ALPHA } from '../summary/run-statistics.ts';
import { comparePaired } from '../summary/paired-comparison.ts';
import { cohortIdOf, cohortKeyOf, isModelAttributable, isPassed } from '../summary/spec-facts.ts';
import type { CellStatistics, CohortKey, CohortStatistics, PairedComparison, RateStatistic, RunSummary, SpecSummary } from '../summary/summary-types.ts';

/** One cohort present in both runs. `paired.a` is the current run, `paired.b` the baseline. */
export interface CohortChange {
  key: CohortKey;
  baseline: CohortStatistics;
  current: CohortStatistics;
  paired: PairedComparison;
  /** Only a significant paired difference is a regression or an improvement. */
  change: 'regression' | 'improvement' | 'not-significant';
}

/** A spec (same id in both runs) whose model-attributable outcome changed between pass and not-pass. */
export interface SpecFlip {
  specId: string;
  scenarioId: string;
  key: CohortKey;
  repeatIndex: number;
  direction: 'pass-to-fail' | 'fail-to-pass';
  baseline: SpecSummary['outcome']['kind'];
  current: SpecSummary['outcome']['kind'];
}

/** One scenario under a cohort present in both runs. */
export interface CellChange {
  scenarioId: string;
  key: CohortKey;
  baseline: RateStatistic;
  current: RateStatistic;
  flips: SpecFlip[];
}

export interface RunComparison {
  baseline: RunLabel;
  current: RunLabel;
  alpha: number;
  cohorts: CohortChange[];
  cells: CellChange[];
  flips: SpecFlip[];
  onlyInBaseline: CohortKey[];
  onlyInCurrent: CohortKey[];
  scenariosOnlyInBaseline: string[];
  scenariosOnlyInCurrent: string[];
}

export interface RunLabel {
  runId: string;
  startedAt: string;
  status: RunSummary['status'];
}

export type CompareRunsResult = { kind: 'compared'; comparison: RunComparison } | { kind: 'not-comparable'; reason: string };

/**
 * Compares a current run with a baseline. Cohorts match by (target, prompt variant), cells by
 * scenario, pairs by scenario + repeat index; flips by spec id (a hash of exactly those). Pure.
 */
export function compareRuns(baseline: RunSummary, current: RunSummary, alpha = DEFAULT_ALPHA): CompareRunsResult {
  const baselineCohorts = new Map(baseline.statistics.cohorts.map((cohort) => [cohortIdOf(cohort.key), cohort]));
  const currentIds = new Set(current.statistics.cohorts.map((cohort) => cohortIdOf(cohort.key)));
  const matched = current.statistics.cohorts.flatMap((cohort) => {
    const before = baselineCohorts.get(cohortIdOf(cohort.key));
    return before === undefined ? [] : [{ current: cohort, baseline: before }];
  });
  if (matched.length === 0) {
    return { kind: 'not-comparable', reason: `no cohort (target · prompt variant) in common: baseline has ${listKeys(baseline.statistics.cohorts)}; current has ${listKeys(current.statistics.cohorts)}` };
  }
  const baselineScenarios = new Set(baseline.specs.map((spec) => spec.spec.scenarioId));
  const currentScenarios = new Set(current.specs.map((spec) => spec.spec.scenarioId));
  if (![...currentScenarios].some((id) => baselineScenarios.has(id))) {
    return { kind: 'not-comparable', reason: `no scenario in common: baseline ran ${[...baselineScenarios].join(', ')}; current ran ${[...currentScenarios].join(', ')}` };
  }
  const flips = findFlips(baseline.specs, current.specs);
  const cohorts = matched.map(({ current: now, baseline: before }) => compareCohort(before, now, specsOf(baseline, now.key), specsOf(current, now.key), alpha));
  return {
    kind: 'compared',
    comparison: {
      baseline: labelOf(baseline),
      current: labelOf(current),
      alpha,
      cohorts,
      cells: matchCells(baseline.statistics.cells, current.statistics.cells, flips),
      flips,
      onlyInBaseline: baseline.statistics.cohorts.filter((cohort) => !currentIds.has(cohortIdOf(cohort.key))).map((cohort) => cohort.key),
      onlyInCurrent: current.statistics.cohorts.filter((cohort) => !baselineCohorts.has(cohortIdOf(cohort.key))).map((cohort) => cohort.key),
      scenariosOnlyInBaseline: [...baselineScenarios].filter((id) => !currentScenarios.has(id)),
      scenariosOnlyInCurrent: [...currentScenarios].filter((id) => !baselineScenarios.has(id)),
    },
  };
}

function compareCohort(baseline: CohortStatistics, current: CohortStatistics, baselineSpecs: SpecSummary[], currentSpecs: SpecSummary[], alpha: number): CohortChange {
  const paired = comparePaired({ a: current.key, b: baseline.key, specsA: currentSpecs, specsB: baselineSpecs, alpha });
  const change = paired.verdict === 'b-better' ? 'regression' : paired.verdict === 'a-better' ? 'improvement' : 'not-significant';
  return { key: current.key, baseline, current, paired, change };
}

function findFlips(baselineSpecs: readonly SpecSummary[], currentSpecs: readonly SpecSummary[]): SpecFlip[] {
  const before = new Map(baselineSpecs.map((spec) => [spec.spec.id, spec]));
  return currentSpecs.flatMap((now): SpecFlip[] => {
    const then = before.get(now.spec.id);
    if (then === undefined || !isModelAttributable(then) || !isModelAttributable(now) || isPassed(then) === isPassed(now)) return [];
    const { spec } = now;
    return [{
      specId: spec.id, scenarioId: spec.scenarioId, key: cohortKeyOf(now), repeatIndex: spec.repeatIndex,
      direction: isPassed(then) ? 'pass-to-fail' : 'fail-to-pass', baseline: then.outcome.kind, current: now.outcome.kind,
    }];
  });
}

function matchCells(baseline: readonly CellStatistics[], current: readonly CellStatistics[], flips: readonly SpecFlip[]): CellChange[] {
  const cellId = (scenarioId: string, key: CohortKey) => JSON.stringify([scenarioId, cohortIdOf(key)]);
  const before = new Map(baseline.map((cell) => [cellId(cell.scenarioId, cell.key), cell]));
  return current.flatMap((cell) => {
    const then = before.get(cellId(cell.scenarioId, cell.key));
    if (then === undefined) return [];
    const cellFlips = flips.filter((flip) => cellId(flip.scenarioId, flip.key) === cellId(cell.scenarioId, cell.key));
    return [{ scenarioId: cell.scenarioId, key: cell.key, baseline: then.pass, current: cell.pass, flips: cellFlips }];
  });
}

function specsOf(summary: RunSummary, key: CohortKey): SpecSummary[] {
  return summary.specs.filter((spec) => cohortIdOf(cohortKeyOf(spec)) === cohortIdOf(key));
}

function labelOf(summary: RunSummary): RunLabel {
  return { runId: summary.runId, startedAt: summary.startedAt, status: summary.status };
}

function listKeys(cohorts: readonly CohortStatistics[]): string {
  return cohorts.length === 0 ? 'none' : cohorts.map((cohort) => `${cohort.key.targetId} · ${cohort.key.promptVariantId}`).join(', ');
}
