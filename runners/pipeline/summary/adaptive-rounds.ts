/**
 * The rounds of a `run --until-decided`, read back from its event log: which round each spec
 * belongs to, the outcomes collected so far, and what the sequential rule says now. Pure: the run
 * lifecycle asks it for the next round, the summary for the state, both from the same events.
 */
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { AdaptiveDesignRecord, AdaptiveStoppedEvent, HarnessEvent, RoundPlannedEvent, RunStartedEvent } from '../events/event-types.ts';
import { planNextRound, replayLooks, type LookStatus, type Observation, type RoundPlan, type SequentialDesign } from '../statistics/sequential.ts';

/** The cohort id of a target × prompt variant in an adaptive run. */
export function cohortIdOf(parts: { targetId: string; promptVariantId: string }): string {
  return `${parts.targetId}/${parts.promptVariantId}`;
}

/** The statistics engine's design from the one recorded in run.started. */
export function sequentialDesignOf(record: AdaptiveDesignRecord): SequentialDesign {
  return {
    cohorts: record.cohorts.map((cohort) => cohort.id),
    scenarios: record.scenarios,
    initialRepeats: record.initialRepeats,
    repeatsPerRound: record.repeatsPerRound,
    maxRounds: record.maxRounds,
    alpha: record.alpha,
    spendingExponent: record.spendingExponent,
    maxAttempts: record.maxAttempts,
    dropAfterRepeats: record.dropAfterRepeats,
    futilityMargin: record.futilityMargin,
  };
}

export interface AdaptiveProgress {
  record: AdaptiveDesignRecord;
  design: SequentialDesign;
  /** One per planned round, in order (round 1 first). */
  rounds: RoundPlannedEvent[];
  /** Planned rounds whose every spec has a finished attempt; the looks after them can be taken. */
  roundsDone: number;
  /** Outcomes of the finished specs: 1 passed; 0 failed or timed out. Infra errors are no outcome. */
  observations: Observation[];
  /** The state after the last look taken. */
  status: LookStatus;
  /** The rule's answer once every planned round is done (stop, or the next round); undefined while one runs. */
  next: RoundPlan | undefined;
  stopped: AdaptiveStoppedEvent | undefined;
}

/** The last finished attempt of each spec, in log order. */
function lastAttempts(events: readonly HarnessEvent[]): Map<string, AttemptRecord> {
  const last = new Map<string, AttemptRecord>();
  for (const event of events) if (event.type === 'attempt.finished') last.set(event.attempt.specId, event.attempt);
  return last;
}

function outcomeValue(attempt: AttemptRecord): number | undefined {
  switch (attempt.outcome.kind) {
    case 'passed':
      return 1;
    case 'failed':
    case 'timed-out':
      return 0;
    case 'infra-error':
      return undefined;
  }
}

/** Observations per (cohort, scenario, round): the outcomes of that round's specs of the cell. */
function observationsOf(rounds: readonly RoundPlannedEvent[], last: ReadonlyMap<string, AttemptRecord>): Observation[] {
  const observations: Observation[] = [];
  for (const round of rounds) {
    const byCell = new Map<string, Observation>();
    for (const spec of round.specs) {
      const attempt = last.get(spec.id);
      const value = attempt === undefined ? undefined : outcomeValue(attempt);
      if (value === undefined) continue;
      const cohort = cohortIdOf(spec);
      const key = `${cohort}\u0000${spec.scenarioId}`;
      const cell = byCell.get(key) ?? { cohort, scenario: spec.scenarioId, round: round.round, outcomes: [] };
      byCell.set(key, { ...cell, outcomes: [...cell.outcomes, value] });
    }
    observations.push(...byCell.values());
  }
  return observations;
}

/**
 * The adaptive state of a run from its events, or undefined for an ordinary run. A log written
 * before its first round.planned (a crash right after run.started) counts round 1 as run.started's specs.
 */
export function readAdaptiveProgress(events: readonly HarnessEvent[]): AdaptiveProgress | undefined {
  const started = events.find((event): event is RunStartedEvent => event.type === 'run.started');
  const record = started?.adaptive;
  if (started === undefined || record === undefined) return undefined;
  const design = sequentialDesignOf(record);
  const planned = events.filter((event): event is RoundPlannedEvent => event.type === 'round.planned');
  const rounds = planned.length > 0 ? planned : [firstRoundOf(started, design)];
  const last = lastAttempts(events);
  let roundsDone = 0;
  while (roundsDone < rounds.length && (rounds[roundsDone]?.specs ?? []).every((spec) => last.has(spec.id))) roundsDone += 1;
  const observations = observationsOf(rounds.slice(0, roundsDone), last);
  const stopped = events.find((event): event is AdaptiveStoppedEvent => event.type === 'adaptive.stopped');
  const next = roundsDone === rounds.length ? withinBudget(planNextRound({ design, roundsDone, observations }), rounds, record) : undefined;
  const status = next?.status ?? replayLooks(design, observations, roundsDone);
  return { record, design, rounds, roundsDone, observations, status, next, stopped };
}

/**
 * The budget counts planned attempts (one per spec; infra retries are not counted), so a round is
 * not started when the specs planned so far plus its own would pass it. (The engine counts outcomes,
 * which infra errors can leave fewer.)
 */
function withinBudget(plan: RoundPlan, rounds: readonly RoundPlannedEvent[], record: AdaptiveDesignRecord): RoundPlan {
  if (plan.stop || record.maxAttempts === undefined) return plan;
  const planned = rounds.reduce((sum, round) => sum + round.specs.length, 0);
  const added = plan.cells.reduce((sum, cell) => sum + cell.repeats, 0);
  return planned + added > record.maxAttempts ? { stop: true, reason: 'budget', status: plan.status } : plan;
}

/** Round 1 as run.started planned it, for a log cut before its round.planned event. */
function firstRoundOf(started: RunStartedEvent, design: SequentialDesign): RoundPlannedEvent {
  const first = planNextRound({ design, roundsDone: 0, observations: [] });
  return {
    v: 1,
    type: 'round.planned',
    at: started.at,
    round: 1,
    alpha: first.stop ? 0 : first.alpha,
    cells: first.stop ? [] : first.cells,
    specs: started.specs,
  };
}
