import { describe, expect, it } from 'vitest';
import type { HarnessEvent, RunStartedEvent } from '../events/event-types.ts';
import { summarizeRun } from './summarize.ts';
import { makeSpecSummary, makeTarget } from './test-support.ts';

describe('summarizeRun statistics', () => {
  it('computes the statistics from the final attempt of each spec', () => {
    const retried = makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 0, outcome: 'P', earlier: ['I'] });
    const failed = makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 1, outcome: 'F' });
    const pending = makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 2, outcome: '-' });
    // Only the fields summarizeRun reads; the rest of run.started does not matter here.
    const started = {
      v: 1, type: 'run.started', at: '2025-01-01T00:00:00.000Z', runId: 'r1', harnessVersion: '0', opencodeVersion: '0', configFile: 'c',
      scriptedModel: true, targets: [makeTarget('t')], scenarios: [], promptVariants: [], renderedPrompts: {},
      specs: [retried.spec, failed.spec, pending.spec],
    } as unknown as RunStartedEvent;
    const events: HarnessEvent[] = [
      started,
      ...[...retried.attempts, ...failed.attempts].reverse().map((attempt): HarnessEvent => ({ v: 1, type: 'attempt.finished', at: attempt.finishedAt, attempt })),
    ];
    const { statistics, totals } = summarizeRun(events);
    expect(totals).toMatchObject({ passed: 1, failed: 1, pending: 1, infraErrors: 0 });
    const [cohort] = statistics.cohorts;
    expect(cohort?.pass).toMatchObject({ passes: 1, trials: 2, rate: 0.5 });
    expect([cohort?.retries, cohort?.pending, cohort?.infraErrors]).toEqual([1, 1, 0]);
    expect(statistics.verdicts).toMatchObject({ status: 'rated', best: null, familySize: 0, ratedCohorts: 1 });
    expect(statistics.verdicts.cohorts).toEqual([
      { key: { targetId: 't', promptVariantId: 'default' }, verdict: 'top-group', explanation: 't is the only configuration with answerable results, so there is nothing to compare it with.', betterThan: [], worseThan: [] },
    ]);
  });
});
