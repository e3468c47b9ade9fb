import { describe, expect, it } from 'vitest';
import type { ConcurrencySample } from '../../core/domain/concurrency.ts';
import type { ScrapeResult } from '../../endpoints/serving/scrape-metrics.ts';
import type { VllmSnapshot } from '../../endpoints/serving/vllm-metrics.ts';
import { createRandom } from '../../testing/support/random.ts';
import { decideByFirstByte, decideConcurrency, learnCapacity, startLaneMonitor, type DecisionInput, type ServerReading } from './adaptive-concurrency.ts';
import type { FairShare } from './fair-share.ts';

const reading = (running: number, waiting = 0, kvCacheUsage: number | null = null): ServerReading => ({ running, waiting, kvCacheUsage });

const BASE: DecisionInput = {
  limit: 8,
  phase: 'steady',
  window: [reading(4), reading(5), reading(4)],
  load: { running: 8, queued: 3 },
  machine: { cpuBusy: 0.5, availableMemoryMb: 10_000 },
  max: 16,
  capacity: null,
  memoryPerSessionMb: 2000,
};

describe('decideConcurrency', () => {
  it('raises fast while the capacity is unknown, then one at a time', () => {
    expect(decideConcurrency({ ...BASE, phase: 'slow-start' })).toMatchObject({ action: 'raise', limit: 12, phase: 'slow-start' });
    expect(decideConcurrency({ ...BASE, phase: 'slow-start', capacity: 16 })).toMatchObject({ action: 'raise', limit: 9, phase: 'steady' });
    expect(decideConcurrency(BASE)).toMatchObject({ action: 'raise', limit: 9 });
    expect(decideConcurrency({ ...BASE, phase: 'slow-start', limit: 14, load: { running: 14, queued: 1 } })).toMatchObject({ action: 'raise', limit: 16 });
  });

  it('lowers when more requests wait than a quarter of the capacity, more for a longer queue, never below 1', () => {
    const queued = { ...BASE, capacity: 8, window: [reading(8, 5), reading(8, 6), reading(8, 4)] };
    expect(decideConcurrency(queued)).toMatchObject({ action: 'lower', limit: 6, phase: 'steady' });
    expect(decideConcurrency({ ...queued, window: [reading(8, 20), reading(8, 20), reading(8, 20)] })).toMatchObject({ action: 'lower', limit: 1 });
    expect(decideConcurrency({ ...queued, limit: 1 })).toMatchObject({ action: 'hold', limit: 1 });
    // Before any request waited, any queue at all is too much.
    expect(decideConcurrency({ ...BASE, window: [reading(8, 1), reading(8, 1), reading(8, 2)] })).toMatchObject({ action: 'lower', limit: 7 });
  });

  it('holds a short queue and a server running 90% of its capacity', () => {
    expect(decideConcurrency({ ...BASE, capacity: 8, window: [reading(8, 2), reading(8, 1), reading(7, 0)] })).toMatchObject({ action: 'hold', reason: expect.stringContaining('busy') });
    expect(decideConcurrency({ ...BASE, capacity: 10, window: [reading(9), reading(9), reading(9)] })).toMatchObject({ action: 'hold' });
    expect(decideConcurrency({ ...BASE, capacity: 10, window: [reading(8), reading(9), reading(8)] })).toMatchObject({ action: 'raise', limit: 9 });
  });

  it('holds for each bound: KV cache, maximum, no work, slots not filled, CPU, memory', () => {
    const cases: Array<[Partial<DecisionInput>, string]> = [
      [{ window: [reading(4, 0, 0.95)] }, 'KV cache is 95% full'],
      [{ limit: 16 }, 'at the maximum'],
      [{ load: { running: 8, queued: 0 } }, 'no attempt is waiting'],
      [{ load: { running: 5, queued: 3 } }, '5 of 8 slots in use'],
      [{ machine: { cpuBusy: 0.97, availableMemoryMb: 10_000 } }, 'CPU is 97% busy'],
      [{ machine: { cpuBusy: 0.2, availableMemoryMb: 1500 } }, '1500 MB of memory available'],
    ];
    for (const [change, reason] of cases) expect(decideConcurrency({ ...BASE, ...change })).toMatchObject({ action: 'hold', limit: change.limit ?? 8, reason: expect.stringContaining(reason) });
  });

  it('learns the capacity from the most running while requests waited', () => {
    expect(learnCapacity(null, [reading(5), reading(9)])).toBeNull();
    expect(learnCapacity(null, [reading(16, 2), reading(15, 1), reading(12)])).toBe(16);
    expect(learnCapacity(16, [reading(14, 3)])).toBe(16);
  });
});

