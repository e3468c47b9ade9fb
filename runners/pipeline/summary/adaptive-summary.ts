/**
 * What a `run --until-decided` adds to the summary: the stopping rule, the rounds (cells, alpha
 * spent, decisions), why it stopped, the verdicts of the sequential test, and the attempts it used
 * against fixed designs. Pure, from the event log.
 */
import type { AdaptiveDesignRecord, AdaptiveStopReason, HarnessEvent } from '../events/event-types.ts';
import { pairedScenarioDifference, type ScenarioPair } from '../statistics/paired-difference.ts';
import { DEFAULT_POWER_PARAMETERS, estimatePowerParameters, repeatsNeeded } from '../statistics/power.ts';
import { cumulativeRepeats, sequentialVerdicts, type Observation, type PairDecision } from '../statistics/sequential.ts';
import { readAdaptiveProgress, type AdaptiveProgress } from './adaptive-rounds.ts';

export interface AdaptiveRoundSummary {
  round: number;
  /** The alpha its look spends; the rounds' alphas add up to the design's alpha. */
  alpha: number;
  /** Pairs in the look's Holm family, and pairs it decided (absent until the look is taken). */
  familySize: number | undefined;
  decided: number | undefined;
  /** Cohort × scenario cells run, and the configurations and scenarios they cover. */
  cells: number;
  cohorts: string[];
  scenarios: number;
  /** Repeats per cell added in this round. */
  repeats: number;
  specs: number;
}

export type AdaptiveState =
  | { kind: 'stopped'; reason: AdaptiveStopReason; explanation: string }
  /** A planned round has not finished (the run was interrupted, or is running). */
  | { kind: 'in-round'; round: number };

export type AdaptiveVerdict =
  | { kind: 'best'; cohort: string; beats: string[] }
  | { kind: 'top-group'; cohort: string }
  | { kind: 'significantly-worse'; cohort: string; worseThan: string[] };

/** A fixed design (every cell the same repeats) the run is compared with. */
export type FixedComparison =
  | { kind: 'estimated'; repeats: number; attempts: number; basis: string }
  | { kind: 'unavailable'; reason: string };

export interface AdaptiveSummary {
  /** The stopping rule in words. */
  rule: string;
  design: AdaptiveDesignRecord;
  rounds: AdaptiveRoundSummary[];
  state: AdaptiveState;
  alphaSpent: number;
  decisions: PairDecision[];
  verdicts: AdaptiveVerdict[];
  attempts: {
    /** Specs planned over all rounds (one attempt each; infra retries are not counted). */
    planned: number;
    /** Every cell at --max-repeats: what a fixed run to the cap costs. */
    fixedAtCap: number;
    /** A fixed design of the same power for the smallest gap the run decided (power planning). */
    fixedEqualPower: FixedComparison;
  };
}

const STOP_EXPLANATIONS: Record<AdaptiveStopReason, string> = {
  settled: 'settled: at most one configuration is not shown worse than another, so the top group is decided',
  futile: 'futile: the pairs still open cannot plausibly become significant within the remaining rounds',
  'max-rounds': 'the last round (--max-repeats) was reached; open verdicts stay open',
  'nothing-discriminates': 'no scenario still discriminates: every configuration still sampled gives the same outcome on every scenario',
  budget: 'the next round would pass the attempt budget (--budget); open verdicts stay open',
};

/** The adaptive part of the summary, or undefined for an ordinary run. */
export function summarizeAdaptive(events: readonly HarnessEvent[]): AdaptiveSummary | undefined {
  const progress = readAdaptiveProgress(events);
  if (progress === undefined) return undefined;
  const { record, status } = progress;
  const planned = progress.rounds.reduce((sum, round) => sum + round.specs.length, 0);
  const cells = record.cohorts.length * record.scenarios.length;
  return {
    rule: describeRule(record),
    design: record,
    rounds: progress.rounds.map((round) => {
      const look = status.looks.find((entry) => entry.round === round.round);
      return {
        round: round.round,
        alpha: round.alpha,
        familySize: look?.familySize,
        decided: look?.decided,
        cells: round.cells.length,
        cohorts: [...new Set(round.cells.map((cell) => cell.cohort))],
        scenarios: new Set(round.cells.map((cell) => cell.scenario)).size,
        repeats: round.cells[0]?.repeats ?? 0,
        specs: round.specs.length,
      };
    }),
    state: stateOf(progress),
    alphaSpent: status.alphaSpent,
    decisions: status.decisions,
    verdicts: sequentialVerdicts(progress.design, status),
    attempts: { planned, fixedAtCap: cells * record.maxRepeats, fixedEqualPower: fixedOfEqualPower(progress) },
  };
}

