import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../core/domain/check-result.ts';
import { computeRunStatistics } from './run-statistics.ts';
import { wilsonInterval } from '../statistics/binary.ts';
import type { CohortKey, CohortStatistics, RunStatistics, SpecSummary } from './summary-types.ts';
import { makeRepeats, makeSpecSummary, makeTarget } from './test-support.ts';

const key = (targetId: string, promptVariantId = 'default'): CohortKey => ({ targetId, promptVariantId });

function cohortOf(statistics: RunStatistics, targetId: string): CohortStatistics {
  const cohort = statistics.cohorts.find((candidate) => candidate.key.targetId === targetId);
  if (cohort === undefined) throw new Error(`no cohort ${targetId}`);
  return cohort;
}

function verdictOf(statistics: RunStatistics, targetId: string) {
  return statistics.verdicts.cohorts.find((verdict) => verdict.key.targetId === targetId);
}

function partsOf(spec: SpecSummary): { scenarioId: string; targetId: string; repeatIndex: number; outcome: 'F' } {
  return { scenarioId: spec.spec.scenarioId, targetId: spec.spec.targetId, repeatIndex: spec.spec.repeatIndex, outcome: 'F' };
}

describe('computeRunStatistics: a hand-computed three-cohort run', () => {
  // A: 5/8, B: 1/8, C: 7/8 over two scenarios × four repeats.
  const specs = [
    ...makeRepeats('s1', 'ta', 'PPPF'), ...makeRepeats('s2', 'ta', 'PPFF'),
    ...makeRepeats('s1', 'tb', 'PFFF'), ...makeRepeats('s2', 'tb', 'FFFF'),
    ...makeRepeats('s1', 'tc', 'PPPP'), ...makeRepeats('s2', 'tc', 'PPPF'),
  ];
  const targets = [makeTarget('ta', 'fp16'), makeTarget('tb', 'awq-int4'), makeTarget('tc', 'fp16')];
  const statistics = computeRunStatistics(specs, targets);

  it('gives each cohort its scenario-clustered pass rate, wider than the pooled Wilson interval', () => {
    expect(statistics.cohorts.map((cohort) => cohort.key.targetId)).toEqual(['ta', 'tb', 'tc']);
    const c = cohortOf(statistics, 'tc').pass;
    expect(c).toMatchObject({ passes: 7, trials: 8, rate: 0.875, pooledRate: 0.875, method: 'clustered-wilson', scenarios: 2 });
    // Two scenarios: the t quantile on 1 df (12.7) makes the interval honest about how little two scenarios say.
    const pooled = wilsonInterval(7, 8);
    expect(c.interval.high - c.interval.low).toBeGreaterThan(pooled.high - pooled.low);
    expect(c.interval.low).toBeLessThan(0.875);
    expect(c.designEffect).toBeGreaterThanOrEqual(1);
    expect(cohortOf(statistics, 'ta').pass.rate).toBe(0.625);
  });

  it('computes pass@k and pass^k per cell and their means per cohort', () => {
    const cell = statistics.cells.find((candidate) => candidate.scenarioId === 's1' && candidate.key.targetId === 'ta');
    // n = 4, c = 3: pass@2 = 1 − C(1,2)/C(4,2) = 1; pass^2 = C(3,2)/C(4,2) = 0.5; pass^3 = 1/4.
    expect(cell?.passAtK).toEqual({ 1: 0.75, 2: 1, 3: 1, 4: 1 });
    const expected = [0.75, 0.5, 0.25, 0];
    expected.forEach((value, index) => expect(cell?.passHatK[index + 1]).toBeCloseTo(value, 14));
    const a = cohortOf(statistics, 'ta');
    // s2 (n = 4, c = 2): pass@2 = 5/6, pass^2 = 1/6.
    expect(a.passAtK[1]).toBeCloseTo(0.625, 12);
    expect(a.passAtK[2]).toBeCloseTo(11 / 12, 12);
    expect(a.passHatK[2]).toBeCloseTo(1 / 3, 12);
    expect(a.passHatK[3]).toBeCloseTo(0.125, 12);
    expect(Object.keys(a.passHatK)).toEqual(['1', '2', '3', '4']);
    expect(statistics.cells).toHaveLength(6);
  });

  it('two scenarios cannot make any difference significant: no best, every cohort in the top group', () => {
    expect(statistics.verdicts).toMatchObject({ status: 'rated', best: null, familySize: 3, ratedCohorts: 3, alpha: 0.05 });
    expect(statistics.verdicts.cohorts.map((verdict) => verdict.verdict)).toEqual(['top-group', 'top-group', 'top-group']);
    expect(verdictOf(statistics, 'tb')?.explanation).toMatch(/^No configuration is significantly better than tb: the strongest challenger is tc \(better on 2 of 2 shared scenarios, worse on 0; Holm-adjusted p = 1\.000 over 3 pairwise tests\)/);
  });

  it('compares every pair once on pass and on score, each one Holm family of 3', () => {
    expect(statistics.comparisons.map((comparison) => [comparison.a.targetId, comparison.b.targetId])).toEqual([['ta', 'tb'], ['ta', 'tc'], ['tb', 'tc']]);
    const [first] = statistics.comparisons;
    expect(first?.pass).toMatchObject({ kind: 'compared', scenarios: 2, effect: 0.5, aBetter: 2, bBetter: 0, pValue: 0.5, adjustedP: 1, familySize: 3, verdict: 'not-significant' });
    expect(first?.score).toMatchObject({ kind: 'compared', scenarios: 2, familySize: 3 });
  });

  it('aggregates by quantization, clustered by scenario', () => {
    expect(statistics.byQuantization.map(({ quantization, cohorts, pass }) => [quantization, cohorts.map((cohort) => cohort.targetId), pass.passes, pass.trials, pass.method])).toEqual([
      ['fp16', ['ta', 'tc'], 12, 16, 'clustered-wilson'],
      ['awq-int4', ['tb'], 1, 8, 'clustered-wilson'],
    ]);
  });
});

