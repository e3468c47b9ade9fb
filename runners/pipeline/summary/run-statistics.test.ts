import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../core/domain/check-result.ts';
import { computeRunStatistics } from './run-statistics.ts';
import type { CohortKey, CohortStatistics, RunStatistics } from './summary-types.ts';
import { makeRepeats, makeSpecSummary, makeTarget } from './test-support.ts';

const key = (targetId: string, promptVariantId = 'default'): CohortKey => ({ targetId, promptVariantId });

function cohortOf(statistics: RunStatistics, targetId: string): CohortStatistics {
  const cohort = statistics.cohorts.find((candidate) => candidate.key.targetId === targetId);
  if (cohort === undefined) throw new Error(`no cohort ${targetId}`);
  return cohort;
}

function verdictOf(statistics: RunStatistics, targetId: string) {
  return statistics.verdicts.find((verdict) => verdict.key.targetId === targetId);
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

  it('gives each cohort its pass rate with the Wilson interval', () => {
    expect(statistics.cohorts.map((cohort) => cohort.key.targetId)).toEqual(['ta', 'tb', 'tc']);
    const c = cohortOf(statistics, 'tc').pass;
    expect([c.passes, c.trials, c.rate]).toEqual([7, 8, 0.875]);
    expect(c.interval.low).toBeCloseTo(0.529112, 6);
    expect(c.interval.high).toBeCloseTo(0.977583, 6);
    const a = cohortOf(statistics, 'ta').pass;
    expect(a.rate).toBe(0.625);
    expect(a.interval.low).toBeCloseTo(0.305742, 6);
    expect(cohortOf(statistics, 'tb').pass.interval.high).toBeCloseTo(0.470888, 6);
  });

  it('computes pass@k and pass^k per cell and their means per cohort', () => {
    const cell = statistics.cells.find((candidate) => candidate.scenarioId === 's1' && candidate.key.targetId === 'ta');
    // n = 4, c = 3: pass@2 = 1 − C(1,2)/C(4,2) = 1; pass^2 = C(3,2)/C(4,2) = 0.5; pass^3 = 1/4.
    expect(cell?.passAtK).toEqual({ 1: 0.75, 2: 1, 3: 1, 4: 1 });
    expect(cell?.passHatK).toEqual({ 1: 0.75, 2: 0.5, 3: 0.25, 4: 0 });
    const a = cohortOf(statistics, 'ta');
    // s2 (n = 4, c = 2): pass@2 = 5/6, pass^2 = 1/6.
    expect(a.passAtK[1]).toBeCloseTo(0.625, 12);
    expect(a.passAtK[2]).toBeCloseTo(11 / 12, 12);
    expect(a.passHatK[2]).toBeCloseTo(1 / 3, 12);
    expect(a.passHatK[3]).toBeCloseTo(0.125, 12);
    expect(Object.keys(a.passHatK)).toEqual(['1', '2', '3', '4']);
    expect(statistics.cells).toHaveLength(6);
  });

  it('calls the best cohort best, a 2-pair gap indistinguishable and a 6-vs-0 gap significantly worse', () => {
    expect(verdictOf(statistics, 'tc')).toEqual({ key: key('tc'), verdict: 'best' });
    const a = verdictOf(statistics, 'ta');
    expect(a?.verdict).toBe('not-distinguishable-from-best');
    expect(a?.againstBest).toMatchObject({ a: key('ta'), b: key('tc'), pairs: 8, onlyA: 0, onlyB: 2, effect: -0.25, pValue: 0.5, verdict: 'not-significant' });
    const b = verdictOf(statistics, 'tb');
    expect(b?.verdict).toBe('significantly-worse');
    expect(b?.againstBest).toMatchObject({ pairs: 8, onlyA: 0, onlyB: 6, effect: -0.75, pValue: 0.03125, verdict: 'b-better', minimumDetectableEffect: 0.75 });
  });

  it('compares every pair of cohorts once', () => {
    expect(statistics.comparisons.map((comparison) => [comparison.a.targetId, comparison.b.targetId])).toEqual([['ta', 'tb'], ['ta', 'tc'], ['tb', 'tc']]);
    expect(statistics.comparisons[0]).toMatchObject({ onlyA: 4, onlyB: 0, pValue: 0.125, verdict: 'not-significant' });
  });

  it('aggregates by quantization', () => {
    expect(statistics.byQuantization.map(({ quantization, cohorts, pass }) => [quantization, cohorts.map((cohort) => cohort.targetId), pass.passes, pass.trials])).toEqual([
      ['fp16', ['ta', 'tc'], 12, 16],
      ['awq-int4', ['tb'], 1, 8],
    ]);
  });
});

