import type { PrometheusSample } from './prometheus-text.ts';
import type { ServingMetricsResult } from '../../core/domain/serving-metrics.ts';

/** The vLLM counters, histogram sums and gauges the harness reads, at one moment. */
export interface VllmSnapshot {
  promptTokens: number;
  generationTokens: number;
  requests: number;
  timeToFirstToken: HistogramTotals;
  queueTime: HistogramTotals;
  e2eLatency: HistogramTotals;
  prefillTime: HistogramTotals;
  decodeTime: HistogramTotals;
  running: number;
  waiting: number;
  /** vllm:kv_cache_usage_perc (0–1), the fullest engine's; null where the server does not report it. */
  kvCacheUsage: number | null;
}

export interface HistogramTotals {
  sum: number;
  count: number;
}

const REQUIRED = ['vllm:prompt_tokens_total', 'vllm:generation_tokens_total'] as const;

/**
 * Reads vLLM's families from a page. Series are summed over engines; when some series are
 * labelled with the target's model name only those count (vLLM labels its served name).
 * Undefined when the page has no vLLM token counters (not a vLLM server, or metrics off).
 */
export function readVllmSnapshot(samples: readonly PrometheusSample[], model: string | undefined): VllmSnapshot | undefined {
  const relevant = selectModelSeries(samples.filter((sample) => sample.name.startsWith('vllm:')), model);
  const byName = new Map<string, number>();
  for (const sample of relevant) {
    if (sample.name.endsWith('_bucket') || sample.name.endsWith('_created')) continue;
    byName.set(sample.name, (byName.get(sample.name) ?? 0) + sample.value);
  }
  if (REQUIRED.some((name) => !byName.has(name))) return undefined;
  const read = (name: string) => byName.get(name) ?? 0;
  const histogram = (name: string): HistogramTotals => ({ sum: read(`${name}_sum`), count: read(`${name}_count`) });
  return {
    promptTokens: read('vllm:prompt_tokens_total'),
    generationTokens: read('vllm:generation_tokens_total'),
    requests: read('vllm:request_success_total'),
    timeToFirstToken: histogram('vllm:time_to_first_token_seconds'),
    queueTime: histogram('vllm:request_queue_time_seconds'),
    e2eLatency: histogram('vllm:e2e_request_latency_seconds'),
    prefillTime: histogram('vllm:request_prefill_time_seconds'),
    decodeTime: histogram('vllm:request_decode_time_seconds'),
    running: read('vllm:num_requests_running'),
    waiting: read('vllm:num_requests_waiting'),
    kvCacheUsage: maxOf(relevant.filter((sample) => sample.name === 'vllm:kv_cache_usage_perc').map((sample) => sample.value)),
  };
}

function maxOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.max(...values);
}

function selectModelSeries(samples: PrometheusSample[], model: string | undefined): PrometheusSample[] {
  if (model === undefined || !samples.some((sample) => sample.labels.model_name === model)) return samples;
  return samples.filter((sample) => sample.labels.model_name === undefined || sample.labels.model_name === model);
}

export interface WindowInput {
  before: VllmSnapshot;
  after: VllmSnapshot;
  durationMs: number;
  /** Gauge snapshots taken during the window (before and after included by the caller or not). */
  gaugeSamples: ReadonlyArray<{ running: number; waiting: number }>;
}

/**
 * Throughput and latency of a window from counter and histogram deltas. Counters that went
 * down mean the server restarted inside the window: the window is then not measurable.
 */
export function computeServingWindow(input: WindowInput): ServingMetricsResult {
  const { before, after, durationMs } = input;
  const counters = ['promptTokens', 'generationTokens', 'requests'] as const;
  const histograms = ['timeToFirstToken', 'queueTime', 'e2eLatency', 'prefillTime', 'decodeTime'] as const;
  const wentDown =
    counters.some((name) => after[name] < before[name]) || histograms.some((name) => after[name].count < before[name].count || after[name].sum < before[name].sum);
  if (wentDown) return { status: 'unavailable', reason: 'counters went down during the window: the model server restarted' };
  const delta = (name: (typeof counters)[number]) => after[name] - before[name];
  const histogramDelta = (name: (typeof histograms)[number]) => ({ sum: after[name].sum - before[name].sum, count: after[name].count - before[name].count });
  const seconds = durationMs / 1000;
  const perSecond = (amount: number, overSeconds: number) => (overSeconds > 0 ? amount / overSeconds : null);
  const meanMs = (totals: HistogramTotals) => (totals.count > 0 ? (totals.sum / totals.count) * 1000 : null);
  const promptTokens = delta('promptTokens');
  const generationTokens = delta('generationTokens');
  const gauges = [...input.gaugeSamples, { running: before.running, waiting: before.waiting }, { running: after.running, waiting: after.waiting }];
  return {
    status: 'measured',
    values: {
      requests: delta('requests'),
      promptTokens,
      generationTokens,
      promptTokensPerSecond: perSecond(promptTokens, seconds),
      generationTokensPerSecond: perSecond(generationTokens, seconds),
      prefillTokensPerSecond: perSecond(promptTokens, histogramDelta('prefillTime').sum),
      decodeTokensPerSecond: perSecond(generationTokens, histogramDelta('decodeTime').sum),
      meanTimeToFirstTokenMs: meanMs(histogramDelta('timeToFirstToken')),
      meanQueueTimeMs: meanMs(histogramDelta('queueTime')),
      meanE2eLatencyMs: meanMs(histogramDelta('e2eLatency')),
      maxRequestsRunning: Math.max(...gauges.map((gauge) => gauge.running)),
      maxRequestsWaiting: Math.max(...gauges.map((gauge) => gauge.waiting)),
    },
  };
}