/** `scenarios` scenarios, each with the given outcome letters (one string per scenario, or one for all). */
function cohortRepeats(targetId: string, scenarios: number, letters: string | ((scenario: number) => string)): SpecSummary[] {
  return Array.from({ length: scenarios }, (_, g) => makeRepeats(`s${g}`, targetId, typeof letters === 'string' ? letters : letters(g))).flat();
}

describe('computeRunStatistics: the defects of issue 16', () => {
  it('repeats of one scenario are a cluster: one scenario where A is 6/6 and B 0/6 is not "significantly worse"', () => {
    const specs = [...cohortRepeats('a', 10, (g) => (g === 0 ? 'PPPPPP' : 'PPPFFF')), ...cohortRepeats('b', 10, (g) => (g === 0 ? 'FFFFFF' : 'PPPFFF'))];
    // Before: pooled McNemar over 60 repeat pairs, 6 discordant all one way: p = 0.031, "significantly worse".
    const statistics = computeRunStatistics(specs, [makeTarget('a'), makeTarget('b')]);
    expect(statistics.comparisons[0]?.pass).toMatchObject({ kind: 'compared', scenarios: 10, aBetter: 1, bBetter: 0, ties: 9, pValue: 1, verdict: 'not-significant' });
    expect(statistics.verdicts.cohorts.map((verdict) => verdict.verdict)).toEqual(['top-group', 'top-group']);
  });

  it('the pass-rate interval widens with the clustering: all-or-nothing scenarios are worth far fewer attempts', () => {
    const specs = cohortRepeats('t', 10, (g) => (g % 2 === 0 ? 'PPPPPP' : 'FFFFFF'));
    const pass = cohortOf(computeRunStatistics(specs, [makeTarget('t')]), 't').pass;
    const pooled = wilsonInterval(30, 60);
    expect(pass.designEffect).toBeGreaterThan(5);
    expect(pass.interval.high - pass.interval.low).toBeGreaterThan(2 * (pooled.high - pooled.low));
  });

  it('a cohort with 1 answerable spec of 10 that passed is not best (today it is, by point rate)', () => {
    const lucky = [...makeRepeats('s0', 'lucky', 'P'), ...cohortRepeats('lucky', 10, 'I').filter((spec) => spec.spec.scenarioId !== 's0')];
    const solid = cohortRepeats('solid', 10, (g) => (g === 3 ? 'F' : 'P'));
    const statistics = computeRunStatistics([...lucky, ...solid], [makeTarget('lucky'), makeTarget('solid')]);
    expect(cohortOf(statistics, 'lucky').pass).toMatchObject({ passes: 1, trials: 1, rate: 1 });
    expect(statistics.verdicts.best).toBeNull();
    expect(verdictOf(statistics, 'lucky')?.verdict).toBe('top-group');
    expect(verdictOf(statistics, 'solid')?.verdict).toBe('top-group');
  });

  it('when every cohort fails everything, no best is named', () => {
    const specs = Array.from({ length: 11 }, (_, k) => cohortRepeats(`m${k}`, 6, 'FF')).flat();
    const statistics = computeRunStatistics(specs, Array.from({ length: 11 }, (_, k) => makeTarget(`m${k}`)));
    expect(statistics.verdicts).toMatchObject({ status: 'nothing-passed', best: null });
    expect(statistics.verdicts.cohorts.every((verdict) => verdict.verdict === 'nothing-passed')).toBe(true);
    expect(verdictOf(statistics, 'm0')?.explanation).toContain('no best is named');
  });

  it('an infra-only cohort has "nothing to rate", not "not distinguishable from best"', () => {
    const specs = [...cohortRepeats('good', 6, 'PP'), ...cohortRepeats('bad', 6, 'FF'), ...cohortRepeats('down', 6, 'II')];
    const statistics = computeRunStatistics(specs, [makeTarget('good'), makeTarget('bad'), makeTarget('down')]);
    const down = verdictOf(statistics, 'down');
    expect(down?.verdict).toBe('nothing-to-rate');
    expect(down?.explanation).toBe('down has no model-answerable result (12 infra errors), so there is nothing to rate and it is left out of the comparisons.');
    expect(statistics.verdicts.familySize).toBe(1);
    expect(statistics.verdicts.best).toEqual(key('good'));
    expect(verdictOf(statistics, 'bad')).toMatchObject({ verdict: 'significantly-worse', worseThan: [key('good')] });
  });

  it('a cohort significantly better than the point-rate best is named best, and the other significantly worse', () => {
    // x: 0/24 on the 8 shared scenarios, all passed on 22 scenarios of its own (pooled 73%); y: 16/24 on the shared ones (67%).
    const x = [...cohortRepeats('x', 8, 'FFF'), ...Array.from({ length: 22 }, (_, g) => makeRepeats(`extra${g}`, 'x', 'PPP')).flat()];
    const y = cohortRepeats('y', 8, 'PPF');
    const statistics = computeRunStatistics([...x, ...y], [makeTarget('x'), makeTarget('y')]);
    // Before: x was best by pooled rate and y, though significantly better on the pairs, was shown as a tie.
    expect(statistics.comparisons[0]?.pass).toMatchObject({ kind: 'compared', scenarios: 8, bBetter: 8, pValue: 2 / 256, verdict: 'b-better' });
    expect(statistics.verdicts.best).toEqual(key('y'));
    expect(verdictOf(statistics, 'x')).toMatchObject({ verdict: 'significantly-worse', worseThan: [key('y')] });
    expect(verdictOf(statistics, 'x')?.explanation).toMatch(/^x is worse than y on 8 of 8 shared scenarios \(mean gap 67 points\); with 2 configurations compared \(1 pairwise test\), this is still significant \(Holm-adjusted p = 0\.0078\)\.$/);
  });

  it('pass@k stays finite past 1030 repeats of one scenario', () => {
    const statistics = computeRunStatistics(makeRepeats('s1', 't', 'P'.repeat(600) + 'F'.repeat(500)), [makeTarget('t')]);
    const cohort = cohortOf(statistics, 't');
    expect(cohort.passAtK[1]).toBeCloseTo(600 / 1100, 12);
    expect(Object.values(cohort.passAtK).every(Number.isFinite)).toBe(true);
    expect(cohort.passAtK[600]).toBe(1);
    expect(cohort.pass).toMatchObject({ method: 'one-scenario-wilson', scenarios: 1 });
  });
});

