/**
 * `harness run --until-decided`: the checks of its flags, its sequential design, and the planner
 * that — after each round — reads the event log, takes the round's look and either records the
 * next round (`round.planned`, new repeat indexes of the open cells) or the stop (`adaptive.stopped`).
 */
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { UserError } from '../../core/errors.ts';
import type { ResolvedConfig } from '../../inputs/config/load-config.ts';
import { readEventLog, type EventLogWriter } from '../events/event-log.ts';
import { plannedSpecsOf, type AdaptiveCohort, type AdaptiveDesignRecord, type Invocation, type RoundPlannedEvent } from '../events/event-types.ts';
import type { WorkItem } from '../execute/work-item.ts';
import type { PreparedRun } from '../plan/prepare-run.ts';
import { doublingSchedule, roundAlpha } from '../statistics/sequential.ts';
import { cohortIdOf, readAdaptiveProgress } from '../summary/adaptive-rounds.ts';

/**
 * Checks the flags that go with --until-decided (before anything is loaded beyond the config) and
 * plans every cell up to the cap: the rounds pick their specs from that plan, so every spec a round
 * can add has its id, agent and input fingerprint from the start.
 */
export function applyUntilDecided(config: ResolvedConfig, invocation: Invocation): ResolvedConfig {
  if (invocation.untilDecided !== true) {
    const stray = invocation.maxRepeats !== undefined ? '--max-repeats' : invocation.budget !== undefined ? '--budget' : undefined;
    if (stray !== undefined) throw new UserError('CLI_USAGE', `${stray} only applies to adaptive runs: add --until-decided, or drop ${stray}`);
    return config;
  }
  if (invocation.repeats !== undefined) {
    throw new UserError('CLI_USAGE', `--until-decided chooses the repeats itself, round by round: drop --repeats ${invocation.repeats} (cap them with --max-repeats ${invocation.repeats})`);
  }
  if (invocation.shard !== undefined) {
    throw new UserError('CLI_USAGE', `--until-decided cannot be sharded (--shard ${invocation.shard}): each round depends on the results of every cell of the round before. Run it unsharded; --concurrency sets its speed`);
  }
  const settings = config.untilDecided;
  const maxRepeats = invocation.maxRepeats ?? settings.maxRepeats;
  if (maxRepeats < settings.initialRepeats) {
    const source = invocation.maxRepeats === undefined ? `${config.file}: untilDecided.maxRepeats ${maxRepeats}` : `--max-repeats ${maxRepeats}`;
    throw new UserError(
      'CLI_USAGE',
      `${source} is below the first round's ${settings.initialRepeats} repeats per cell: raise it to at least ${settings.initialRepeats}, or lower untilDecided.initialRepeats in ${config.file}`,
    );
  }
  return { ...config, repeats: maxRepeats };
}

function cohortsOf(specs: readonly RunSpec[]): AdaptiveCohort[] {
  const cohorts = new Map<string, AdaptiveCohort>();
  for (const spec of specs) cohorts.set(cohortIdOf(spec), { id: cohortIdOf(spec), targetId: spec.targetId, promptVariantId: spec.promptVariantId });
  return [...cohorts.values()];
}

/** The design of an adaptive run over the prepared plan; bad combinations are user errors (exit 2). */
export function designAdaptiveRun(config: ResolvedConfig, prepared: PreparedRun, invocation: Invocation): AdaptiveDesignRecord {
  const settings = config.untilDecided;
  const cohorts = cohortsOf(prepared.specs);
  const scenarios = [...new Set(prepared.specs.map((spec) => spec.scenarioId))];
  if (cohorts.length < 2) {
    throw new UserError(
      'CLI_USAGE',
      `--until-decided compares configurations, but the selection has only one target × prompt variant (${cohorts[0]?.id ?? 'none'}): add a target or prompt variant, or run without --until-decided`,
    );
  }
  const schedule = doublingSchedule(settings.initialRepeats, config.repeats);
  const record: AdaptiveDesignRecord = {
    cohorts,
    scenarios,
    initialRepeats: settings.initialRepeats,
    repeatsPerRound: schedule.repeatsPerRound,
    maxRounds: schedule.maxRounds,
    maxRepeats: config.repeats,
    alpha: settings.alpha,
    spendingExponent: settings.spendingExponent,
    dropAfterRepeats: settings.dropAfterRepeats,
    futilityMargin: settings.futilityMargin,
    maxAttempts: invocation.budget ?? settings.budget,
  };
  checkBudget(config, record, invocation);
  checkReachable(record);
  return record;
}

function checkBudget(config: ResolvedConfig, record: AdaptiveDesignRecord, invocation: Invocation): void {
  const firstRound = record.cohorts.length * record.scenarios.length * record.initialRepeats;
  if (record.maxAttempts === undefined || record.maxAttempts >= firstRound) return;
  const source = invocation.budget === undefined ? `${config.file}: untilDecided.budget ${record.maxAttempts}` : `--budget ${record.maxAttempts}`;
  throw new UserError(
    'CLI_USAGE',
    `${source} is below the first round: ${record.cohorts.length} configurations × ${record.scenarios.length} scenarios × ${record.initialRepeats} repeats = ${firstRound} attempts. Raise it to at least ${firstRound}, or select fewer scenarios or configurations`,
  );
}

/**
 * The sign-flip test over G scenarios cannot give p below 2^(1 − G); a design whose every look
 * asks for less (α_t over the K(K − 1)/2 pairs of the first Holm step) could never decide anything.
 */
