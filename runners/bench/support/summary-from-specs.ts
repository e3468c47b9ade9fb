import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { Isolation } from '../../core/domain/isolation.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import type { HarnessEvent, RunStartedEvent } from '../../pipeline/events/event-types.ts';
import { summarizeRun } from '../../pipeline/summary/summarize.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';

/**
 * Synthetic runs as a real run records them: specs and their attempts become `run.started`,
 * `attempt.started`/`attempt.finished` per attempt and `run.finished`, and the summary is the
 * real `summarizeRun` of those events — totals, outcomes, status and statistics are never
 * computed a second way.
 */

/** A spec and its attempts in order. A `SpecSummary` fits; its `outcome` is checked, not used. */
export interface SpecAttempts {
  spec: RunSpec;
  attempts: readonly AttemptRecord[];
  outcome?: { kind: string } | undefined;
}

/** What the run's `run.started` and `run.finished` say beyond its specs and targets; each has a default. */
export interface RunFacts {
  runId?: string | undefined;
  startedAt?: string | undefined;
  /** When the run finished; null for a run that never logged `run.finished`. */
  finishedAt?: string | null | undefined;
  scriptedModel?: boolean | undefined;
  harnessVersion?: string | undefined;
  opencodeVersion?: string | undefined;
  configFile?: string | undefined;
  isolation?: Isolation | undefined;
  scenarios?: RunStartedEvent['scenarios'] | undefined;
  promptVariants?: RunStartedEvent['promptVariants'] | undefined;
  renderedPrompts?: RunStartedEvent['renderedPrompts'] | undefined;
  /** Not set but expected: the status follows from the events, and a different one throws. */
  status?: RunSummary['status'] | undefined;
}

const DEFAULT_STARTED_AT = '2025-06-02T09:00:00.000Z';
const DEFAULT_FINISHED_AT = '2025-06-02T10:00:00.000Z';

/** The event log of a run whose specs ended with the given attempts. */
export function buildRunEvents(specs: readonly SpecAttempts[], targets: readonly ResolvedTarget[], facts: RunFacts = {}): HarnessEvent[] {
  const startedAt = facts.startedAt ?? DEFAULT_STARTED_AT;
  const finishedAt = facts.finishedAt === undefined ? DEFAULT_FINISHED_AT : facts.finishedAt;
  const opencodeVersion = facts.opencodeVersion ?? '1.18.33';
  const started: RunStartedEvent = {
    v: 1,
    type: 'run.started',
    at: startedAt,
    runId: facts.runId ?? 'run-under-test',
    harnessVersion: facts.harnessVersion ?? '0.1.0',
    opencodeVersion,
    configFile: facts.configFile ?? 'harness.config.ts',
    scriptedModel: facts.scriptedModel ?? false,
    targets: [...targets],
    scenarios: facts.scenarios ?? [...new Set(specs.map(({ spec }) => spec.scenarioId))].map((id) => ({ id, title: `Scenario ${id}`, fixture: 'portfolio-dashboard', tags: [], turns: ['Do it.'] })),
    promptVariants: facts.promptVariants ?? [...new Set(specs.map(({ spec }) => spec.promptVariantId))].map((id) => ({ id, description: id })),
    renderedPrompts: facts.renderedPrompts ?? {},
    specs: specs.map(({ spec }) => spec),
    fingerprints: { config: 'synthetic', scenarios: {}, fixtures: {}, promptVariants: {}, opencodeVersion, specInputs: {} },
    isolation: facts.isolation,
  };
  const attempts = specs.flatMap(({ attempts: list }) =>
    list.flatMap((attempt): HarnessEvent[] => [
      { v: 1, type: 'attempt.started', at: attempt.startedAt, specId: attempt.specId, attemptId: attempt.attemptId, attemptNumber: attempt.attemptNumber },
      { v: 1, type: 'attempt.finished', at: attempt.finishedAt, attempt },
    ]),
  );
  const finished: HarnessEvent[] = finishedAt === null ? [] : [{ v: 1, type: 'run.finished', at: finishedAt, durationMs: Date.parse(finishedAt) - Date.parse(startedAt) }];
  return [started, ...attempts, ...finished];
}

/**
 * The summary of a run whose specs ended with the given attempts: `summarizeRun` over
 * `buildRunEvents`. Throws when a spec's given outcome or the expected status is not what the
 * events give, so that no test relies on a summary the harness would never write.
 */
export function createSummaryFromSpecs(specs: readonly SpecAttempts[], targets: readonly ResolvedTarget[], facts: RunFacts = {}): RunSummary {
  const summary = summarizeRun(buildRunEvents(specs, targets, facts));
  summary.specs.forEach((derived, index) => {
    const given = specs[index]?.outcome;
    if (given !== undefined && given.kind !== derived.outcome.kind) {
      throw new Error(`spec ${derived.spec.id}: given outcome ${given.kind}, but its attempts end ${derived.outcome.kind}`);
    }
  });
  if (facts.status !== undefined && facts.status !== summary.status) {
    throw new Error(`expected a ${facts.status} run, but its events make it ${summary.status}`);
  }
  return summary;
}
