import { clusteredRate, type RateCell } from '../statistics/clustered-rate.ts';
import type { ScenarioRateStatistic, ScoreStatistic } from './summary-types.ts';

/**
 * A cohort-level rate from its scenarios' counts, with the scenario-clustered interval
 * (clusteredRate): scenarios are the unit that generalizes, repeats of one scenario a cluster.
 * One scenario: Wilson over its repeats (it speaks for that scenario only); none: [0, 1].
 */
export function toScenarioRate(cells: readonly RateCell[]): ScenarioRateStatistic {
  const answered = cells.filter((cell) => cell.trials > 0);
  const passes = answered.reduce((sum, cell) => sum + cell.passes, 0);
  const trials = answered.reduce((sum, cell) => sum + cell.trials, 0);
  const result = clusteredRate(answered);
  const pooledRate = trials === 0 ? null : passes / trials;
  switch (result.kind) {
    case 'empty':
      return { passes, trials, rate: null, interval: result.interval, method: 'none', scenarios: 0, designEffect: null, pooledRate };
    case 'single-scenario':
      return { passes, trials, rate: result.rate, interval: result.withinScenarioInterval, method: 'one-scenario-wilson', scenarios: 1, designEffect: null, pooledRate };
    case 'clustered':
      return { passes, trials, rate: result.rate, interval: result.interval, method: 'clustered-wilson', scenarios: result.scenarios, designEffect: result.designEffect, pooledRate };
  }
}

/** The graded score over scenarios, from each scenario's scores (one per model-answerable attempt). */
export function toScoreStatistic(scoresByScenario: ReadonlyArray<readonly number[]>): ScoreStatistic {
  const rate = toScenarioRate(scoresByScenario.map((scores) => ({ passes: scores.reduce((sum, score) => sum + score, 0), trials: scores.length })));
  return { mean: rate.rate, interval: rate.interval, method: rate.method, scenarios: rate.scenarios, attempts: rate.trials };
}
