import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessEvent } from '../../pipeline/events/event-types.ts';
import { startScriptedModelServer, type ScriptedModelServer } from '../scripted-model/scripted-model-server.ts';
import { createTempScenario, openCodeRequest, type TempScenario } from '../scripted-model/test-support.ts';
import { metricsURLOf } from './scrape-metrics.ts';
import { openServingWindow } from './serving-window.ts';
import { buildServingMetricsEvent } from '../../pipeline/events/event-types.ts';
import { summarizeServingMetrics } from '../../pipeline/summary/summarize-serving-metrics.ts';

let temp: TempScenario;
let server: ScriptedModelServer;
const MODEL = 'Qwen/Qwen2.5-Coder-7B-Instruct';

beforeAll(async () => {
  temp = createTempScenario();
  server = await startScriptedModelServer({ scenarios: [temp.scenario], servedModels: { [MODEL]: 'reference' }, latency: { ttftMs: 200, tokensPerSecond: 400, maxNumSeqs: 1 } });
});

afterAll(async () => {
  await server.close();
  temp.remove();
});

function chat(): Promise<string> {
  const body = openCodeRequest({ model: MODEL, workingDirectory: temp.sandboxDir, priorRounds: 1 });
  return fetch(`${server.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((response) => response.text());
}

describe('metricsURLOf', () => {
  it('reads /metrics at the server root, not under /v1', () => {
    expect(metricsURLOf('http://a30:8000/v1')).toBe('http://a30:8000/metrics');
    expect(metricsURLOf('http://a30:8000/v1/')).toBe('http://a30:8000/metrics');
    expect(metricsURLOf('https://gw.example/qwen/v1')).toBe('https://gw.example/qwen/metrics');
  });
});

describe('a serving-metrics window around a target group', () => {
  it('measures requests, tokens, time to first token and queue time from the emulator\'s /metrics', async () => {
    const window = await openServingWindow({ targetIds: ['qwen7b'], model: MODEL, baseURL: server.baseURL, sampleIntervalMs: 100 });
    await Promise.all([chat(), chat(), chat()]);
    const record = await window.close();
    expect(record).toMatchObject({ targetIds: ['qwen7b'], model: MODEL, metricsURL: server.baseURL.replace('/v1', '/metrics') });
    expect(record.result.status).toBe('measured');
    if (record.result.status !== 'measured') return;
    const values = record.result.values;
    expect(values.requests).toBe(3);
    expect(values.generationTokens).toBeGreaterThan(0);
    // Three requests on one slot: the later ones queue behind the earlier ones.
    expect(values.meanQueueTimeMs ?? 0).toBeGreaterThan(150);
    expect(values.meanTimeToFirstTokenMs ?? 0).toBeGreaterThanOrEqual((values.meanQueueTimeMs ?? 0) + 150);
    // 400 tokens/s alone, slower when timers run late on a loaded machine.
    expect(values.decodeTokensPerSecond ?? 0).toBeGreaterThan(100);
    expect(values.decodeTokensPerSecond ?? 0).toBeLessThan(600);
    expect(values.generationTokensPerSecond ?? 0).toBeGreaterThan(0);
    expect(values.maxRequestsWaiting).toBeGreaterThanOrEqual(1);
    // Every reading is kept with its time, so one attempt's stretch of the window can be judged.
    const samples = record.samples ?? [];
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.map((sample) => Date.parse(sample.at))).toEqual([...samples.map((sample) => Date.parse(sample.at))].sort((a, b) => a - b));
    expect(Math.max(...samples.map((sample) => sample.waiting))).toBe(values.maxRequestsWaiting);
    expect(samples.at(-1)?.queueTimeCount).toBeGreaterThanOrEqual(3);
  });

  it('is unavailable, with the reason, when the endpoint has no vLLM /metrics', async () => {
    const window = await openServingWindow({ targetIds: ['x'], model: 'm', baseURL: 'http://127.0.0.1:9/v1' });
    const record = await window.close();
    expect(record.result).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('could not be read') });
  });
});

describe('serving metrics in the summary', () => {
  it('keeps each serving.metrics event\'s record, and nothing when there are none', () => {
    const record = {
      targetIds: ['a'],
      model: 'm',
      metricsURL: 'http://h/metrics',
      window: { startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z', durationMs: 60_000 },
      result: { status: 'unavailable' as const, reason: 'no metrics' },
    };
    const event = buildServingMetricsEvent(record);
    expect(event).toMatchObject({ v: 1, type: 'serving.metrics', at: '2026-01-01T00:01:00.000Z' });
    const events: Array<Pick<HarnessEvent, 'type'>> = [{ type: 'attempt.finished' }, event];
    expect(summarizeServingMetrics(events)).toEqual([record]);
    expect(summarizeServingMetrics([{ type: 'run.finished' }])).toBeUndefined();
  });
});
