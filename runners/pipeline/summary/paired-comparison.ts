import { holm } from '../statistics/multiplicity.ts';
import { pairedScenarioDifference, type PairedDifference } from '../statistics/paired-difference.ts';
import { scoreOfSpec } from './attempt-score.ts';
import { groupBy, isModelAttributable, isPassed } from './spec-facts.ts';
import type { CohortKey, PairedComparison, PairedDifferenceStatistic, SpecSummary } from './summary-types.ts';

/** What a paired difference is about: pass/fail (the headline) or the graded score. */
export type Measure = 'pass' | 'score';

/** Monte Carlo samples for non-lattice score differences on more than 22 scenarios (p's standard error ≈ 0.0015 at 0.05). */
const SCORE_MONTE_CARLO_SAMPLES = 20_000;

/** Per scenario, the outcomes of a cohort's model-answerable specs: 0/1, or the graded score. */
export function outcomesByScenario(specs: readonly SpecSummary[], measure: Measure): Map<string, number[]> {
  const answerable = specs.filter(isModelAttributable);
  const groups = groupBy(answerable, (spec) => spec.spec.scenarioId);
  const outcomeOf = (spec: SpecSummary): number => (measure === 'pass' ? (isPassed(spec) ? 1 : 0) : (scoreOfSpec(spec) ?? 0));
  return new Map([...groups].map(([scenario, group]) => [scenario, group.map(outcomeOf)]));
}

/**
 * The paired scenario difference a − b over the scenarios both have answerable results for
 * (pairedScenarioDifference: effect, t interval on G − 1 df, exact sign-flip p-value), before
 * any multiplicity adjustment.
 */
export function testPairedDifference(a: ReadonlyMap<string, readonly number[]>, b: ReadonlyMap<string, readonly number[]>, measure: Measure): PairedDifference {
  const pairs = [...a].map(([scenario, outcomes]) => ({ scenario, a: outcomes, b: b.get(scenario) ?? [] }));
  return pairedScenarioDifference(pairs, measure === 'score' ? { monteCarloSamples: SCORE_MONTE_CARLO_SAMPLES } : {});
}

/**
 * One Holm family (Holm 1979): the tests that compared something are adjusted together, so the
 * chance of any false "better/worse" among them is ≤ alpha whatever their number. A winner only
 * when the adjusted p-value is below alpha and the effect is not 0.
 */
export function adjustFamily(tests: readonly PairedDifference[], alpha: number): PairedDifferenceStatistic[] {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`adjustFamily: alpha must lie in (0, 1), got ${alpha}`);
  const compared = tests.flatMap((test) => (test.kind === 'compared' ? [test] : []));
  const family = holm(compared.map((test) => test.pValue), alpha);
  let next = 0;
  return tests.map((test): PairedDifferenceStatistic => {
    if (test.kind === 'no-shared-scenarios') return { kind: 'no-shared-scenarios', scenarios: 0, familySize: family.familySize, verdict: 'not-significant' };
    const adjustedP = family.adjusted[next] ?? 1;
    next += 1;
    const significant = adjustedP < alpha && test.effect !== 0;
    return {
      kind: 'compared',
      scenarios: test.scenarios,
      effect: test.effect,
      interval: test.interval,
      pValue: test.pValue,
      adjustedP,
      familySize: family.familySize,
      aBetter: test.aBetter,
      bBetter: test.bBetter,
      ties: test.ties,
      verdict: !significant ? 'not-significant' : test.effect > 0 ? 'a-better' : 'b-better',
    };
  });
}

export interface CohortPairsInput {
  cohorts: readonly CohortKey[];
  specsOf: (key: CohortKey) => readonly SpecSummary[];
  alpha: number;
}

/**
 * Every pair of cohorts (a before b in the given order), compared by paired scenario differences
 * on pass/fail and on the graded score. All pass tests are one Holm family — the scorecard's —
 * and all score tests another.
 */
export function compareCohortPairs({ cohorts, specsOf, alpha }: CohortPairsInput): PairedComparison[] {
  const outcomes = (measure: Measure) => cohorts.map((key) => outcomesByScenario(specsOf(key), measure));
  const byMeasure = { pass: outcomes('pass'), score: outcomes('score') };
  const pairs = cohorts.flatMap((a, i) => cohorts.slice(i + 1).map((b, offset) => ({ a, b, i, j: i + 1 + offset })));
  const family = (measure: Measure): PairedDifferenceStatistic[] => {
    const table = byMeasure[measure];
    return adjustFamily(pairs.map(({ i, j }) => testPairedDifference(table[i] ?? new Map(), table[j] ?? new Map(), measure)), alpha);
  };
  const pass = family('pass');
  const score = family('score');
  return pairs.map(({ a, b }, index): PairedComparison => ({ a, b, pass: pass[index] ?? notCompared(0), score: score[index] ?? notCompared(0) }));
}

function notCompared(familySize: number): PairedDifferenceStatistic {
  return { kind: 'no-shared-scenarios', scenarios: 0, familySize, verdict: 'not-significant' };
}