describe('computeRunStatistics: significance', () => {
  it('a one-point gap over 100 pairs is not distinguishable from the best', () => {
    const specs = [...makeRepeats('s1', 'x', 'P'.repeat(50) + 'F'.repeat(50)), ...makeRepeats('s1', 'y', 'P'.repeat(51) + 'F'.repeat(49))];
    const statistics = computeRunStatistics(specs, [makeTarget('x'), makeTarget('y')]);
    expect(verdictOf(statistics, 'y')?.verdict).toBe('best');
    const x = verdictOf(statistics, 'x');
    expect(x?.verdict).toBe('not-distinguishable-from-best');
    expect(x?.againstBest).toMatchObject({ pairs: 100, onlyA: 0, onlyB: 1, pValue: 1, verdict: 'not-significant' });
    expect(x?.againstBest?.effect).toBeCloseTo(-0.01, 12);
    expect(x?.againstBest?.minimumDetectableEffect).toBeCloseTo(0.06, 12);
  });

  it('nine discordant pairs against one is significantly worse (p = 0.0215)', () => {
    const specs = [...makeRepeats('s1', 'x', 'PFFFFFFFFF'), ...makeRepeats('s1', 'y', 'FPPPPPPPPP')];
    const statistics = computeRunStatistics(specs, [makeTarget('x'), makeTarget('y')]);
    const x = verdictOf(statistics, 'x');
    expect(x?.verdict).toBe('significantly-worse');
    expect(x?.againstBest).toMatchObject({ onlyA: 1, onlyB: 9, pValue: 0.021484375, effect: -0.8, verdict: 'b-better' });
  });

  it('the same nine-to-one split is not significant at alpha 0.01', () => {
    const specs = [...makeRepeats('s1', 'x', 'PFFFFFFFFF'), ...makeRepeats('s1', 'y', 'FPPPPPPPPP')];
    const statistics = computeRunStatistics(specs, [makeTarget('x'), makeTarget('y')], 0.01);
    expect(verdictOf(statistics, 'x')?.verdict).toBe('not-distinguishable-from-best');
  });

  it('breaks a tie in pass rate by the Wilson low bound, then by id', () => {
    const more = computeRunStatistics([...makeRepeats('s1', 'a', 'PF'), ...makeRepeats('s1', 'b', 'PFPFPFPFPF')], [makeTarget('a'), makeTarget('b')]);
    expect(verdictOf(more, 'b')?.verdict).toBe('best');
    const same = computeRunStatistics([...makeRepeats('s1', 'b', 'PF'), ...makeRepeats('s1', 'a', 'PF')], [makeTarget('b'), makeTarget('a')]);
    expect(verdictOf(same, 'a')?.verdict).toBe('best');
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

  it('pairs only specs that are model-attributable on both sides', () => {
    const specs = [...makeRepeats('s1', 'x', 'FIF'), ...makeRepeats('s1', 'y', 'PPI')];
    const statistics = computeRunStatistics(specs, [makeTarget('x'), makeTarget('y')]);
    expect(statistics.comparisons[0]).toMatchObject({ pairs: 1, onlyA: 0, onlyB: 1 });
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
    expect(cohort.violationRate).toMatchObject({ passes: 1, trials: 4, rate: 0.25 });
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
  it('accounts for every spec, keeps rates inside their intervals and never calls p ≥ alpha a difference', () => {
    fc.assert(
      fc.property(fc.array(letters, { minLength: 1, maxLength: 12 }), fc.array(letters, { minLength: 1, maxLength: 12 }), (left, right) => {
        const specs = [...makeRepeats('s1', 'x', left.join('')), ...makeRepeats('s1', 'y', right.join(''))];
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
          if (comparison.pValue >= statistics.alpha) expect(comparison.verdict).toBe('not-significant');
        }
        expect(statistics.verdicts.filter((verdict) => verdict.verdict === 'best')).toHaveLength(1);
      }),
    );
  });
});