describe('decideByFirstByte (a server without /metrics)', () => {
  const { window: _window, capacity: _capacity, ...bounds } = BASE;
  it('raises while the time to first token stays near the fastest seen, fast until the first lower', () => {
    expect(decideByFirstByte({ ...bounds, phase: 'slow-start', firstBytesMs: [900, 1000, 1100], baselineMs: 950 })).toMatchObject({ action: 'raise', limit: 12, medianMs: 1000 });
    expect(decideByFirstByte({ ...bounds, firstBytesMs: [900, 1000, 1100], baselineMs: null })).toMatchObject({ action: 'raise', limit: 9 });
  });

  it('holds a rising time to first token, lowers one beyond twice the fastest, and judges nothing on too few requests', () => {
    expect(decideByFirstByte({ ...bounds, firstBytesMs: [1500, 1600, 1700], baselineMs: 1000 })).toMatchObject({ action: 'hold', reason: expect.stringContaining('rising') });
    expect(decideByFirstByte({ ...bounds, firstBytesMs: [2400, 2500, 2600], baselineMs: 1000 })).toMatchObject({ action: 'lower', limit: 7, phase: 'steady' });
    expect(decideByFirstByte({ ...bounds, limit: 1, firstBytesMs: [2400, 2500, 2600], baselineMs: 1000 })).toMatchObject({ action: 'hold', limit: 1 });
    expect(decideByFirstByte({ ...bounds, firstBytesMs: [9000, 9000], baselineMs: 1000 })).toMatchObject({ action: 'hold', reason: expect.stringContaining('too few') });
  });

  it('keeps the harness bounds', () => {
    expect(decideByFirstByte({ ...bounds, limit: 16, firstBytesMs: [900, 1000, 1100], baselineMs: 1000 })).toMatchObject({ action: 'hold', reason: expect.stringContaining('maximum') });
  });
});

describe('decideConcurrency in a simulated server', () => {
  /**
   * Sessions that each have a request on the model with probability `onModel` at any moment (the
   * rest of the time the agent runs tools and the harness checks), a server that runs `capacity`
   * of them at once and queues the rest.
   */
  function simulate(seed: number, capacity: number, onModel: number, decisions: number) {
    const random = createRandom(seed);
    let limit = 2;
    let phase: DecisionInput['phase'] = 'slow-start';
    let learnt: number | null = null;
    const history: Array<{ limit: number; running: number; waiting: number }> = [];
    for (let step = 0; step < decisions; step += 1) {
      const window = [0, 1, 2].map(() => {
        let onServer = 0;
        for (let session = 0; session < limit; session += 1) if (random.next() < onModel) onServer += 1;
        return reading(Math.min(onServer, capacity), Math.max(0, onServer - capacity));
      });
      learnt = learnCapacity(learnt, window);
      const decision = decideConcurrency({ ...BASE, limit, phase, window, capacity: learnt, max: 64, load: { running: limit, queued: 100 } });
      for (const each of window) history.push({ limit, ...each });
      limit = decision.limit;
      phase = decision.phase;
    }
    const steady = history.slice(history.length / 2);
    const meanOf = (pick: (entry: (typeof steady)[number]) => number) => steady.reduce((sum, entry) => sum + pick(entry), 0) / steady.length;
    return { busy: meanOf((entry) => entry.running) / capacity, waiting: meanOf((entry) => entry.waiting), limit: meanOf((entry) => entry.limit), learnt };
  }

  it('keeps at least 90% of a 16-slot server busy without a queue beyond a quarter of it, whatever share of time agents spend on the model', () => {
    for (const [seed, onModel] of [
      [1, 0.8],
      [2, 0.5],
      [3, 0.3],
    ] as const) {
      const result = simulate(seed, 16, onModel, 400);
      expect(result.learnt).toBe(16);
      expect(result.busy).toBeGreaterThanOrEqual(0.9);
      expect(result.waiting).toBeLessThanOrEqual(4);
      // Not far more sessions than needed: the mean limit stays near capacity / onModel.
      expect(result.limit).toBeLessThan((16 / onModel) * 1.35);
    }
  });
});

