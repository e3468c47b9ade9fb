import type { HistogramTotals, VllmSnapshot } from './vllm-metrics.ts';

/**
 * The snapshots of several replicas of one model as one server: counters, histogram totals and
 * the running/waiting gauges add up; the KV-cache usage is the fullest replica's (as
 * `readVllmSnapshot` takes the fullest engine's). Undefined for no snapshot at all.
 */
export function combineVllmSnapshots(snapshots: readonly VllmSnapshot[]): VllmSnapshot | undefined {
  const [first, ...rest] = snapshots;
  if (first === undefined) return undefined;
  return rest.reduce(addSnapshots, first);
}

function addSnapshots(a: VllmSnapshot, b: VllmSnapshot): VllmSnapshot {
  const histogram = (x: HistogramTotals, y: HistogramTotals): HistogramTotals => ({ sum: x.sum + y.sum, count: x.count + y.count });
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    generationTokens: a.generationTokens + b.generationTokens,
    requests: a.requests + b.requests,
    timeToFirstToken: histogram(a.timeToFirstToken, b.timeToFirstToken),
    queueTime: histogram(a.queueTime, b.queueTime),
    e2eLatency: histogram(a.e2eLatency, b.e2eLatency),
    prefillTime: histogram(a.prefillTime, b.prefillTime),
    decodeTime: histogram(a.decodeTime, b.decodeTime),
    running: a.running + b.running,
    waiting: a.waiting + b.waiting,
    kvCacheUsage: a.kvCacheUsage === null ? b.kvCacheUsage : b.kvCacheUsage === null ? a.kvCacheUsage : Math.max(a.kvCacheUsage, b.kvCacheUsage),
  };
}
