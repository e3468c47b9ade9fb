/** What `concurrency: auto` did at one decision for one model server. */
/**
 * `start`, then `raise` / `lower` / `hold` at each decision; `first-byte` when a server without
 * /metrics is followed by its time to first token instead; `fallback` when it runs a fixed number.
 */
export type ConcurrencyAction = 'start' | 'raise' | 'lower' | 'hold' | 'first-byte' | 'fallback';

/**
 * One decision of `concurrency: auto` for one model server: the limit it set, the attempts
 * running and waiting for a slot, and the server's gauges (means over the readings since the
 * previous decision; null when there were none).
 */
export interface ConcurrencySample {
  at: string;
  /** The model server (its origin), as the fair share names it. */
  server: string;
  limit: number;
  /** Attempts of this server running now. */
  sessions: number;
  /** Attempts of this server waiting for a slot now. */
  queued: number;
  running: number | null;
  waiting: number | null;
  kvCacheUsage: number | null;
  /** Median time to first byte of the requests since the previous decision (servers followed that way), ms. */
  firstByteMs?: number | null | undefined;
  action: ConcurrencyAction;
  reason: string;
}