describe('computeRunStatistics: multiplicity', () => {
  it('ten identical prompt variants: the one lucky gap does not survive the family of 45', () => {
    const variants = Array.from({ length: 10 }, (_, k) => `v${k}`);
    // v9 loses on 6 of 8 scenarios against everyone (raw p = 2/64 = 0.031): significant alone, not among 45 tests.
    const specs = variants.flatMap((variant, k) =>
      Array.from({ length: 8 }, (_, g) => makeRepeats(`s${g}`, 't', k === 9 && g < 6 ? 'FFF' : 'PPF', { promptVariantId: variant })).flat(),
    );
    const statistics = computeRunStatistics(specs, [makeTarget('t')]);
    expect(statistics.verdicts.familySize).toBe(45);
    const last = statistics.comparisons.find((comparison) => comparison.b.promptVariantId === 'v9');
    expect(last?.pass).toMatchObject({ pValue: 2 / 64, familySize: 45, verdict: 'not-significant' });
    expect(last?.pass.kind === 'compared' && last.pass.adjustedP).toBe(1);
    expect(statistics.verdicts.cohorts.map((verdict) => verdict.verdict)).toEqual(Array(10).fill('top-group'));
    expect(statistics.verdicts.cohorts[9]?.explanation).toMatch(/^No configuration is significantly better than v9/);
  });
});

