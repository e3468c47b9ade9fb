/**
 * Scorecard verdicts for K cohorts: every pair compared on its shared scenarios, all pairs as ONE
 * family under Holm, and labels read off that family so they agree with it in both directions.
 */
import { clusteredRate, type ClusteredRate } from './clustered-rate.ts';
import { holm } from './multiplicity.ts';
import { pairedScenarioDifference } from './paired-difference.ts';
import { explainVerdict } from './verdict-explanations.ts';
import type { CohortResults, Matchup, Scorecard, VerdictOptions, VerdictWithoutExplanation } from './verdict-types.ts';

const trialsOf = (cohort: CohortResults): number => cohort.cells.reduce((sum, cell) => sum + cell.outcomes.length, 0);
const totalOf = (cohort: CohortResults): number => cohort.cells.reduce((sum, cell) => sum + cell.outcomes.reduce((s, v) => s + v, 0), 0);
const rateOf = (cohort: CohortResults): ClusteredRate =>
  clusteredRate(cohort.cells.map((cell) => ({ passes: cell.outcomes.reduce((s, v) => s + v, 0), trials: cell.outcomes.length })));

/** All pairwise comparisons among rated cohorts, Holm-adjusted as one family; keyed "i:j". */
export function compareAllPairs(cohorts: readonly CohortResults[], alpha: number): Map<string, Matchup> {
  const tests: Array<{ i: number; j: number; effect: number; better: number; worse: number; scenarios: number; pValue: number }> = [];
  cohorts.forEach((left, i) => {
    cohorts.forEach((right, j) => {
      if (j <= i) return;
      const byScenario = new Map(right.cells.map((cell) => [cell.scenario, cell.outcomes]));
      const pairs = left.cells.map((cell) => ({ scenario: cell.scenario, a: cell.outcomes, b: byScenario.get(cell.scenario) ?? [] }));
      const result = pairedScenarioDifference(pairs);
      if (result.kind === 'compared') tests.push({ i, j, effect: result.effect, better: result.aBetter, worse: result.bBetter, scenarios: result.scenarios, pValue: result.pValue });
    });
  });
  const family = holm(tests.map((test) => test.pValue), alpha);
  const matchups = new Map<string, Matchup>();
  tests.forEach((test, index) => {
    const adjustedP = family.adjusted[index] ?? 1;
    const significant = family.reject[index] === true && test.effect !== 0;
    const shared = { scenarios: test.scenarios, pValue: test.pValue, adjustedP, significant };
    matchups.set(`${test.i}:${test.j}`, { other: cohorts[test.j]?.id ?? '', effect: test.effect, better: test.better, worse: test.worse, ...shared });
    matchups.set(`${test.j}:${test.i}`, { other: cohorts[test.i]?.id ?? '', effect: -test.effect, better: test.worse, worse: test.better, ...shared });
  });
  return matchups;
}

function decideRated(
  cohort: CohortResults,
  matchups: readonly Matchup[],
  otherCount: number,
  options: Required<VerdictOptions>,
): VerdictWithoutExplanation {
  const rate = rateOf(cohort);
  const worseThan = matchups.filter((m) => m.significant && m.effect < 0).sort((l, r) => l.adjustedP - r.adjustedP);
  if (worseThan.length > 0) return { kind: 'significantly-worse', cohort: cohort.id, rate, worseThan };
  const beats = matchups.filter((m) => m.significant && m.effect > 0).sort((l, r) => r.adjustedP - l.adjustedP);
  const challengers = matchups.filter((m) => !m.significant).sort((l, r) => l.effect - r.effect || l.adjustedP - r.adjustedP);
  const scenarios = cohort.cells.filter((cell) => cell.outcomes.length > 0).length;
  const trials = trialsOf(cohort);
  const beatsAll = otherCount > 0 && beats.length === otherCount;
  const enough = scenarios >= options.minScenariosForBest && trials >= options.minTrialsForBest;
  if (beatsAll && enough) return { kind: 'best', cohort: cohort.id, rate, beats };
  const notBestBecause = beatsAll
    ? `only ${scenarios} scenarios and ${trials} attempts with answerable results (needs ${options.minScenariosForBest} and ${options.minTrialsForBest})`
    : undefined;
  return { kind: 'top-group', cohort: cohort.id, rate, strongestChallenger: challengers[0], notBestBecause };
}

/**
 * Decide the scorecard. Family: all pairs of rated cohorts that share a scenario, each tested with
 * pairedScenarioDifference (sign-flip over scenarios), Holm at `alpha` over the whole family, so the
 * chance of ANY false "better/worse" on the scorecard is ≤ alpha whatever K. No best is selected
 * before testing, so there is no selection effect to correct. Labels:
 * - 'best': significantly better than every other rated cohort (then nobody can be significantly
 *   better than it), and it meets the minimum-n rule;
 * - 'significantly-worse': some cohort is significantly better (named; A worse than B ⇔ B better
 *   than A, since each pair is one test);
 * - 'top-group': nobody is significantly better (it could be best);
 * - 'nothing-to-rate': no answerable result (infra errors only), kept out of the family;
 * - 'nothing-passed': no rated cohort passed anything anywhere, so no best is named.
 */
export function decideScorecard(cohorts: readonly CohortResults[], options: VerdictOptions = {}): Scorecard {
  const ids = new Set(cohorts.map((cohort) => cohort.id));
  if (ids.size !== cohorts.length) throw new RangeError('decideScorecard: cohort ids must be unique');
  const settings: Required<VerdictOptions> = { alpha: options.alpha ?? 0.05, minScenariosForBest: options.minScenariosForBest ?? 5, minTrialsForBest: options.minTrialsForBest ?? 10 };
  const rated = cohorts.filter((cohort) => trialsOf(cohort) > 0);
  const unrated = cohorts.filter((cohort) => trialsOf(cohort) === 0);
  const unratedVerdicts = unrated.map((cohort): VerdictWithoutExplanation => ({
    kind: 'nothing-to-rate', cohort: cohort.id, rate: rateOf(cohort), infraErrors: cohort.cells.reduce((sum, cell) => sum + (cell.infraErrors ?? 0), 0),
  }));
  const nothingPassed = rated.length > 0 && rated.every((cohort) => totalOf(cohort) === 0);
  const matchups = nothingPassed ? new Map<string, Matchup>() : compareAllPairs(rated, settings.alpha);
  const familySize = matchups.size / 2;
  const ratedVerdicts = rated.map((cohort, i): VerdictWithoutExplanation => {
    if (nothingPassed) return { kind: 'nothing-passed', cohort: cohort.id, rate: rateOf(cohort) };
    const own = rated.flatMap((_, j) => matchups.get(`${i}:${j}`) ?? []);
    return decideRated(cohort, own, rated.length - 1, settings);
  });
  const byId = new Map([...ratedVerdicts, ...unratedVerdicts].map((verdict) => [verdict.cohort, verdict]));
  const context = { familySize, ratedCohorts: rated.length };
  const verdicts = cohorts.flatMap((cohort) => {
    const verdict = byId.get(cohort.id);
    return verdict === undefined ? [] : [{ ...verdict, explanation: explainVerdict(verdict, context) }];
  });
  const best = verdicts.find((verdict) => verdict.kind === 'best')?.cohort;
  const status = rated.length === 0 ? 'nothing-to-rate' : nothingPassed ? 'nothing-passed' : 'rated';
  return { status, best, familySize, ratedCohorts: rated.length, alpha: settings.alpha, verdicts };
}
