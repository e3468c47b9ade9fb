/**
 * Simulation of the adaptive-repeats design (sequential.ts) on synthetic worlds (see simulate.ts).
 */
import { bernoulliDraws, mulberry32 } from '../../pipeline/statistics/random.ts';
import { planNextRound, type Observation, type SequentialDesign } from '../../pipeline/statistics/sequential.ts';
import { bestIndex, drawProbabilities, type World } from './simulate.ts';

export interface AdaptiveOutcome {
  /** Share of runs whose final top group is exactly the truly best cohort (all others shown worse). */
  correct: number;
  /** Share of runs with any wrong decision (a pair decided against the truth, or any decision among equals). */
  wrong: number;
  meanAttempts: number;
  meanRounds: number;
}

/** Runs the adaptive design on `trials` synthetic worlds; the truth is the cohorts' shifts. */
export function simulateAdaptive(world: Omit<World, 'repeats'>, design: Omit<SequentialDesign, 'cohorts' | 'scenarios'>, trials: number, seed: number): AdaptiveOutcome {
  const random = mulberry32(seed);
  const cohorts = world.shifts.map((_, c) => `c${c}`);
  const scenarios = Array.from({ length: world.scenarios }, (_, g) => `s${g}`);
  const full: SequentialDesign = { ...design, cohorts, scenarios };
  const best = `c${bestIndex({ ...world, repeats: 0 })}`;
  let correct = 0;
  let wrong = 0;
  let attempts = 0;
  let rounds = 0;
  for (let trial = 0; trial < trials; trial += 1) {
    const probabilities = drawProbabilities(random, { ...world, repeats: 0 });
    const observations: Observation[] = [];
    let roundsDone = 0;
    let plan = planNextRound({ design: full, roundsDone, observations });
    while (!plan.stop) {
      for (const cell of plan.cells) {
        const p = probabilities[Number(cell.cohort.slice(1))]?.[Number(cell.scenario.slice(1))] ?? 0;
        observations.push({ cohort: cell.cohort, scenario: cell.scenario, round: plan.round, outcomes: bernoulliDraws(random, p, cell.repeats) });
      }
      roundsDone = plan.round;
      plan = planNextRound({ design: full, roundsDone, observations });
    }
    const { decisions } = plan.status;
    const shiftOf = (id: string): number => world.shifts[Number(id.slice(1))] ?? 0;
    const closed = new Set(decisions.map((d) => d.worse));
    if (cohorts.every((id) => closed.has(id) === (id !== best))) correct += 1;
    if (decisions.some((d) => shiftOf(d.better) <= shiftOf(d.worse))) wrong += 1;
    attempts += observations.reduce((sum, observation) => sum + observation.outcomes.length, 0);
    rounds += roundsDone;
  }
  return { correct: correct / trials, wrong: wrong / trials, meanAttempts: attempts / trials, meanRounds: rounds / trials };
}
