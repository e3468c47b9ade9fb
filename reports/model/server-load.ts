import type { AttemptRecord } from '../../runners/core/domain/attempt.ts';
import type { ServingGaugeSample, ServingMetricsRecord } from '../../runners/core/domain/serving-metrics.ts';

/** What vLLM's /metrics said about the model server while one attempt ran. */
export type ServerLoad =
  | {
      kind: 'measured';
      /** Some request waited for a slot: the server was at capacity in the attempt's window. */
      saturated: boolean;
      maxWaiting: number;
      maxRunning: number;
      /** Mean queue time of the requests the server finished in the window; null when none finished. */
      meanQueueTimeMs: number | null;
      /** Gauge readings inside the window (the nearest before and after when none fell inside). */
      samples: number;
    }
  /** The target's server has no /metrics samples for this stretch (not vLLM, metrics off, or an older log). */
  | { kind: 'not-measured' };

/**
 * The server's load in an attempt's window [startedAt, finishedAt], from the timestamped gauge
 * readings of the serving-metrics window that served the attempt's target: the most requests
 * waiting and running among the readings inside the window (the nearest reading on each side when
 * none fell inside), and the mean queue time from the queue-time histogram's sum and count between
 * the last reading at or before the start and the first at or after the end. Pure.
 */
export function measureServerLoad(attempt: AttemptRecord, targetId: string, records: readonly ServingMetricsRecord[] | undefined): ServerLoad {
  const startMs = Date.parse(attempt.startedAt);
  const endMs = Date.parse(attempt.finishedAt);
  const record = (records ?? []).find((candidate) => candidate.targetIds.includes(targetId) && overlaps(candidate, startMs, endMs) && (candidate.samples?.length ?? 0) > 0);
  const samples = [...(record?.samples ?? [])].sort((left, right) => Date.parse(left.at) - Date.parse(right.at));
  if (samples.length === 0 || Number.isNaN(startMs) || Number.isNaN(endMs)) return { kind: 'not-measured' };
  const timeOf = (sample: ServingGaugeSample): number => Date.parse(sample.at);
  const before = samples.filter((sample) => timeOf(sample) <= startMs).at(-1);
  const after = samples.find((sample) => timeOf(sample) >= endMs);
  const inside = samples.filter((sample) => timeOf(sample) >= startMs && timeOf(sample) <= endMs);
  const considered = inside.length > 0 ? inside : [before, after].flatMap((sample) => (sample === undefined ? [] : [sample]));
  const first = before ?? samples[0];
  const last = after ?? samples.at(-1);
  const finished = first === undefined || last === undefined ? 0 : last.queueTimeCount - first.queueTimeCount;
  const queued = first === undefined || last === undefined ? 0 : last.queueTimeSumSeconds - first.queueTimeSumSeconds;
  const maxWaiting = Math.max(0, ...considered.map((sample) => sample.waiting));
  return {
    kind: 'measured',
    saturated: maxWaiting > 0,
    maxWaiting,
    maxRunning: Math.max(0, ...considered.map((sample) => sample.running)),
    meanQueueTimeMs: finished > 0 && queued >= 0 ? (queued / finished) * 1000 : null,
    samples: considered.length,
  };
}

/** One line for a person: `saturated: up to 12 requests waiting, mean queue time 8.2 s`. */
export function describeServerLoad(load: ServerLoad): string {
  if (load.kind === 'not-measured') return 'not measured (no vLLM /metrics readings for this window)';
  const queue = load.meanQueueTimeMs === null ? 'no request finished in the window' : `mean queue time ${formatSeconds(load.meanQueueTimeMs)}`;
  const running = `${load.maxRunning} running`;
  return load.saturated
    ? `saturated: up to ${load.maxWaiting} request${load.maxWaiting === 1 ? '' : 's'} waiting (${running}), ${queue}`
    : `not saturated: no request waiting (${running}), ${queue}`;
}

function overlaps(record: ServingMetricsRecord, startMs: number, endMs: number): boolean {
  return Date.parse(record.window.startedAt) <= endMs && Date.parse(record.window.finishedAt) >= startMs;
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms / 1000)} s`;
}
