import { describe, expect, it } from 'vitest';
import type { HarnessEvent, RunStartedEvent } from '../events/event-types.ts';
import { readAdaptiveProgress } from './adaptive-rounds.ts';
import { summarizeRun } from './summarize.ts';
import { DESIGN, adaptiveRunEvents, spec } from './test-support/adaptive-events.ts';

describe('summarizeAdaptive', () => {
  it('is absent for an ordinary run', () => {
    const events = adaptiveRunEvents([{ repeats: [0, 2], targets: ['good', 'bad'] }], () => true);
    const started = events[0] as RunStartedEvent;
    expect(summarizeRun([{ ...started, adaptive: undefined }, ...events.slice(1)]).adaptive).toBeUndefined();
  });

  it('reports the rounds, the stop, the verdicts and the attempts against fixed designs', () => {
    // good passes all but repeat 1 of s0; bad passes only repeat 0 of s1: round 1 is settled.
    const pass = (target: string, scenario: string, repeat: number) => (target === 'good' ? !(scenario === 's0' && repeat === 1) : scenario === 's1' && repeat === 0);
    const events = adaptiveRunEvents([{ repeats: [0, 2], targets: ['good', 'bad'] }], pass, { v: 1, type: 'adaptive.stopped', at: '', rounds: 1, reason: 'settled' });
    const summary = summarizeRun(events);
    const adaptive = summary.adaptive;
    expect(summary.specs).toHaveLength(32);
    expect(adaptive?.state).toEqual({ kind: 'stopped', reason: 'settled', explanation: expect.stringContaining('top group is decided') });
    expect(adaptive?.rounds).toEqual([{ round: 1, alpha: 0.05 / 3, familySize: 1, decided: 1, cells: 16, cohorts: ['good/default', 'bad/default'], scenarios: 8, repeats: 2, specs: 32 }]);
    expect(adaptive?.verdicts.map((verdict) => verdict.kind)).toEqual(['best', 'significantly-worse']);
    expect(adaptive?.attempts.planned).toBe(32);
    expect(adaptive?.attempts.fixedAtCap).toBe(2 * 8 * 8);
    expect(adaptive?.attempts.fixedEqualPower).toMatchObject({ kind: 'estimated', basis: expect.stringContaining('88-point gap good/default > bad/default') });
    expect(adaptive?.rule).toContain('round 1 runs every cell 2×; later rounds bring the cells of configurations that could still be best, on scenarios that still discriminate, to 4, 8 repeats');
  });

  it('while a round runs: the state names it, and no next round is planned yet', () => {
    const events = adaptiveRunEvents([{ repeats: [0, 2], targets: ['good', 'bad'] }], () => true);
    const cut = events.slice(0, -1); // the last attempt of round 1 has not finished
    const progress = readAdaptiveProgress(cut);
    expect(progress?.roundsDone).toBe(0);
    expect(progress?.next).toBeUndefined();
    expect(summarizeRun(cut).adaptive?.state).toEqual({ kind: 'in-round', round: 1 });
    expect(readAdaptiveProgress(events)?.next).toBeDefined();
  });

  it('infra errors are no outcome, and a failed or timed-out attempt is a 0', () => {
    const events = adaptiveRunEvents([{ repeats: [0, 2], targets: ['good', 'bad'] }], (target) => target === 'good');
    const infra = events.map((event): HarnessEvent =>
      event.type === 'attempt.finished' && event.attempt.specId === spec('bad', 's3', 0).id ? { ...event, attempt: { ...event.attempt, outcome: { kind: 'infra-error', source: 'endpoint', message: 'down' } } } : event,
    );
    const cell = readAdaptiveProgress(infra)?.observations.find((entry) => entry.cohort === 'bad/default' && entry.scenario === 's3');
    expect(cell?.outcomes).toEqual([0]);
  });

  it('the budget counts planned specs: a round that would pass it is not planned', () => {
    // good is ahead on 6 scenarios only: p = 2^−5, above the look's α, so round 2 (32 more specs) is due.
    const events = adaptiveRunEvents([{ repeats: [0, 2], targets: ['good', 'bad'] }], (target, scenario) => target === 'good' && !['s6', 's7'].includes(scenario));
    const started = events[0] as RunStartedEvent;
    const tight = [{ ...started, adaptive: { ...DESIGN, maxAttempts: 47 } }, ...events.slice(1)];
    expect(readAdaptiveProgress(events)?.next).toMatchObject({ stop: false, round: 2 });
    expect(readAdaptiveProgress(tight)?.next).toMatchObject({ stop: true, reason: 'budget' });
  });
});