describe('computeRunStatistics: alpha', () => {
  const specs = [...cohortRepeats('x', 6, 'FF'), ...cohortRepeats('y', 6, 'PP')];
  it('6 of 6 scenarios one way is significant at 0.05 (p = 1/32), not at 0.01', () => {
    expect(verdictOf(computeRunStatistics(specs, [makeTarget('x'), makeTarget('y')]), 'x')?.verdict).toBe('significantly-worse');
    const strict = computeRunStatistics(specs, [makeTarget('x'), makeTarget('y')], 0.01);
    expect(verdictOf(strict, 'x')?.verdict).toBe('top-group');
    expect(strict.verdicts.alpha).toBe(0.01);
  });
});

describe('computeRunStatistics: graded score', () => {
  it('scores each answerable attempt by the acceptance share, 0 on a type error or a violation, and none for infra errors', () => {
    const violation: Violation = { kind: 'edit-outside-allowed', path: 'package.json', effective: true, detail: 'changed' };
    const specs = [
      makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 0, outcome: 'P' }),
      makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 1, outcome: 'F', acceptance: { passed: 3, total: 4 } }),
      makeSpecSummary({ scenarioId: 's2', targetId: 't', repeatIndex: 0, outcome: 'F', failedChecks: ['typecheck', 'tests'], acceptance: { passed: 2, total: 4 } }),
      makeSpecSummary({ scenarioId: 's2', targetId: 't', repeatIndex: 1, outcome: 'F', failedChecks: ['permissions'], violations: [violation] }),
      makeSpecSummary({ scenarioId: 's2', targetId: 't', repeatIndex: 2, outcome: 'I' }),
    ];
    const statistics = computeRunStatistics(specs, [makeTarget('t')]);
    const { score } = cohortOf(statistics, 't');
    // s1: (1 + 0.75)/2; s2: (0 + 0)/2; mean over scenarios.
    expect(score).toMatchObject({ attempts: 4, scenarios: 2, method: 'clustered-wilson' });
    expect(score.mean).toBeCloseTo(0.4375, 12);
    expect(statistics.cells.find((cell) => cell.scenarioId === 's1')?.meanScore).toBeCloseTo(0.875, 12);
  });

  it('the score separates what pass/fail calls equal', () => {
    const specs = [...cohortRepeats('near', 8, 'FF').map((spec) => spec), ...cohortRepeats('far', 8, 'FF')];
    const near = specs.filter((spec) => spec.spec.targetId === 'near').map((spec) => makeSpecSummary({ ...partsOf(spec), acceptance: { passed: 3, total: 4 } }));
    const far = specs.filter((spec) => spec.spec.targetId === 'far').map((spec) => makeSpecSummary({ ...partsOf(spec), acceptance: { passed: 0, total: 4 } }));
    const statistics = computeRunStatistics([...near, ...far], [makeTarget('near'), makeTarget('far')]);
    expect(statistics.comparisons[0]?.pass.verdict).toBe('not-significant');
    expect(statistics.comparisons[0]?.score).toMatchObject({ kind: 'compared', effect: 0.75, aBetter: 8, verdict: 'a-better' });
  });
});