function checkReachable(record: AdaptiveDesignRecord): void {
  const pairs = (record.cohorts.length * (record.cohorts.length - 1)) / 2;
  const largest = Math.max(...Array.from({ length: record.maxRounds }, (_, index) => roundAlpha(index + 1, record)));
  const smallestP = 2 ** (1 - record.scenarios.length);
  if (smallestP <= largest / pairs) return;
  let needed = record.scenarios.length;
  while (2 ** (1 - needed) > largest / pairs) needed += 1;
  throw new UserError(
    'CLI_USAGE',
    `--until-decided cannot reach a verdict with ${record.scenarios.length} scenarios: the sign-flip test's smallest p-value is ${smallestP.toPrecision(2)}, above ${(largest / pairs).toPrecision(2)} (the largest round alpha ${largest.toPrecision(2)} over ${pairs} pairs). Select at least ${needed} scenarios, fewer rounds (a lower --max-repeats) or fewer configurations`,
  );
}

/** Round 1's specs: every cell's first `initialRepeats` repeats. */
export function firstRoundSpecs(specs: readonly RunSpec[], record: AdaptiveDesignRecord): RunSpec[] {
  return specs.filter((spec) => spec.repeatIndex < record.initialRepeats);
}

function roundPlannedEvent(round: Omit<RoundPlannedEvent, 'v' | 'type' | 'at'>): RoundPlannedEvent {
  return { v: 1, type: 'round.planned', at: new Date().toISOString(), ...round };
}

/** The record of round 1: every cell, `initialRepeats` times, and the alpha of the first look. */
export function firstRoundEvent(record: AdaptiveDesignRecord, specs: RunSpec[]): RoundPlannedEvent {
  const cells = record.cohorts.flatMap((cohort) => record.scenarios.map((scenario) => ({ cohort: cohort.id, scenario, repeats: record.initialRepeats })));
  return roundPlannedEvent({ round: 1, alpha: roundAlpha(1, record), cells, specs });
}

/** One line on the design, printed when an adaptive run starts (and by --dry-run). */
export function describeAdaptiveStart(record: AdaptiveDesignRecord): string {
  const cells = record.cohorts.length * record.scenarios.length;
  const budget = record.maxAttempts === undefined ? '' : `, budget ${record.maxAttempts}`;
  return (
    `Until decided: round 1 = ${cells * record.initialRepeats} attempt(s) (${record.cohorts.length} configurations × ${record.scenarios.length} scenarios × ${record.initialRepeats}); ` +
    `then up to ${record.maxRounds - 1} more round(s) on what is still open, at most ${record.maxRepeats} repeats per cell (${cells * record.maxRepeats} attempts)${budget}; α = ${record.alpha} over all rounds`
  );
}

/** The specs that run a round's cells: the next `repeats` repeat indexes of each cell, in plan order. */
function specsForCells(cells: RoundPlannedEvent['cells'], planned: readonly RunSpec[], all: readonly RunSpec[]): RunSpec[] {
  const used = new Map<string, number>();
  const cellKey = (cohort: string, scenario: string): string => `${cohort}\u0000${scenario}`;
  for (const spec of planned) used.set(cellKey(cohortIdOf(spec), spec.scenarioId), (used.get(cellKey(cohortIdOf(spec), spec.scenarioId)) ?? 0) + 1);
  const wanted = new Set<string>();
  for (const cell of cells) {
    const from = used.get(cellKey(cell.cohort, cell.scenario)) ?? 0;
    for (let index = from; index < from + cell.repeats; index += 1) wanted.add(`${cellKey(cell.cohort, cell.scenario)}\u0000${index}`);
  }
  const specs = all.filter((spec) => wanted.has(`${cellKey(cohortIdOf(spec), spec.scenarioId)}\u0000${spec.repeatIndex}`));
  if (specs.length !== wanted.size) throw new Error(`internal: a round asked for ${wanted.size} specs, but the plan up to the cap holds ${specs.length} of them`);
  return specs;
}

export interface RoundPlannerParts {
  runDir: string;
  log: EventLogWriter;
  prepared: PreparedRun;
  print: (line: string) => void;
}

/**
 * After a round's work is done: reads the log, and either records and returns the next round's
 * work, or records why the run stops (once) and returns nothing.
 */
export function createRoundPlanner({ runDir, log, prepared, print }: RoundPlannerParts): () => WorkItem[] {
  return () => {
    const { events } = readEventLog(runDir);
    const progress = readAdaptiveProgress(events);
    if (progress?.next === undefined) return [];
    const decided = progress.status.decisions.map((decision) => `${decision.better} > ${decision.worse}`);
    if (progress.next.stop) {
      if (progress.stopped === undefined) {
        log.append({ v: 1, type: 'adaptive.stopped', at: new Date().toISOString(), rounds: progress.roundsDone, reason: progress.next.reason });
        print(`Until decided: stopped after round ${progress.roundsDone} (${progress.next.reason})${decided.length > 0 ? `; decided ${decided.join(', ')}` : '; nothing decided'}`);
      }
      return [];
    }
    const { round, alpha, cells } = progress.next;
    const specs = specsForCells(cells, plannedSpecsOf(events), prepared.specs);
    log.append(roundPlannedEvent({ round, alpha, cells, specs }));
    const cohorts = new Set(cells.map((cell) => cell.cohort)).size;
    const scenarios = new Set(cells.map((cell) => cell.scenario)).size;
    print(`Until decided: round ${round}: ${specs.length} attempt(s) on ${cohorts} configuration(s) × ${scenarios} scenario(s), +${cells[0]?.repeats ?? 0} repeats${decided.length > 0 ? `; decided so far ${decided.join(', ')}` : ''}`);
    return specs.map((spec) => ({ spec, firstAttemptNumber: 1 }));
  };
}
