import { describe, expect, it } from 'vitest';
import { bernoulliDraws, mulberry32 } from './random.ts';
import { doublingSchedule, planNextRound, replayLooks, roundAlpha, sequentialVerdicts, type Observation, type SequentialDesign } from './sequential.ts';
import { simulateAdaptive } from '../../bench/support/simulate-adaptive.ts';

const base: SequentialDesign = {
  cohorts: ['A', 'B', 'C'],
  scenarios: Array.from({ length: 12 }, (_, g) => `s${g}`),
  initialRepeats: 2,
  repeatsPerRound: [2, 4],
  maxRounds: 3,
};

function run(design: SequentialDesign, probability: (cohort: string, scenario: string) => number, seed: number): { observations: Observation[]; plans: ReturnType<typeof planNextRound>[] } {
  const random = mulberry32(seed);
  const observations: Observation[] = [];
  const plans = [planNextRound({ design, roundsDone: 0, observations })];
  for (let plan = plans[0]; plan !== undefined && !plan.stop; ) {
    for (const cell of plan.cells) observations.push({ cohort: cell.cohort, scenario: cell.scenario, round: plan.round, outcomes: bernoulliDraws(random, probability(cell.cohort, cell.scenario), cell.repeats) });
    plan = planNextRound({ design, roundsDone: plan.round, observations });
    plans.push(plan);
  }
  return { observations, plans };
}

describe('roundAlpha', () => {
  it('spends exactly alpha over the rounds (power family)', () => {
    for (const rho of [1, 2, 3]) {
      let total = 0;
      for (let round = 1; round <= 5; round += 1) total += roundAlpha(round, { maxRounds: 5, alpha: 0.05, spendingExponent: rho });
      expect(total).toBeCloseTo(0.05, 15);
    }
    expect(roundAlpha(1, { maxRounds: 4, spendingExponent: 2 })).toBeCloseTo(0.05 / 16, 15);
    expect(roundAlpha(5, { maxRounds: 4 })).toBe(0);
  });
});

describe('doublingSchedule', () => {
  it('doubles the cumulative repeats up to the cap, merging a last step at most half the one before', () => {
    expect(doublingSchedule(4, 32)).toEqual({ repeatsPerRound: [4, 8, 16], maxRounds: 4 });
    expect(doublingSchedule(4, 24)).toEqual({ repeatsPerRound: [4, 8, 8], maxRounds: 4 });
    expect(doublingSchedule(4, 20)).toEqual({ repeatsPerRound: [4, 12], maxRounds: 3 }); // 4, 8, 16, 20 → 4, 8, 20
    expect(doublingSchedule(2, 6)).toEqual({ repeatsPerRound: [2, 2], maxRounds: 3 });
    expect(doublingSchedule(4, 4)).toEqual({ repeatsPerRound: [], maxRounds: 1 });
    expect(() => doublingSchedule(4, 3)).toThrow(RangeError);
  });
});

describe('the Holm family of a look', () => {
  // A and B pass everything in round 1, C and D fail everything: all four A/B-vs-C/D pairs are
  // decided at look 1 (p = 2^−11). In round 2 A passes both new repeats in `aheadIn` scenarios
  // where B passes one of two, ties elsewhere: the sign-flip p of A vs B is 2^(1 − aheadIn).
  const design: SequentialDesign = { cohorts: ['A', 'B', 'C', 'D'], scenarios: Array.from({ length: 12 }, (_, g) => `s${g}`), initialRepeats: 2, repeatsPerRound: [2], maxRounds: 2, futility: false };
  const observe = (aheadIn: number): Observation[] =>
    design.scenarios.flatMap((scenario, g) => [
      ...['A', 'B'].map((cohort) => ({ cohort, scenario, round: 1, outcomes: [1, 1] })),
      ...['C', 'D'].map((cohort) => ({ cohort, scenario, round: 1, outcomes: [0, 0] })),
      { cohort: 'A', scenario, round: 2, outcomes: [1, 1] },
      { cohort: 'B', scenario, round: 2, outcomes: g < aheadIn ? [1, 0] : [1, 1] },
    ]);

  it('drops the pairs of cohorts already shown worse, so the open pair is tested at the look’s full alpha', () => {
    const status = replayLooks(design, observe(7), 2); // p = 2^−6 = 0.0156: above α_2/2 = 0.0125 (the fixed family of 6), below α_2 = 0.025
    expect(status.looks.map((look) => look.familySize)).toEqual([6, 5]);
    expect(status.looks.map((look) => look.decided)).toEqual([4, 1]);
    expect(status.decisions.find((decision) => decision.worse === 'B')).toMatchObject({ better: 'A', round: 2 });
  });
  it('still refuses a p-value above the look’s alpha', () => {
    const status = replayLooks(design, observe(6), 2); // p = 2^−5 = 0.031 > 0.025
    expect(status.decisions.some((decision) => decision.worse === 'B' || decision.worse === 'A')).toBe(false);
    expect(status.closed.sort()).toEqual(['C', 'D']);
  });
});