describe('computeRunStatistics: power', () => {
  it('states the smallest gap the design detects with 80% power at its family size', () => {
    const specs = [...cohortRepeats('x', 8, 'PPF'), ...cohortRepeats('y', 8, 'PFF')];
    const { power } = computeRunStatistics(specs, [makeTarget('x'), makeTarget('y')]);
    expect(power).toMatchObject({ scenarios: 8, repeats: 3, familySize: 1, power: 0.8, reason: null });
    expect(power.detectableGap).toBeGreaterThan(0.2);
    expect(power.detectableGap).toBeLessThan(0.6);
  });
});

describe('computeRunStatistics: honest denominators', () => {
  it('leaves infra errors and pending specs out of the denominator; a timeout counts as not passed', () => {
    const specs = makeRepeats('s1', 't', 'PPPFII-T');
    const cohort = cohortOf(computeRunStatistics(specs, [makeTarget('t')]), 't');
    expect(cohort.pass).toMatchObject({ passes: 3, trials: 5, rate: 0.6 });
    expect([cohort.infraErrors, cohort.pending, cohort.timedOut]).toEqual([2, 1, 1]);
    expect(cohort.health.timeoutRate).toBe(0.2);
    expect(Object.keys(cohort.passAtK)).toHaveLength(5);
  });

  it('compares scenarios on their model-attributable repeats only', () => {
    const specs = [...makeRepeats('s1', 'x', 'FIF'), ...makeRepeats('s1', 'y', 'PPI'), ...makeRepeats('s2', 'x', 'P'), ...makeRepeats('s2', 'y', 'II')];
    const statistics = computeRunStatistics(specs, [makeTarget('x'), makeTarget('y')]);
    expect(statistics.comparisons[0]?.pass).toMatchObject({ kind: 'compared', scenarios: 1, effect: -1, bBetter: 1 });
  });

  it('gives an infra-only cell no pass@k and keeps it out of the cohort mean', () => {
    const specs = [...makeRepeats('s1', 't', 'PF'), ...makeRepeats('s2', 't', 'II')];
    const statistics = computeRunStatistics(specs, [makeTarget('t')]);
    const infraCell = statistics.cells.find((cell) => cell.scenarioId === 's2');
    expect(infraCell).toMatchObject({ pass: { passes: 0, trials: 0, rate: null, interval: { low: 0, high: 1 } }, passAtK: {}, passHatK: {} });
    expect(cohortOf(statistics, 't').passAtK).toEqual({ 1: 0.5, 2: 1 });
  });

  it('counts retries and charges their cost to the passes', () => {
    const specs = [
      makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 0, outcome: 'P', earlier: ['I'], costUsd: 0.5 }),
      makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 1, outcome: 'F', costUsd: 0.5 }),
    ];
    const cohort = cohortOf(computeRunStatistics(specs, [makeTarget('t')]), 't');
    expect(cohort.retries).toBe(1);
    expect(cohort.costPerPassUsd).toBeCloseTo(1.5, 12);
    const free = cohortOf(computeRunStatistics(makeRepeats('s1', 't', 'PP'), [makeTarget('t')]), 't');
    expect(free.costPerPassUsd).toBeNull();
    const noPass = cohortOf(computeRunStatistics(makeRepeats('s1', 't', 'FF', { costUsd: 1 }), [makeTarget('t')]), 't');
    expect(noPass.costPerPassUsd).toBeNull();
  });
});

