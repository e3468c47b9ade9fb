import { describe, expect, it } from 'vitest';
import { measureServerLoad } from '../../../reports/model/server-load.ts';
import { makeAttempt } from '../../bench/support/attempt-record.ts';
import { buildRunEvents } from '../../bench/support/summary-from-specs.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { ServingMetricsRecord } from '../../core/domain/serving-metrics.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import { UserError } from '../../core/errors.ts';
import { buildConcurrencySampleEvent, buildServingMetricsEvent, type HarnessEvent, type RunStartedEvent } from '../../pipeline/events/event-types.ts';
import { summarizeRun } from '../../pipeline/summary/summarize.ts';
import { mergeShardLogs, type ShardLog } from './merge-shard-logs.ts';

const target: ResolvedTarget = { kind: 'openai-compatible', id: 'qwen', model: 'qwen-awq', baseURL: 'http://gpu:8000/v1', quantization: 'awq', limits: { context: 32768, output: 4096 }, sampling: {} };
const specOf = (index: number): RunSpec => ({ id: `spec-${index}`, scenarioId: 'add-stock-widget', targetId: 'qwen', promptVariantId: 'default', repeatIndex: index });

/** A shard's window on the model server, with gauge readings: shard 2's server had requests waiting. */
function windowOf(index: number, hour: string): ServingMetricsRecord {
  const at = (minute: string) => `2025-06-02T${hour}:${minute}:00.000Z`;
  const waiting = index === 2 ? 5 : 0;
  return {
    targetIds: ['qwen'],
    model: 'qwen-awq',
    metricsURL: 'http://gpu:8000/metrics',
    window: { startedAt: at('00'), finishedAt: at('30'), durationMs: 30 * 60_000 },
    result: { status: 'unavailable', reason: `shard ${index}: a test window` },
    samples: ['05', '15', '25'].map((minute) => ({ at: at(minute), running: 4, waiting, queueTimeSumSeconds: 0, queueTimeCount: 0 })),
  };
}

/** Shard `index` of 2: one spec whose attempt timed out inside its serving window. */
function shard(index: number, hour: string, extra: Partial<RunStartedEvent> = {}): ShardLog {
  const spec = specOf(index);
  const attempt = makeAttempt({ specId: spec.id, outcome: { kind: 'timed-out', afterMs: 600_000 }, startedAt: `2025-06-02T${hour}:10:00.000Z`, finishedAt: `2025-06-02T${hour}:20:00.000Z` });
  const events = buildRunEvents([{ spec, attempts: [attempt] }], [target], { runId: `run-${index}-abcdef`, startedAt: `2025-06-02T${hour}:00:00.000Z`, finishedAt: `2025-06-02T${hour}:40:00.000Z` });
  const [started, ...rest] = events as [RunStartedEvent, ...HarnessEvent[]];
  const finished = rest.pop();
  if (finished === undefined) throw new Error('a finished run expected');
  return { dir: `shard-${index}`, events: [{ ...started, shard: { index, count: 2, plannedSpecs: 2 }, ...extra }, ...rest, buildServingMetricsEvent(windowOf(index, hour)), finished] };
}

describe('mergeShardLogs', () => {
  it("keeps every shard's serving metrics, so each attempt's server load is read after the merge", () => {
    const merged = mergeShardLogs([shard(2, '11'), shard(1, '10')], 'c0ffee');
    const summary = summarizeRun(merged);
    expect(summary.servingMetrics?.map((record) => record.result)).toEqual([
      { status: 'unavailable', reason: 'shard 1: a test window' },
      { status: 'unavailable', reason: 'shard 2: a test window' },
    ]);
    const loads = summary.specs.map((spec) => measureServerLoad(spec.attempts[0] ?? makeAttempt({ specId: '', outcome: { kind: 'passed' } }), spec.spec.targetId, summary.servingMetrics));
    expect(loads.map((load) => (load.kind === 'measured' ? load.maxWaiting : load.kind))).toEqual([0, 5]);
  });

  it("keeps every shard's concurrency decisions, one timeline per server", () => {
    const decision = (index: number, hour: string) =>
      buildConcurrencySampleEvent({ at: `2025-06-02T${hour}:15:00.000Z`, server: `http://gpu-${index}:8000`, limit: index + 2, sessions: 2, queued: 1, running: 3, waiting: 0, kvCacheUsage: null, action: 'raise', reason: 'a test' });
    const withDecision = (log: ShardLog, index: number, hour: string): ShardLog => ({ ...log, events: [...log.events.slice(0, -1), decision(index, hour), ...log.events.slice(-1)] });
    const merged = mergeShardLogs([withDecision(shard(2, '11'), 2, '11'), withDecision(shard(1, '10'), 1, '10')], 'c0ffee');
    expect(summarizeRun(merged).concurrency?.map((timeline) => [timeline.server, timeline.samples.map((sample) => sample.limit)])).toEqual([
      ['http://gpu-1:8000', [3]],
      ['http://gpu-2:8000', [4]],
    ]);
  });

  it('gives one run of every shard: specs and attempts in shard order, first start to last finish', () => {
    const merged = mergeShardLogs([shard(2, '11'), shard(1, '10')], 'c0ffee');
    const started = merged[0] as RunStartedEvent;
    expect(started).toMatchObject({ runId: 'run-2-merged-c0ffee', at: '2025-06-02T10:00:00.000Z', shard: undefined });
    expect(started.specs.map((spec) => spec.id)).toEqual(['spec-1', 'spec-2']);
    expect(merged.map((event) => event.type)).toEqual(['run.started', 'attempt.started', 'attempt.finished', 'serving.metrics', 'attempt.started', 'attempt.finished', 'serving.metrics', 'run.finished']);
    expect(merged.at(-1)).toMatchObject({ at: '2025-06-02T11:40:00.000Z', durationMs: 100 * 60_000 });
  });

  it.each([
    ['a missing shard', () => [shard(1, '10')], 'merge needs shards 1, 2 of 2 exactly once; got 1'],
    ['a doubled shard', () => [shard(1, '10'), shard(1, '10')], 'got 1, 1'],
    ['another plan', () => [shard(1, '10'), shard(2, '11', { fingerprints: { ...(shard(2, '11').events[0] as RunStartedEvent).fingerprints, config: 'other' } })], 'shard-2: belongs to a different plan'],
    ['an unfinished shard', () => [shard(1, '10'), { ...shard(2, '11'), events: shard(2, '11').events.slice(0, -1) }], 'shard-2: this shard did not finish; resume it first'],
    ['a run that is not a shard', () => [{ dir: 'whole', events: buildRunEvents([], [target]) }], 'whole: not a shard'],
  ])('refuses %s', (_name, shards, message) => {
    expect(() => mergeShardLogs(shards(), 'c0ffee')).toThrowError(UserError);
    expect(() => mergeShardLogs(shards(), 'c0ffee')).toThrowError(message);
  });
});
