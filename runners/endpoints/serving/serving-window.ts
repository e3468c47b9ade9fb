import { metricsURLOf, scrapeVllmMetrics, type ScrapeOptions } from './scrape-metrics.ts';
import type { ServingGaugeSample, ServingMetricsRecord } from '../../core/domain/serving-metrics.ts';
import { computeServingWindow, type VllmSnapshot } from './vllm-metrics.ts';

export interface ServingWindowOptions {
  /** The target group measured: targets sharing one served model on one server. */
  targetIds: string[];
  model: string;
  /** The OpenAI-compatible base URL (…/v1); /metrics is read at its root. */
  baseURL: string;
  headers?: Record<string, string> | undefined;
  /** How often the running/waiting gauges are sampled during the window. Default 5 s. */
  sampleIntervalMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

export interface OpenServingWindow {
  /** Reads /metrics again and computes the window's values (or why there are none). */
  close(): Promise<ServingMetricsRecord>;
}

/**
 * Call before a target group runs: reads vLLM's /metrics, then samples its gauges until
 * `close()`, which reads it again and returns the record for a `serving.metrics` event.
 * Never throws: an endpoint without /metrics gives an `unavailable` record with the reason.
 */
export async function openServingWindow(options: ServingWindowOptions): Promise<OpenServingWindow> {
  const metricsURL = metricsURLOf(options.baseURL);
  const scrapeOptions: ScrapeOptions = { model: options.model, headers: options.headers, fetch: options.fetch };
  const startedAt = new Date();
  const before = await scrapeVllmMetrics(metricsURL, scrapeOptions);
  const gaugeSamples: Array<{ running: number; waiting: number }> = [];
  const samples: ServingGaugeSample[] = before.status === 'scraped' ? [toGaugeSample(before.snapshot, before.atMs)] : [];
  let sampling: Promise<void> = Promise.resolve();
  const timer =
    before.status === 'scraped'
      ? setInterval(() => {
          sampling = sampling.then(async () => {
            const sample = await scrapeVllmMetrics(metricsURL, scrapeOptions);
            if (sample.status !== 'scraped') return;
            gaugeSamples.push({ running: sample.snapshot.running, waiting: sample.snapshot.waiting });
            samples.push(toGaugeSample(sample.snapshot, sample.atMs));
          });
        }, options.sampleIntervalMs ?? 5000)
      : undefined;
  timer?.unref();
  return {
    async close() {
      if (timer !== undefined) clearInterval(timer);
      await sampling;
      const after = before.status === 'scraped' ? await scrapeVllmMetrics(metricsURL, scrapeOptions) : before;
      const finishedAt = new Date();
      const window = { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), durationMs: finishedAt.getTime() - startedAt.getTime() };
      const common = { targetIds: options.targetIds, model: options.model, metricsURL, window };
      if (before.status !== 'scraped') return { ...common, result: { status: 'unavailable', reason: before.reason } };
      if (after.status !== 'scraped') return { ...common, result: { status: 'unavailable', reason: after.reason }, samples };
      samples.push(toGaugeSample(after.snapshot, after.atMs));
      return { ...common, result: computeServingWindow({ before: before.snapshot, after: after.snapshot, durationMs: window.durationMs, gaugeSamples }), samples };
    },
  };
}

function toGaugeSample(snapshot: VllmSnapshot, atMs: number): ServingGaugeSample {
  return { at: new Date(atMs).toISOString(), running: snapshot.running, waiting: snapshot.waiting, queueTimeSumSeconds: snapshot.queueTime.sum, queueTimeCount: snapshot.queueTime.count };
}