describe('computeRunStatistics: checks, violations, health, speed', () => {
  const attempted: Violation = { kind: 'denied-read-attempt', path: '.env', tool: 'read', effective: false, detail: 'refused' };
  const specs = [
    makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 0, outcome: 'P', agentMs: 2000, totalMs: 3000, tokens: { input: 900, output: 100 } }),
    makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 1, outcome: 'F', failedChecks: ['tests', 'lint'], textToolCalls: 2, agentMs: 4000, totalMs: 5000, tokens: { output: 300, reasoning: 100 } }),
    makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 2, outcome: 'F', failedChecks: ['permissions'], violations: [attempted], contextOverflow: true, invalidToolCalls: 1, agentMs: 6000, totalMs: 9000 }),
    makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 3, outcome: 'T', agentMs: 8000, totalMs: 8100 }),
    makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 4, outcome: 'I', agentMs: 100, tokens: { output: 99_999 } }),
  ];
  const cohort = cohortOf(computeRunStatistics(specs, [makeTarget('t', 'awq', 'Qwen/Qwen2.5-Coder')]), 't');

  it('rates each check over the model-attributable specs', () => {
    expect(cohort.checkFailureRates.tests).toMatchObject({ passes: 1, trials: 4, rate: 0.25 });
    expect(cohort.checkFailureRates.lint.passes).toBe(1);
    expect(cohort.checkFailureRates.permissions.passes).toBe(1);
    expect(cohort.checkFailureRates.typecheck.passes).toBe(0);
    expect(cohort.checkFailureRates['agent-health'].passes).toBe(0);
  });

  it('counts an attempted (not effective) violation', () => {
    expect(cohort.violationRate).toMatchObject({ passes: 1, trials: 4, rate: 0.25, method: 'one-scenario-wilson' });
  });

  it('rates agent health', () => {
    expect(cohort.health).toEqual({ textToolCallRate: 0.25, invalidToolCallRate: 0.25, contextOverflowRate: 0.25, timeoutRate: 0.25 });
  });

  it('takes medians and throughput over model-attributable final attempts only', () => {
    expect(cohort.medianAgentMs).toBe(5000);
    expect(cohort.medianAttemptMs).toBe(6550);
    expect(cohort.medianTokens).toBe(200);
    // (100 + 300 + 100) generated tokens over 20 s of agent time; the infra error's 99,999 are left out.
    expect(cohort.outputTokensPerSecond).toBe(25);
    expect([cohort.model, cohort.quantization]).toEqual(['Qwen/Qwen2.5-Coder', 'awq']);
  });
});

describe('computeRunStatistics: invariants', () => {
  const letters = fc.constantFrom('P', 'F', 'T', 'I', '-');
  it('accounts for every spec, keeps rates inside their intervals, never calls adjusted p ≥ alpha a difference, and labels agree with the pairs', () => {
    fc.assert(
      fc.property(fc.array(letters, { minLength: 1, maxLength: 12 }), fc.array(letters, { minLength: 1, maxLength: 12 }), (left, right) => {
        const spread = (targetId: string, outcomes: string[]) => outcomes.flatMap((letter, index) => makeRepeats(`s${index % 6}`, targetId, letter).map((spec) => ({ ...spec, spec: { ...spec.spec, repeatIndex: Math.floor(index / 6) } })));
        const specs = [...spread('x', left), ...spread('y', right)];
        const statistics = computeRunStatistics(specs, [makeTarget('x'), makeTarget('y')]);
        for (const cohort of statistics.cohorts) {
          const count = cohort.key.targetId === 'x' ? left.length : right.length;
          expect(cohort.pass.trials + cohort.infraErrors + cohort.pending).toBe(count);
          if (cohort.pass.rate !== null) {
            expect(cohort.pass.interval.low).toBeLessThanOrEqual(cohort.pass.rate);
            expect(cohort.pass.interval.high).toBeGreaterThanOrEqual(cohort.pass.rate);
          }
        }
        for (const comparison of statistics.comparisons) {
          const { pass } = comparison;
          if (pass.kind === 'no-shared-scenarios' || pass.adjustedP >= statistics.alpha) expect(pass.verdict).toBe('not-significant');
          const winner = pass.verdict === 'a-better' ? comparison.a : pass.verdict === 'b-better' ? comparison.b : undefined;
          const loser = pass.verdict === 'a-better' ? comparison.b : pass.verdict === 'b-better' ? comparison.a : undefined;
          if (winner !== undefined && loser !== undefined) {
            expect(verdictOf(statistics, loser.targetId)).toMatchObject({ verdict: 'significantly-worse', worseThan: [winner] });
            expect(verdictOf(statistics, winner.targetId)?.verdict).not.toBe('significantly-worse');
          }
        }
        expect(statistics.verdicts.cohorts.filter((verdict) => verdict.verdict === 'best').length).toBeLessThanOrEqual(1);
        if (statistics.verdicts.best !== null) expect(verdictOf(statistics, statistics.verdicts.best.targetId)?.verdict).toBe('best');
      }),
    );
  });
});
