import { describe, expect, it } from 'vitest';
import { makeAttempt } from '../../bench/support/attempt-record.ts';
import { buildRunEvents } from '../../bench/support/summary-from-specs.ts';
import { buildServingMetricsEvent, type HarnessEvent } from '../events/event-types.ts';
import { summarizeRun } from './summarize.ts';
import { makeRepeats, makeSpecSummary, makeTarget } from './test-support.ts';

/**
 * summarizeRun is what every report, exit code and test summary is derived from (the test
 * helpers build summaries through it): the outcome of a spec is its last attempt's, and the
 * totals, status and statistics follow from the outcomes.
 */
const targets = [makeTarget('t')];

describe('summarizeRun', () => {
  it('computes the statistics from the final attempt of each spec', () => {
    const retried = makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 0, outcome: 'P', earlier: ['I'] });
    const failed = makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 1, outcome: 'F' });
    const pending = makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 2, outcome: '-' });
    const [started, ...rest] = buildRunEvents([retried, failed, pending], targets);
    // The log's order is not the attempts' order: finished attempts are sorted by number.
    const events: HarnessEvent[] = [started as HarnessEvent, ...rest.reverse()];
    const { statistics, totals, specs } = summarizeRun(events);
    expect(specs[0]?.attempts.map((attempt) => attempt.attemptNumber)).toEqual([1, 2]);
    expect(totals).toMatchObject({ passed: 1, failed: 1, pending: 1, infraErrors: 0 });
    const [cohort] = statistics.cohorts;
    expect(cohort?.pass).toMatchObject({ passes: 1, trials: 2, rate: 0.5 });
    expect([cohort?.retries, cohort?.pending, cohort?.infraErrors]).toEqual([1, 1, 0]);
    expect(statistics.verdicts).toMatchObject({ status: 'rated', best: null, familySize: 0, ratedCohorts: 1 });
    expect(statistics.verdicts.cohorts).toEqual([
      { key: { targetId: 't', promptVariantId: 'default' }, verdict: 'top-group', explanation: 't is the only configuration with answerable results, so there is nothing to compare it with.', betterThan: [], worseThan: [] },
    ]);
  });

  it('counts each outcome once per spec, and each failed check of a failed spec', () => {
    const specs = [
      ...makeRepeats('s1', 't', 'PFTI-'),
      makeSpecSummary({ scenarioId: 's2', targetId: 't', repeatIndex: 0, outcome: 'F', failedChecks: ['typecheck', 'lint'] }),
      // Failed first, then an infra error: the spec ends as an infra error, its failed check no longer counts.
      makeSpecSummary({ scenarioId: 's3', targetId: 't', repeatIndex: 0, outcome: 'I', earlier: ['F'] }),
    ];
    const summary = summarizeRun(buildRunEvents(specs, targets));
    expect(summary.totals).toEqual({ specs: 7, passed: 1, failed: 2, timedOut: 1, infraErrors: 2, pending: 1 });
    expect(summary.checkFailures).toEqual({ typecheck: 1, lint: 1, tests: 1, permissions: 0, 'agent-health': 0 });
  });

  it('is complete only once run.finished is logged and no spec is pending', () => {
    const done = makeRepeats('s1', 't', 'PF');
    expect(summarizeRun(buildRunEvents(done, targets)).status).toBe('complete');
    expect(summarizeRun(buildRunEvents(done, targets, { finishedAt: null }))).toMatchObject({ status: 'incomplete', finishedAt: null });
    expect(summarizeRun(buildRunEvents(makeRepeats('s1', 't', 'P-'), targets)).status).toBe('incomplete');
  });

  it('ignores attempts of specs the run did not plan, and keeps the run’s facts', () => {
    const [started, ...rest] = buildRunEvents(makeRepeats('s1', 't', 'P'), targets, { runId: 'r-7', scriptedModel: true, startedAt: '2025-06-01T00:00:00.000Z' });
    const stray: HarnessEvent = { v: 1, type: 'attempt.finished', at: '2025-06-01T00:00:01.000Z', attempt: makeAttempt({ specId: 'not-planned', outcome: { kind: 'passed' } }) };
    const summary = summarizeRun([started as HarnessEvent, stray, ...rest]);
    expect(summary.specs.map((spec) => spec.spec.id)).toEqual(['s1.t.default.0']);
    expect(summary).toMatchObject({ runId: 'r-7', scriptedModel: true, startedAt: '2025-06-01T00:00:00.000Z', totals: { specs: 1, passed: 1 } });
  });

  it('gathers the serving metrics in log order, and has none without them', () => {
    const events = buildRunEvents(makeRepeats('s1', 't', 'P'), targets);
    expect(summarizeRun(events).servingMetrics).toBeUndefined();
    const window = { startedAt: '2025-06-02T09:00:00.000Z', finishedAt: '2025-06-02T09:10:00.000Z', durationMs: 600_000 };
    const metrics = [['a'], ['b']].map((targetIds) =>
      buildServingMetricsEvent({ targetIds, model: 'm', metricsURL: 'http://gpu:8000/metrics', window, result: { status: 'unavailable', reason: 'no /metrics' } }),
    );
    expect(summarizeRun([...events, ...metrics]).servingMetrics?.map((record) => record.targetIds)).toEqual([['a'], ['b']]);
  });

  it('refuses events without run.started', () => {
    expect(() => summarizeRun([])).toThrow('the events hold no run.started');
  });
});
