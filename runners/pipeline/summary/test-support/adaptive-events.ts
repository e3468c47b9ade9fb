/** Event logs of adaptive runs, written by hand for summary and report tests. */
import { emptyAttemptEvidence } from '../../../core/domain/attempt-records.ts';
import { specIdOf, type RunSpec } from '../../../core/domain/run-spec.ts';
import type { AdaptiveDesignRecord, HarnessEvent, RunStartedEvent } from '../../events/event-types.ts';

const SCENARIOS = Array.from({ length: 8 }, (_, g) => `s${g}`);

export const DESIGN: AdaptiveDesignRecord = {
  cohorts: ['good', 'bad'].map((targetId) => ({ id: `${targetId}/default`, targetId, promptVariantId: 'default' })),
  scenarios: SCENARIOS,
  initialRepeats: 2,
  repeatsPerRound: [2, 4],
  maxRounds: 3,
  maxRepeats: 8,
  alpha: 0.05,
  spendingExponent: 1,
  dropAfterRepeats: 8,
  futilityMargin: 2,
};

export function spec(targetId: string, scenarioId: string, repeatIndex: number): RunSpec {
  const parts = { scenarioId, targetId, promptVariantId: 'default', repeatIndex };
  return { id: specIdOf(parts), ...parts };
}

/** The events of an adaptive run whose rounds are given as pass/fail per cohort: `pass(target, scenario, repeat)`. */
export function adaptiveRunEvents(rounds: Array<{ repeats: [number, number]; targets: string[] }>, pass: (targetId: string, scenario: string, repeat: number) => boolean, stop?: HarnessEvent): HarnessEvent[] {
  const roundSpecs = rounds.map((round) => round.targets.flatMap((targetId) => SCENARIOS.flatMap((scenario) => Array.from({ length: round.repeats[1] - round.repeats[0] }, (_, index) => spec(targetId, scenario, round.repeats[0] + index)))));
  const started = {
    v: 1,
    type: 'run.started',
    at: '2026-01-01T00:00:00.000Z',
    runId: 'run-a',
    harnessVersion: '0.1.0',
    opencodeVersion: '1.18.33',
    configFile: 'harness.config.ts',
    scriptedModel: true,
    targets: [],
    scenarios: [],
    promptVariants: [],
    renderedPrompts: {},
    specs: roundSpecs[0] ?? [],
    fingerprints: { config: '', scenarios: {}, fixtures: {}, promptVariants: {}, opencodeVersion: '', specInputs: {} },
    adaptive: DESIGN,
  } satisfies RunStartedEvent;
  const events: HarnessEvent[] = [started];
  rounds.forEach((round, index) => {
    const specs = roundSpecs[index] ?? [];
    const cells = round.targets.flatMap((targetId) => SCENARIOS.map((scenario) => ({ cohort: `${targetId}/default`, scenario, repeats: round.repeats[1] - round.repeats[0] })));
    events.push({ v: 1, type: 'round.planned', at: started.at, round: index + 1, alpha: 0.05 / 3, cells, specs });
    for (const entry of specs) {
      const outcome = pass(entry.targetId, entry.scenarioId, entry.repeatIndex) ? { kind: 'passed' as const } : { kind: 'failed' as const, failedChecks: ['tests' as const] };
      events.push({ v: 1, type: 'attempt.finished', at: started.at, attempt: { specId: entry.id, attemptId: `${entry.id}#1`, attemptNumber: 1, outcome, ...emptyAttemptEvidence(), startedAt: started.at, finishedAt: started.at } });
    }
  });
  if (stop !== undefined) events.push(stop);
  return events;
}