describe('planNextRound', () => {
  it('round 1 runs every cell with the initial repeats', () => {
    const plan = planNextRound({ design: base, roundsDone: 0, observations: [] });
    expect(plan.stop).toBe(false);
    if (plan.stop) return;
    expect(plan.cells).toHaveLength(36);
    expect(plan.cells.every((cell) => cell.repeats === 2)).toBe(true);
    expect(plan.alpha).toBeCloseTo(0.05 / 3, 15);
  });
  it('settles early when one cohort is clearly best, and gives every sampled cohort the same cells', () => {
    const design = { ...base, scenarios: Array.from({ length: 16 }, (_, g) => `s${g}`), maxRounds: 4 };
    const { plans } = run(design, (cohort) => (cohort === 'A' ? 0.97 : cohort === 'B' ? 0.1 : 0.05), 1);
    const last = plans.at(-1);
    expect(last?.stop && last.reason).toBe('settled');
    if (last?.stop !== true) return;
    expect(last.status.closed.sort()).toEqual(['B', 'C']);
    expect(sequentialVerdicts(design, last.status).find((v) => v.cohort === 'A')?.kind).toBe('best');
    for (const plan of plans) {
      if (plan.stop) continue;
      const perCohort = new Map<string, string[]>();
      for (const cell of plan.cells) perCohort.set(cell.cohort, [...(perCohort.get(cell.cohort) ?? []), `${cell.scenario}×${cell.repeats}`]);
      const lists = [...perCohort.values()].map((list) => list.join(','));
      expect(new Set(lists).size).toBe(1); // identical allocation: the sign-flip null is preserved
    }
  });
  it('stops at the maximum number of rounds, and on the attempt budget before starting a round', () => {
    const { plans } = run({ ...base, futility: false }, () => 0.5, 2);
    const last = plans.at(-1);
    expect(last?.stop && ['max-rounds', 'settled'].includes(last.reason)).toBe(true);
    const budget = run({ ...base, maxAttempts: 80, futility: false }, () => 0.5, 3).plans.at(-1);
    expect(budget?.stop && budget.reason).toBe('budget');
    expect(budget?.status.attempts).toBeLessThanOrEqual(80);
  });
  it('gives up on identical cohorts once every pair is futile (futility on by default)', () => {
    const design = { ...base, cohorts: ['A', 'B'], maxRounds: 6, repeatsPerRound: 2 };
    const reasons = [1, 2, 3, 4, 5].map((seed) => {
      const last = run(design, () => 0.5, 40 + seed).plans.at(-1);
      return last?.stop === true ? last.reason : 'running';
    });
    expect(reasons).toContain('futile');
    expect(reasons.every((reason) => ['futile', 'max-rounds'].includes(reason))).toBe(true);
  });
  it('stops when no scenario discriminates (everyone always passes)', () => {
    const design = { ...base, dropAfterRepeats: 2, futility: false };
    const last = run(design, () => 1, 4).plans.at(-1);
    expect(last?.stop && last.reason).toBe('nothing-discriminates');
  });
  it('seeded simulation: FWER ≤ 0.05 with identical cohorts under optional stopping', () => {
    const result = simulateAdaptive({ scenarios: 12, shifts: [0, 0, 0] }, { initialRepeats: 2, repeatsPerRound: [2, 4], maxRounds: 3, futility: false }, 250, 8);
    expect(result.wrong).toBeLessThanOrEqual(0.05);
  });
});