function stateOf(progress: AdaptiveProgress): AdaptiveState {
  const reason = progress.stopped?.reason ?? (progress.next?.stop === true ? progress.next.reason : undefined);
  if (reason !== undefined) return { kind: 'stopped', reason, explanation: STOP_EXPLANATIONS[reason] };
  return { kind: 'in-round', round: Math.min(progress.roundsDone + 1, progress.rounds.length) };
}

export function describeRule(record: AdaptiveDesignRecord): string {
  const cumulative = Array.from({ length: record.maxRounds }, (_, index) => cumulativeRepeats(record, index + 1));
  const spending = record.spendingExponent === 1 ? 'linear α-spending' : `α-spending α·(t/T)^${record.spendingExponent}`;
  return [
    `Rounds until decided: round 1 runs every cell ${record.initialRepeats}×; later rounds bring the cells of configurations that could still be best, on scenarios that still discriminate, to ${cumulative.slice(1).join(', ') || '—'} repeats (at most ${record.maxRounds} rounds, ${record.maxRepeats} repeats per cell).`,
    `After each round every open pair is tested with the exact sign-flip test over scenarios, Holm within the round at that round's share of α = ${record.alpha} (${spending} over ${record.maxRounds} rounds, a union bound across rounds); decisions are final.`,
    `It stops when at most one configuration is not shown worse, when the open pairs are futile (margin ${record.futilityMargin} standard errors), at the last round${record.maxAttempts === undefined ? '' : `, or before passing the budget of ${record.maxAttempts} attempts`}.`,
  ].join(' ');
}

function pairsOf(observations: readonly Observation[], scenarios: readonly string[], a: string, b: string): ScenarioPair[] {
  const outcomes = (cohort: string, scenario: string): number[] =>
    observations.filter((entry) => entry.cohort === cohort && entry.scenario === scenario).flatMap((entry) => entry.outcomes);
  return scenarios.map((scenario) => ({ scenario, a: outcomes(a, scenario), b: outcomes(b, scenario) }));
}

/**
 * The fixed design power planning (power.ts, 80% power, the scorecard's Holm family of K(K − 1)/2
 * pairs at the design's α) says detects the smallest gap this run decided, with the variance
 * components estimated from that pair's data. An estimate, not a simulation: BENCHMARKS.md has the
 * simulated comparison at equal power.
 */
function fixedOfEqualPower(progress: AdaptiveProgress): FixedComparison {
  const { record, status, observations } = progress;
  const gaps = status.decisions.map((decision) => {
    const pairs = pairsOf(observations, record.scenarios, decision.better, decision.worse);
    const result = pairedScenarioDifference(pairs);
    return { decision, pairs, gap: result.kind === 'compared' ? Math.abs(result.effect) : 0 };
  });
  const smallest = gaps.filter((entry) => entry.gap > 0).sort((left, right) => left.gap - right.gap)[0];
  if (smallest === undefined) return { kind: 'unavailable', reason: 'no pair was decided, so there is no gap to plan a fixed design for' };
  const estimated = estimatePowerParameters(smallest.pairs);
  const parameters = estimated.kind === 'estimated' ? estimated : DEFAULT_POWER_PARAMETERS;
  const cohorts = record.cohorts.length;
  const design = { scenarios: record.scenarios.length, familySize: (cohorts * (cohorts - 1)) / 2, alpha: record.alpha, power: 0.8 };
  const needed = repeatsNeeded(smallest.gap, design, parameters);
  if (needed.kind !== 'repeats') return { kind: 'unavailable', reason: needed.reason };
  const gapText = `${(100 * smallest.gap).toFixed(0)}-point gap ${smallest.decision.better} > ${smallest.decision.worse}`;
  const varianceText = estimated.kind === 'estimated' ? "that pair's variance" : 'default variance (too few repeats to estimate it)';
  return {
    kind: 'estimated',
    repeats: needed.repeats,
    attempts: cohorts * record.scenarios.length * needed.repeats,
    basis: `80% power for the ${gapText}, ${varianceText}, Holm over ${design.familySize} pair${design.familySize === 1 ? '' : 's'} at α = ${record.alpha}`,
  };
}
