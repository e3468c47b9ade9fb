import type { ConcurrencySample } from '../../core/domain/concurrency.ts';
import type { ConcurrencySampleEvent } from '../events/event-types.ts';

/** `concurrency: auto` over the run for one model server: every decision, in time order. */
export interface ConcurrencyTimeline {
  server: string;
  samples: ConcurrencySample[];
  /** Set when the server gave no signal and ran at autoConcurrency.fallback. */
  fallbackReason?: string | undefined;
  /** Set when the server had no /metrics and was followed by the time to first token instead. */
  firstByteReason?: string | undefined;
}

/** At most this many decisions per server are kept in the summary (evenly thinned beyond). */
export const MAX_TIMELINE_SAMPLES = 720;

/**
 * The summary's concurrency timelines, one per server that ran with `concurrency: auto`
 * (undefined when none did, so other summaries are unchanged). Long runs are thinned evenly,
 * always keeping every change of limit. Pure.
 */
export function summarizeConcurrency(events: ReadonlyArray<{ type: string }>): ConcurrencyTimeline[] | undefined {
  const byServer = new Map<string, ConcurrencySample[]>();
  for (const event of events) {
    if (!isConcurrencySampleEvent(event)) continue;
    const { v: _v, type: _type, ...sample } = event;
    const samples = byServer.get(sample.server) ?? [];
    samples.push(sample);
    byServer.set(sample.server, samples);
  }
  if (byServer.size === 0) return undefined;
  return [...byServer.entries()].map(([server, samples]) => {
    const ordered = [...samples].sort((left, right) => left.at.localeCompare(right.at));
    const fallback = ordered.find((sample) => sample.action === 'fallback');
    const firstByte = ordered.find((sample) => sample.action === 'first-byte');
    return {
      server,
      samples: thin(ordered),
      ...(fallback === undefined ? {} : { fallbackReason: fallback.reason }),
      ...(firstByte === undefined ? {} : { firstByteReason: firstByte.reason }),
    };
  });
}

function thin(samples: ConcurrencySample[]): ConcurrencySample[] {
  if (samples.length <= MAX_TIMELINE_SAMPLES) return samples;
  const stride = samples.length / MAX_TIMELINE_SAMPLES;
  return samples.filter((sample, index) => sample.action !== 'hold' || Math.floor(index / stride) !== Math.floor((index - 1) / stride) || index === samples.length - 1);
}

function isConcurrencySampleEvent(event: { type: string }): event is ConcurrencySampleEvent {
  return event.type === 'concurrency.sample';
}