describe('startLaneMonitor', () => {
  function snapshot(running: number, waiting: number): VllmSnapshot {
    const zero = { sum: 0, count: 0 };
    return { promptTokens: 0, generationTokens: 0, requests: 0, timeToFirstToken: zero, queueTime: zero, e2eLatency: zero, prefillTime: zero, decodeTime: zero, running, waiting, kvCacheUsage: null };
  }

  function harness(scrapes: ScrapeResult[], source: boolean = true, metricsURLs: string[] = ['http://gpu:8000/metrics'], firstBytesSince?: (sinceMs: number) => number[]) {
    const limits: Array<number | undefined> = [];
    const samples: ConcurrencySample[] = [];
    const notes: string[] = [];
    const share: FairShare = {
      run: (_lane, task) => task(),
      setLaneLimit: (_lane, limit) => limits.push(limit),
      laneLoad: () => ({ running: limits.at(-1) ?? 0, queued: 5 }),
    };
    let tick: (() => void) | undefined;
    let ticked = 0;
    const monitor = startLaneMonitor({
      lane: 'http://gpu:8000',
      settings: { max: 16, start: 2, fallback: 3, sampleMs: 1000, windowSamples: 2 },
      share,
      source: () => (source ? { metricsURLs, model: 'qwen', headers: undefined, firstBytesSince } : undefined),
      scrape: async () => scrapes.shift() ?? { status: 'unavailable', reason: 'no more readings' },
      machine: () => ({ cpuBusy: 0.1, availableMemoryMb: null }),
      memoryPerSessionMb: 2000,
      record: (sample) => samples.push(sample),
      note: (line) => notes.push(line),
      onTick: () => {
        ticked += 1;
      },
      setInterval: ((callback: () => void) => {
        tick = callback;
        return 0;
      }) as unknown as typeof setInterval,
      clearInterval: (() => undefined) as unknown as typeof clearInterval,
    });
    const step = async (times: number) => {
      const target = ticked + times;
      for (let count = 0; count < times; count += 1) tick?.();
      while (ticked < target) await new Promise((resolve) => setImmediate(resolve));
    };
    return { limits, samples, notes, monitor, step };
  }

  const scraped = (running: number, waiting: number): ScrapeResult => ({ status: 'scraped', snapshot: snapshot(running, waiting), atMs: 0 });

  it('starts at `start`, raises on readings with room, lowers on a queue, and logs every decision', async () => {
    const run = harness([scraped(2, 0), scraped(2, 0), scraped(3, 0), scraped(3, 0), scraped(4, 3), scraped(4, 3)]);
    await run.step(6);
    await run.monitor.stop();
    expect(run.limits).toEqual([2, 3, 4, 3]);
    expect(run.samples.map((sample) => [sample.action, sample.limit])).toEqual([
      ['start', 2],
      ['raise', 3],
      ['raise', 4],
      ['lower', 3],
    ]);
    expect(run.samples[3]).toMatchObject({ server: 'http://gpu:8000', running: 4, waiting: 3, sessions: 3, queued: 5 });
    expect(run.notes).toEqual([]);
  });

  it('falls back to a fixed number, and says so once, when the server has no /metrics', async () => {
    const run = harness([]);
    await run.step(5);
    await run.monitor.stop();
    expect(run.limits).toEqual([2, 3]);
    expect(run.samples.map((sample) => sample.action)).toEqual(['start', 'fallback']);
    expect(run.notes).toEqual([expect.stringContaining('gives no signal to follow (no more readings); it runs 3 attempt(s) at once')]);
  });

  it('adds up the replicas of a model, and follows the ones that answer', async () => {
    const down: ScrapeResult = { status: 'unavailable', reason: 'replica down' };
    const run = harness([scraped(3, 0), scraped(4, 0), scraped(5, 2), down], true, ['http://gpu-1:8000/metrics', 'http://gpu-2:8000/metrics']);
    await run.step(2);
    await run.monitor.stop();
    expect(run.samples[1]).toMatchObject({ action: 'hold', running: 6, waiting: 1, reason: expect.stringContaining('busy: 6 of its 5 slots') });
  });

  it('follows the time to first token the proxy saw when the server has no /metrics, and says so once', async () => {
    const firstBytes = [[1000, 1100, 900], [1000, 1000, 1000], [2600, 2700, 2500]];
    const run = harness([], true, ['http://gpu:8000/metrics'], () => firstBytes.shift() ?? []);
    await run.step(3 + 6);
    await run.monitor.stop();
    expect(run.samples.map((sample) => [sample.action, sample.limit, sample.firstByteMs ?? null])).toEqual([
      ['start', 2, null],
      ['first-byte', 2, null],
      ['raise', 3, 1000],
      ['raise', 4, 1000],
      ['lower', 3, 2600],
    ]);
    expect(run.notes).toEqual([expect.stringContaining('following the time to first token of its requests instead')]);
  });

  it('falls back at once for a server that cannot have /metrics', async () => {
    const run = harness([], false);
    await run.monitor.stop();
    expect(run.limits).toEqual([2, 3]);
    expect(run.samples[1]).toMatchObject({ action: 'fallback', reason: expect.stringContaining('not an OpenAI-compatible endpoint') });
  });
});
