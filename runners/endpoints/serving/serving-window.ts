import { combineVllmSnapshots } from './combine-snapshots.ts';
import { metricsURLOf, scrapeVllmMetrics, type ScrapeOptions, type ScrapeResult } from './scrape-metrics.ts';
import type { ServingGaugeSample, ServingMetricsRecord } from '../../core/domain/serving-metrics.ts';
import { computeServingWindow, type VllmSnapshot } from './vllm-metrics.ts';

export interface ServingWindowOptions {
  /** The target group measured: targets sharing one served model on one server. */
  targetIds: string[];
  model: string;
  /** The OpenAI-compatible base URL (…/v1); /metrics is read at its root. */
  baseURL: string;
  /** Every replica's base URL, for a target with several (`baseURL` is then the first): their /metrics are added up. */
  baseURLs?: readonly string[] | undefined;
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
 * A replicated target's replicas are read together and added up, as one server: those that
 * answer when the window opens are measured (`metricsURLs`); one of them failing later makes
 * the window unavailable, like a single server's.
 */
export async function openServingWindow(options: ServingWindowOptions): Promise<OpenServingWindow> {
  const scrapeOptions: ScrapeOptions = { model: options.model, headers: options.headers, fetch: options.fetch };
  const startedAt = new Date();
  const replicas = options.baseURLs !== undefined && options.baseURLs.length > 1 ? options.baseURLs.map(metricsURLOf) : [metricsURLOf(options.baseURL)];
  const opened = await Promise.all(replicas.map((url) => scrapeVllmMetrics(url, scrapeOptions)));
  // The window measures the replicas that answered when it opened (all of them, or the first's reason).
  const measured = replicas.filter((_, index) => opened[index]?.status === 'scraped');
  const metricsURLs = measured.length > 0 ? measured : replicas;
  const metricsURL = metricsURLs[0] ?? metricsURLOf(options.baseURL);
  const read = async () => combineScrapes(await Promise.all(metricsURLs.map((url) => scrapeVllmMetrics(url, scrapeOptions))));
  const before = measured.length > 0 ? combineScrapes(opened.filter((result) => result.status === 'scraped')) : (opened[0] ?? { status: 'unavailable', reason: 'no /metrics to read' });
  const gaugeSamples: Array<{ running: number; waiting: number }> = [];
  const samples: ServingGaugeSample[] = before.status === 'scraped' ? [toGaugeSample(before.snapshot, before.atMs)] : [];
  let sampling: Promise<void> = Promise.resolve();
  const timer =
    before.status === 'scraped'
      ? setInterval(() => {
          sampling = sampling.then(async () => {
            const sample = await read();
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
      const after = before.status === 'scraped' ? await read() : before;
      const finishedAt = new Date();
      const window = { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), durationMs: finishedAt.getTime() - startedAt.getTime() };
      const common = { targetIds: options.targetIds, model: options.model, metricsURL, ...(replicas.length > 1 ? { metricsURLs } : {}), window };
      if (before.status !== 'scraped') return { ...common, result: { status: 'unavailable', reason: before.reason } };
      if (after.status !== 'scraped') return { ...common, result: { status: 'unavailable', reason: after.reason }, samples };
      samples.push(toGaugeSample(after.snapshot, after.atMs));
      return { ...common, result: computeServingWindow({ before: before.snapshot, after: after.snapshot, durationMs: window.durationMs, gaugeSamples }), samples };
    },
  };
}

/** One reading of several replicas: their snapshots added up, or the first reason one could not be read. */
function combineScrapes(results: readonly ScrapeResult[]): ScrapeResult {
  const failed = results.find((result) => result.status !== 'scraped');
  if (failed !== undefined) return failed;
  const snapshots = results.flatMap((result) => (result.status === 'scraped' ? [result.snapshot] : []));
  const snapshot = combineVllmSnapshots(snapshots);
  if (snapshot === undefined) return { status: 'unavailable', reason: 'no /metrics to read' };
  return { status: 'scraped', snapshot, atMs: Math.max(...results.map((result) => (result.status === 'scraped' ? result.atMs : 0))) };
}

function toGaugeSample(snapshot: VllmSnapshot, atMs: number): ServingGaugeSample {
  return { at: new Date(atMs).toISOString(), running: snapshot.running, waiting: snapshot.waiting, queueTimeSumSeconds: snapshot.queueTime.sum, queueTimeCount: snapshot.queueTime.count };
}
