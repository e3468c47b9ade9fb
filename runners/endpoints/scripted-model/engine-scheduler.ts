/**
 * The emulator's engine: at most `maxNumSeqs` requests run at once (vLLM's --max-num-seqs),
 * later ones wait in arrival order; each running stream produces tokens at a rate that
 * falls as more streams share the GPU. With the defaults everything is instant.
 */
export interface LatencyModel {
  /** Time to first token of a request running alone, after its queue wait. */
  ttftMs: number;
  /** Output tokens per second of a stream running alone; 0 = instant. */
  tokensPerSecond: number;
  maxNumSeqs: number;
  /** Each further running stream slows every stream by this fraction (0.1 → 10 streams run at 1/1.9 speed). */
  concurrencySlowdown: number;
}

export const INSTANT_LATENCY: LatencyModel = { ttftMs: 0, tokensPerSecond: 0, maxNumSeqs: 256, concurrencySlowdown: 0.1 };

export interface EngineSlot {
  queuedMs: number;
  release(): void;
}

export interface EngineScheduler {
  /** Waits for a running slot; resolves undefined when the request was aborted while waiting. */
  admit(signal: AbortSignal): Promise<EngineSlot | undefined>;
  /** Time to first token for a request starting now. */
  timeToFirstTokenMs(): number;
  /** Time to emit `tokens` output tokens now. */
  decodeMs(tokens: number): number;
  /** Requests running and waiting now, and the share of the KV cache they hold (0–1). */
  counts(): EngineCounts;
}

export interface EngineCounts {
  running: number;
  waiting: number;
  /**
   * vLLM's vllm:kv_cache_usage_perc, emulated: every running stream holds an equal share of a
   * cache sized for `maxNumSeqs` streams, so a full batch reads 1.
   */
  kvCacheUsage: number;
}

/**
 * A batch capacity of `capacity` streams, as a GPU serving a model with room for that many
 * sequences: up to `capacity` requests stream at full speed at once, later ones queue.
 */
export function capacityLatency(capacity: number, base: Omit<LatencyModel, 'maxNumSeqs' | 'concurrencySlowdown'>): LatencyModel {
  return { ...base, maxNumSeqs: capacity, concurrencySlowdown: 0 };
}

export function createEngineScheduler(latency: LatencyModel): EngineScheduler {
  let running = 0;
  const waiting: Array<() => void> = [];
  const slowdown = () => 1 + latency.concurrencySlowdown * Math.max(0, running - 1);

  /** Hands the slot to the first waiter, if any, so no newcomer can overtake it. */
  function release(): void {
    const next = waiting.shift();
    if (next === undefined) running -= 1;
    else next();
  }

  return {
    async admit(signal) {
      const arrivedAt = Date.now();
      if (running >= latency.maxNumSeqs) {
        const admitted = await new Promise<boolean>((resolve) => {
          const wake = () => {
            signal.removeEventListener('abort', onAbort);
            resolve(true);
          };
          const onAbort = () => {
            const index = waiting.indexOf(wake);
            if (index >= 0) waiting.splice(index, 1);
            resolve(false);
          };
          waiting.push(wake);
          signal.addEventListener('abort', onAbort, { once: true });
        });
        if (!admitted) return undefined;
      } else if (signal.aborted) {
        return undefined;
      } else {
        running += 1;
      }
      let released = false;
      return {
        queuedMs: Date.now() - arrivedAt,
        release: () => {
          if (released) return;
          released = true;
          release();
        },
      };
    },
    timeToFirstTokenMs: () => latency.ttftMs * slowdown(),
    decodeMs: (tokens) => (latency.tokensPerSecond <= 0 ? 0 : (tokens / latency.tokensPerSecond) * 1000 * slowdown()),
    counts: () => ({ running, waiting: waiting.length, kvCacheUsage: Math.min(1, running / latency.maxNumSeqs) }),
  };
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
