import { describe, expect, it } from 'vitest';
import type { ServingGaugeSample, ServingMetricsRecord } from '../runners/core/domain/serving-metrics.ts';
import { makeSpecSummary, makeTarget } from '../runners/pipeline/summary/test-support.ts';
import { createSummaryFromSpecs } from '../runners/bench/support/summary-from-specs.ts';
import type { SpecSummary } from '../runners/pipeline/summary/summary-types.ts';
import { buildReportDataModel, buildReportModel } from './report-model.ts';
import { describeServerLoad, measureServerLoad } from './model/server-load.ts';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

/** Readings every 5 s for 60 s: requests wait between 20 s and 35 s, and queue time piles up then. */
function samples(): ServingGaugeSample[] {
  let sum = 0;
  let count = 0;
  return Array.from({ length: 13 }, (_, index) => {
    const seconds = index * 5;
    const busy = seconds >= 20 && seconds <= 35;
    count += 2;
    sum += busy ? 2 * 6 : 2 * 0.01;
    return { at: at(seconds), running: busy ? 8 : 2, waiting: busy ? 5 : 0, queueTimeSumSeconds: sum, queueTimeCount: count };
  });
}

const record: ServingMetricsRecord = {
  targetIds: ['qwen'],
  model: 'Qwen/Qwen2.5-Coder-32B-Instruct',
  metricsURL: 'http://gpu:8000/metrics',
  window: { startedAt: at(0), finishedAt: at(60), durationMs: 60_000 },
  result: { status: 'unavailable', reason: 'not needed here' },
  samples: samples(),
};

function timedOut(repeatIndex: number, fromSeconds: number, toSeconds: number, targetId = 'qwen'): SpecSummary {
  const spec = makeSpecSummary({ scenarioId: 's1', targetId, repeatIndex, outcome: 'T' });
  return { ...spec, attempts: spec.attempts.map((attempt) => ({ ...attempt, startedAt: at(fromSeconds), finishedAt: at(toSeconds) })) };
}

describe('measureServerLoad', () => {
  it('calls a window saturated when requests waited in it, with the mean queue time over the window', () => {
    const attempt = timedOut(0, 18, 37).attempts[0];
    if (attempt === undefined) throw new Error('no attempt');
    const load = measureServerLoad(attempt, 'qwen', [record]);
    expect(load).toMatchObject({ kind: 'measured', saturated: true, maxWaiting: 5, maxRunning: 8, samples: 4 });
    // Between the readings at 15 s and 40 s: 10 requests finished, 8 of them queued 6 s and 2 of them 0.01 s.
    expect(load.kind === 'measured' && load.meanQueueTimeMs).toBeCloseTo(((8 * 6 + 2 * 0.01) / 10) * 1000, 6);
    expect(describeServerLoad(load)).toBe('saturated: up to 5 requests waiting (8 running), mean queue time 4.80 s');
  });

  it('calls a quiet window not saturated, and a short one is judged by its nearest readings', () => {
    const quiet = timedOut(0, 41, 59).attempts[0];
    const short = timedOut(1, 1, 2).attempts[0];
    if (quiet === undefined || short === undefined) throw new Error('no attempt');
    expect(describeServerLoad(measureServerLoad(quiet, 'qwen', [record]))).toBe('not saturated: no request waiting (2 running), mean queue time 0.01 s');
    expect(measureServerLoad(short, 'qwen', [record])).toMatchObject({ kind: 'measured', saturated: false, samples: 2 });
  });

  it('is not measured for another target, a run without readings, or an older log', () => {
    const attempt = timedOut(0, 18, 37).attempts[0];
    if (attempt === undefined) throw new Error('no attempt');
    expect(measureServerLoad(attempt, 'other', [record])).toEqual({ kind: 'not-measured' });
    expect(measureServerLoad(attempt, 'qwen', undefined)).toEqual({ kind: 'not-measured' });
    expect(measureServerLoad(attempt, 'qwen', [{ ...record, samples: undefined }])).toEqual({ kind: 'not-measured' });
  });
});

describe('timeouts in the report', () => {
  const specs = [timedOut(0, 41, 59), timedOut(1, 18, 37), makeSpecSummary({ scenarioId: 's1', targetId: 'qwen', repeatIndex: 2, outcome: 'P' })];
  const summary = { ...createSummaryFromSpecs(specs, [makeTarget('qwen')]), servingMetrics: [record] };

  it('lists each timed-out attempt in the failure section with the server state, saturated first', () => {
    const { timeouts } = buildReportModel(summary).failures;
    expect(timeouts.total).toBe(2);
    expect(timeouts.rows.map((row) => [row.repeat, row.tone])).toEqual([
      [2, 'saturated'],
      [1, 'not-saturated'],
    ]);
    expect(timeouts.summary).toContain('in 1 of the 2 with vLLM /metrics readings the server was saturated');
  });

  it('says it in the attempt detail of a timed-out attempt, and only there', () => {
    const details = buildReportDataModel(summary).details;
    expect(details.find((detail) => detail.repeat === 2)?.serverLoad).toBe('Model server during this attempt: saturated: up to 5 requests waiting (8 running), mean queue time 4.80 s.');
    expect(details.find((detail) => detail.repeat === 3)?.serverLoad).toBeNull();
  });

  it('says the state is not known when the run has no /metrics', () => {
    const plain = createSummaryFromSpecs(specs, [makeTarget('qwen')]);
    expect(buildReportModel(plain).failures.timeouts.summary).toContain('exposed no vLLM /metrics readings');
  });
});
