import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedModelServer, type ScriptedModelServer } from '../scripted-model/scripted-model-server.ts';
import { createTempScenario, openCodeRequest, type TempScenario } from '../scripted-model/test-support.ts';
import { combineVllmSnapshots } from './combine-snapshots.ts';
import { metricsURLOf } from './scrape-metrics.ts';
import { openServingWindow } from './serving-window.ts';
import type { VllmSnapshot } from './vllm-metrics.ts';

function snapshot(scale: number, kvCacheUsage: number | null): VllmSnapshot {
  const totals = { sum: scale * 2, count: scale };
  return {
    promptTokens: 100 * scale,
    generationTokens: 10 * scale,
    requests: scale,
    timeToFirstToken: totals,
    queueTime: totals,
    e2eLatency: totals,
    prefillTime: totals,
    decodeTime: totals,
    running: scale,
    waiting: scale + 1,
    kvCacheUsage,
  };
}

describe('combining replicas’ snapshots', () => {
  it('adds counters, histogram totals and gauges, and keeps the fullest KV cache', () => {
    expect(combineVllmSnapshots([snapshot(1, 0.25), snapshot(2, null), snapshot(3, 0.5)])).toEqual({
      promptTokens: 600,
      generationTokens: 60,
      requests: 6,
      timeToFirstToken: { sum: 12, count: 6 },
      queueTime: { sum: 12, count: 6 },
      e2eLatency: { sum: 12, count: 6 },
      prefillTime: { sum: 12, count: 6 },
      decodeTime: { sum: 12, count: 6 },
      running: 6,
      waiting: 9,
      kvCacheUsage: 0.5,
    });
  });

  it('is the one snapshot for one replica, nothing for none', () => {
    expect(combineVllmSnapshots([snapshot(2, null)])).toEqual(snapshot(2, null));
    expect(combineVllmSnapshots([])).toBeUndefined();
  });
});

describe('a serving window over two replicas', () => {
  const MODEL = 'Qwen/Qwen2.5-Coder-7B-Instruct';
  let temp: TempScenario;
  let servers: ScriptedModelServer[];

  beforeAll(async () => {
    temp = createTempScenario();
    servers = await Promise.all([0, 1].map(() => startScriptedModelServer({ scenarios: [temp.scenario], servedModels: { [MODEL]: 'reference' } })));
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    temp.remove();
  });

  const chat = (server: ScriptedModelServer) =>
    fetch(`${server.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(openCodeRequest({ model: MODEL, workingDirectory: temp.sandboxDir, priorRounds: 1 })) }).then((response) => response.text());

  it('adds up both replicas’ /metrics and names them', async () => {
    const baseURLs = servers.map((server) => server.baseURL);
    const window = await openServingWindow({ targetIds: ['qwen'], model: MODEL, baseURL: baseURLs[0] ?? '', baseURLs, sampleIntervalMs: 50 });
    await Promise.all([chat(servers[0]!), chat(servers[1]!), chat(servers[1]!)]);
    const record = await window.close();
    expect(record.metricsURL).toBe(metricsURLOf(baseURLs[0] ?? ''));
    expect(record.metricsURLs).toEqual(baseURLs.map(metricsURLOf));
    expect(record.result).toMatchObject({ status: 'measured', values: { requests: 3 } });
  });

  it('measures the replicas that answer when one of them has no /metrics', async () => {
    const baseURLs = [servers[0]?.baseURL ?? '', 'http://127.0.0.1:9/v1'];
    const window = await openServingWindow({ targetIds: ['qwen'], model: MODEL, baseURL: baseURLs[0] ?? '', baseURLs, sampleIntervalMs: 50 });
    await chat(servers[0]!);
    const record = await window.close();
    expect(record.metricsURLs).toEqual([metricsURLOf(baseURLs[0] ?? '')]);
    expect(record.result).toMatchObject({ status: 'measured', values: { requests: 1 } });
  });
});
