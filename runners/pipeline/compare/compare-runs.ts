import { DEFAULT_ALPHA } from '../summary/run-statistics.ts';
import { mcnemarExact, type McNemarResult } from '../statistics/binary.ts';
import { adjustFamily, outcomesByScenario, testPairedDifference, type Measure } from '../summary/paired-comparison.ts';
import { cohortIdOf, cohortKeyOf, groupBy, isModelAttributable, isPassed } from '../summary/spec-facts.ts';
import type { CellStatistics, CohortKey, CohortStatistics, PairedDifferenceStatistic, RateStatistic, RunSummary, SpecSummary } from '../summary/summary-types.ts';

/**
 * One cohort present in both runs: the paired scenario difference current − baseline (a = current,
 * b = baseline), on pass/fail and on the graded score. The matched cohorts of one comparison are
 * one Holm family per measure.
 */
export interface CohortChange {
  key: CohortKey;
  baseline: CohortStatistics;
  current: CohortStatistics;
  /** Pass/fail: the gate's test. */
  paired: PairedDifferenceStatistic;
  /** The graded score: the tuner's more sensitive instrument (never gated). */
  score: PairedDifferenceStatistic;
  /** A regression only when the Holm-adjusted p-value is below alpha and the effect is negative. */
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
  /**
   * Exact McNemar over this scenario's repeats paired by repeat index (model-attributable in both
   * runs): onlyA = passed only now, onlyB = passed only in the baseline. The right test within ONE
   * scenario; not adjusted for the number of scenarios, so it is a drill-down, never the gate.
   */
  mcnemar: McNemarResult & { pairs: number };
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
 * Compares a current run with a baseline. Cohorts match by (target, prompt variant) and are
 * compared by the paired scenario difference (scenarios as units, exact sign-flip), the matched
 * cohorts one Holm family; cells match by scenario (exact McNemar over repeats paired by index);
 * flips by spec id (a hash of scenario, target, prompt variant and repeat index). Pure.
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
  const cohorts = compareCohorts(matched, { baseline, current, alpha });
  return {
    kind: 'compared',
    comparison: {
      baseline: labelOf(baseline),
      current: labelOf(current),
      alpha,
      cohorts,
      cells: matchCells({ baseline, current, flips }),
      flips,
      onlyInBaseline: baseline.statistics.cohorts.filter((cohort) => !currentIds.has(cohortIdOf(cohort.key))).map((cohort) => cohort.key),
      onlyInCurrent: current.statistics.cohorts.filter((cohort) => !baselineCohorts.has(cohortIdOf(cohort.key))).map((cohort) => cohort.key),
      scenariosOnlyInBaseline: [...baselineScenarios].filter((id) => !currentScenarios.has(id)),
      scenariosOnlyInCurrent: [...currentScenarios].filter((id) => !baselineScenarios.has(id)),
    },
  };
}

interface CohortsInput {
  baseline: RunSummary;
  current: RunSummary;
  alpha: number;
}

/** Current − baseline per matched cohort, each measure one Holm family over the matched cohorts. */
function compareCohorts(matched: ReadonlyArray<{ current: CohortStatistics; baseline: CohortStatistics }>, { baseline, current, alpha }: CohortsInput): CohortChange[] {
  const currentSpecs = groupBy(current.specs, (spec) => cohortIdOf(cohortKeyOf(spec)));
  const baselineSpecs = groupBy(baseline.specs, (spec) => cohortIdOf(cohortKeyOf(spec)));
  const family = (measure: Measure) =>
    adjustFamily(
      matched.map(({ current: now }) => testPairedDifference(outcomesByScenario(currentSpecs.get(cohortIdOf(now.key)) ?? [], measure), outcomesByScenario(baselineSpecs.get(cohortIdOf(now.key)) ?? [], measure), measure)),
      alpha,
    );
  const pass = family('pass');
  const score = family('score');
  return matched.map(({ current: now, baseline: before }, index): CohortChange => {
    const paired = pass[index] ?? { kind: 'no-shared-scenarios', scenarios: 0, familySize: matched.length, verdict: 'not-significant' };
    const change = paired.verdict === 'b-better' ? 'regression' : paired.verdict === 'a-better' ? 'improvement' : 'not-significant';
    return { key: now.key, baseline: before, current: now, paired, score: score[index] ?? paired, change };
  });
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

interface CellsInput {
  baseline: RunSummary;
  current: RunSummary;
  flips: readonly SpecFlip[];
}

function matchCells({ baseline, current, flips }: CellsInput): CellChange[] {
  const cellId = (scenarioId: string, key: CohortKey) => JSON.stringify([scenarioId, cohortIdOf(key)]);
  const before = new Map(baseline.statistics.cells.map((cell: CellStatistics) => [cellId(cell.scenarioId, cell.key), cell]));
  const baselineSpecs = groupBy(baseline.specs, (spec) => cellId(spec.spec.scenarioId, cohortKeyOf(spec)));
  const currentSpecs = groupBy(current.specs, (spec) => cellId(spec.spec.scenarioId, cohortKeyOf(spec)));
  const flipsByCell = groupBy(flips, (flip) => cellId(flip.scenarioId, flip.key));
  return current.statistics.cells.flatMap((cell) => {
    const id = cellId(cell.scenarioId, cell.key);
    const then = before.get(id);
    if (then === undefined) return [];
    const cellFlips = flipsByCell.get(id) ?? [];
    const mcnemar = pairedMcNemar(currentSpecs.get(id) ?? [], baselineSpecs.get(id) ?? []);
    return [{ scenarioId: cell.scenarioId, key: cell.key, baseline: then.pass, current: cell.pass, flips: cellFlips, mcnemar }];
  });
}

/** Exact McNemar over one scenario's repeats paired by repeat index, model-attributable on both sides. */
export function pairedMcNemar(currentSpecs: readonly SpecSummary[], baselineSpecs: readonly SpecSummary[]): McNemarResult & { pairs: number } {
  const before = new Map(baselineSpecs.filter(isModelAttributable).map((spec) => [spec.spec.repeatIndex, spec]));
  let pairs = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const now of currentSpecs) {
    const then = before.get(now.spec.repeatIndex);
    if (then === undefined || !isModelAttributable(now)) continue;
    pairs += 1;
    if (isPassed(now) && !isPassed(then)) onlyA += 1;
    if (isPassed(then) && !isPassed(now)) onlyB += 1;
  }
  return { ...mcnemarExact(onlyA, onlyB), pairs };
}


function labelOf(summary: RunSummary): RunLabel {
  return { runId: summary.runId, startedAt: summary.startedAt, status: summary.status };
}

function listKeys(cohorts: readonly CohortStatistics[]): string {
  return cohorts.length === 0 ? 'none' : cohorts.map((cohort) => `${cohort.key.targetId} · ${cohort.key.promptVariantId}`).join(', ');
}
