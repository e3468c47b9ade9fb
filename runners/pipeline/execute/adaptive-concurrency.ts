import type { ConcurrencyAction, ConcurrencySample } from '../../core/domain/concurrency.ts';
import { combineVllmSnapshots } from '../../endpoints/serving/combine-snapshots.ts';
import type { ScrapeResult } from '../../endpoints/serving/scrape-metrics.ts';
import type { ResolvedConfigData } from '../../inputs/config/config-schema.ts';
import { median } from '../statistics/descriptive.ts';
import type { FairShare } from './fair-share.ts';
import type { MachineReading } from './machine-load.ts';

/**
 * `concurrency: auto`: how many attempts one model server gets at once, from what its vLLM
 * /metrics says. An agent's session spends part of its time on the model and part on tools and
 * checks, so the right number of sessions is found by watching the server, not computed: raise
 * while no request waits and every slot is in use (doubling-ish at first, then one at a time),
 * hold while requests wait now and then (the server is full: that is the aim), lower when a queue
 * persists. The harness machine bounds it too: no raise while its CPU is saturated or another
 * OpenCode server would not fit in memory.
 */

export type AutoConcurrencySettings = ResolvedConfigData['autoConcurrency'];

/** One reading of the server's gauges. */
export interface ServerReading {
  running: number;
  waiting: number;
  kvCacheUsage: number | null;
}

export type ControllerPhase = 'slow-start' | 'steady';

export interface DecisionInput {
  limit: number;
  phase: ControllerPhase;
  /** Readings since the last decision (at least one). */
  window: readonly ServerReading[];
  /** This server's attempts running and waiting for a slot now. */
  load: { running: number; queued: number };
  machine: MachineReading;
  max: number;
  /** The server's batch capacity as learnt so far (`learnCapacity`); null until a request has waited. */
  capacity: number | null;
  /** Memory another OpenCode server needs, with the harness's reserve, in MB. */
  memoryPerSessionMb: number;
}

export interface Decision {
  action: Extract<ConcurrencyAction, 'raise' | 'lower' | 'hold'>;
  limit: number;
  phase: ControllerPhase;
  reason: string;
}

/** Share of the learnt capacity that should run on average. */
export const TARGET_BUSY = 0.9;
/** Requests waiting on average, as a share of the capacity, before the limit is lowered. */
export const QUEUE_SHARE = 0.25;
/** A KV cache this full is about to preempt requests: no more sessions. */
const KV_CACHE_FULL = 0.9;
/** The machine's CPU is saturated above this share: more sessions would slow every attempt. */
const CPU_BUSY = 0.95;
/** Memory kept free for the harness, the checks and the page cache. */
export const MEMORY_RESERVE_MB = 1024;

/**
 * The next limit for one server. Pure. The server's batch capacity is learnt from the readings:
 * while requests wait, the number running is what the server can run at once (vLLM's
 * --max-num-seqs, or fewer when the KV cache is the limit). Until it is known the limit grows fast;
 * then it grows one at a time until 90% of that capacity runs on average, accepting a queue of up
 * to a quarter of it (a queue costs the agents latency, not the GPU throughput), and shrinks when
 * the queue grows beyond that.
 */
export function decideConcurrency(input: DecisionInput): Decision {
  const { limit, phase, window, capacity } = input;
  const hold = (reason: string): Decision => ({ action: 'hold', limit, phase, reason });
  const meanWaiting = mean(window.map((reading) => reading.waiting));
  const meanRunning = mean(window.map((reading) => reading.running));
  const allowedQueue = capacity === null ? 0 : Math.max(1, capacity * QUEUE_SHARE);
  if (meanWaiting > allowedQueue) {
    const lowered = Math.max(1, limit - Math.max(1, Math.round((meanWaiting - allowedQueue) / 2)));
    if (lowered === limit) return hold(`requests queue on the server (${formatNumber(meanWaiting)} waiting on average) but this server already gets a single attempt`);
    return { action: 'lower', limit: lowered, phase: 'steady', reason: `requests queue on the server: ${formatNumber(meanWaiting)} waiting on average, more than ${formatNumber(allowedQueue)}` };
  }
  if (capacity !== null && meanRunning >= capacity * TARGET_BUSY) {
    return hold(`the server is busy: ${formatNumber(meanRunning)} of its ${capacity} slots running on average`);
  }
  const kvCache = Math.max(...window.map((reading) => reading.kvCacheUsage ?? 0));
  if (kvCache >= KV_CACHE_FULL) return hold(`the server's KV cache is ${Math.round(kvCache * 100)}% full`);
  const room = capacity === null ? 'no request has waited yet' : `${formatNumber(meanRunning)} of ${capacity} slots running on average`;
  return raiseWithinBounds(input, phase === 'slow-start' && capacity === null, room);
}

/** The harness's own bounds on a raise the server allows: the maximum, work waiting, slots filled, CPU, memory. */
function raiseWithinBounds(input: Omit<DecisionInput, 'window' | 'capacity'>, fast: boolean, room: string): Decision {
  const { limit, phase, load, machine, max } = input;
  const hold = (reason: string): Decision => ({ action: 'hold', limit, phase, reason });
  if (limit >= max) return hold(`at the maximum (autoConcurrency.max ${max})`);
  if (load.queued === 0) return hold('no attempt is waiting for a slot');
  if (load.running < limit) return hold(`${load.running} of ${limit} slots in use: sessions still starting`);
  if (machine.cpuBusy !== null && machine.cpuBusy >= CPU_BUSY) return hold(`this machine's CPU is ${Math.round(machine.cpuBusy * 100)}% busy`);
  if (machine.availableMemoryMb !== null && machine.availableMemoryMb < input.memoryPerSessionMb) {
    return hold(`${Math.round(machine.availableMemoryMb)} MB of memory available: not enough for another OpenCode server`);
  }
  const raised = Math.min(max, limit + (fast ? Math.max(1, Math.floor(limit / 2)) : 1));
  return { action: 'raise', limit: raised, phase: fast ? 'slow-start' : 'steady', reason: `${room}, every attempt slot in use` };
}

export interface FirstByteInput extends Omit<DecisionInput, 'window' | 'capacity'> {
  /** Times to first byte of the requests answered since the last decision, in ms. */
  firstBytesMs: readonly number[];
  /** The lowest median seen so far on this server: its time to first token without a queue. */
  baselineMs: number | null;
}

/** Requests needed in a window before time to first token says anything. */
export const MIN_FIRST_BYTES = 3;

/**
 * The next limit for a server without /metrics, from the time to first token its requests see
 * through the harness's model proxy. A queue on the server shows as a longer wait for the first
 * token: above twice the fastest median seen (plus 250 ms) the limit is lowered, above 1.5 times it
 * is held, below it may rise. Pure.
 */
export function decideByFirstByte(input: FirstByteInput): Decision & { medianMs: number | null } {
  const { limit, phase, baselineMs } = input;
  const medianMs = median(input.firstBytesMs) ?? null;
  const hold = (reason: string) => ({ action: 'hold' as const, limit, phase, reason, medianMs });
  if (medianMs === null || input.firstBytesMs.length < MIN_FIRST_BYTES) return hold(`too few model requests answered to judge (${input.firstBytesMs.length})`);
  const baseline = Math.min(baselineMs ?? medianMs, medianMs);
  if (medianMs > baseline * 2 + 250) {
    if (limit === 1) return hold(`time to first token ${Math.round(medianMs)} ms, more than twice the fastest seen (${Math.round(baseline)} ms), but this server already gets a single attempt`);
    return { action: 'lower', limit: limit - 1, phase: 'steady', reason: `time to first token ${Math.round(medianMs)} ms, more than twice the fastest seen (${Math.round(baseline)} ms): requests queue`, medianMs };
  }
  if (medianMs > baseline * 1.5) return hold(`time to first token ${Math.round(medianMs)} ms is rising (fastest seen ${Math.round(baseline)} ms)`);
  return { ...raiseWithinBounds(input, phase === 'slow-start', `time to first token ${Math.round(medianMs)} ms (fastest seen ${Math.round(baseline)} ms)`), medianMs };
}

/**
 * The server's batch capacity from readings: the most requests seen running while others waited
 * (null until some request has waited).
 */
export function learnCapacity(previous: number | null, readings: readonly ServerReading[]): number | null {
  let capacity = previous;
  for (const reading of readings) {
    if (reading.waiting > 0 && reading.running > 0) capacity = Math.max(capacity ?? 0, reading.running);
  }
  return capacity;
}

/** Where the monitor reads a server, for the model that server runs now. */
export interface MetricsSource {
  /** One per replica of the model: their gauges add up, as one server's. */
  metricsURLs: readonly string[];
  model: string | undefined;
  headers: Record<string, string> | undefined;
  /** Times to first byte of this server's requests since a moment (the model proxy's), when there is no /metrics. */
  firstBytesSince?: ((sinceMs: number) => number[]) | undefined;
}

export interface LaneMonitorOptions {
  /** The server (fair-share lane) this monitor sets the limit of. */
  lane: string;
  settings: AutoConcurrencySettings;
  share: FairShare;
  /** The server's /metrics now; undefined for a server that has none to offer (scripted, replay). */
  source(): MetricsSource | undefined;
  scrape(url: string, options: { model?: string | undefined; headers?: Record<string, string> | undefined; timeoutMs: number }): Promise<ScrapeResult>;
  machine(): MachineReading;
  memoryPerSessionMb: number;
  /** Every decision, for the event log. */
  record(sample: ConcurrencySample): void;
  /** A line for the person running (a fallback). */
  note(line: string): void;
  /** Called after every reading (tests step on it); default none. */
  onTick?: (() => void) | undefined;
  setInterval?: typeof setInterval;
  clearInterval?: typeof clearInterval;
  now?: () => Date;
}

export interface LaneMonitor {
  stop(): Promise<void>;
}

/** Readings without a /metrics page before a server is given its fallback. */
const READINGS_BEFORE_FALLBACK = 3;

/**
 * Follows one server: reads /metrics every `sampleMs`, decides every `windowSamples` readings and
 * sets the lane's limit. A server that never gives a reading gets `fallback` attempts at once, said
 * once; one that stops answering later keeps its limit (its attempts become infra errors, retried).
 */
export function startLaneMonitor(options: LaneMonitorOptions): LaneMonitor {
  const { settings, share, lane } = options;
  const now = options.now ?? (() => new Date());
  const every = options.setInterval ?? setInterval;
  const cancel = options.clearInterval ?? clearInterval;
  let limit = settings.start;
  let phase: ControllerPhase = 'slow-start';
  /** What the limit follows: the server's /metrics, the time to first token the proxy sees, or nothing (fixed). */
  let signal: 'metrics' | 'first-byte' | 'fixed' = 'metrics';
  let window: ServerReading[] = [];
  let capacity: number | null = null;
  let baselineMs: number | null = null;
  let model: string | undefined;
  let everRead = false;
  let failures = 0;
  let ticks = 0;
  let decidedAt = now().getTime();
  share.setLaneLimit(lane, limit);

  const emit = (action: ConcurrencyAction, reason: string, reading: ServerReading | undefined, firstByteMs: number | null = null): void => {
    const load = share.laneLoad(lane);
    options.record({
      at: now().toISOString(),
      server: lane,
      limit,
      sessions: load.running,
      queued: load.queued,
      running: reading?.running ?? null,
      waiting: reading?.waiting ?? null,
      kvCacheUsage: reading?.kvCacheUsage ?? null,
      firstByteMs,
      action,
      reason,
    });
  };
  const apply = (decision: Decision): void => {
    limit = decision.limit;
    phase = decision.phase;
    share.setLaneLimit(lane, limit);
  };
  const fallBack = (reason: string): void => {
    signal = 'fixed';
    apply({ action: 'hold', limit: settings.fallback, phase, reason });
    emit('fallback', reason, undefined);
    options.note(`concurrency auto: ${lane} gives no signal to follow (${reason}); it runs ${limit} attempt(s) at once (autoConcurrency.fallback)`);
  };
  const followFirstBytes = (reason: string): void => {
    signal = 'first-byte';
    const why = `no vLLM /metrics (${reason}): following the time to first token of its requests instead`;
    emit('first-byte', why, undefined);
    options.note(`concurrency auto: ${lane} has ${why}`);
  };

  emit('start', `starting at autoConcurrency.start (${limit})`, undefined);
  if (options.source() === undefined) fallBack('no vLLM /metrics: the server is not an OpenAI-compatible endpoint');

  const decideFromMetrics = async (source: MetricsSource): Promise<void> => {
    const results = await Promise.all(source.metricsURLs.map((url) => options.scrape(url, { model: source.model, headers: source.headers, timeoutMs: Math.max(1000, settings.sampleMs) })));
    const snapshot = combineVllmSnapshots(results.flatMap((result) => (result.status === 'scraped' ? [result.snapshot] : [])));
    if (snapshot === undefined) {
      failures += 1;
      const reasons = results.flatMap((result) => (result.status === 'scraped' ? [] : [result.reason])).join('; ');
      if (!everRead && failures >= READINGS_BEFORE_FALLBACK) {
        if (source.firstBytesSince === undefined) fallBack(reasons);
        else followFirstBytes(reasons);
      }
      return;
    }
    everRead = true;
    if (source.model !== model) {
      // Another model on the server: another capacity.
      model = source.model;
      capacity = null;
    }
    window.push({ running: snapshot.running, waiting: snapshot.waiting, kvCacheUsage: snapshot.kvCacheUsage });
    if (window.length < settings.windowSamples) return;
    capacity = learnCapacity(capacity, window);
    const decision = decideConcurrency({ ...boundsNow(), window, capacity });
    const meanReading = { running: mean(window.map((r) => r.running)), waiting: mean(window.map((r) => r.waiting)), kvCacheUsage: window.at(-1)?.kvCacheUsage ?? null };
    window = [];
    apply(decision);
    emit(decision.action, decision.reason, meanReading);
  };

  const decideFromFirstBytes = (source: MetricsSource): void => {
    ticks += 1;
    if (ticks < settings.windowSamples || source.firstBytesSince === undefined) return;
    ticks = 0;
    if (source.model !== model) {
      model = source.model;
      baselineMs = null;
    }
    const since = decidedAt;
    decidedAt = now().getTime();
    const firstBytesMs = source.firstBytesSince(since);
    const decision = decideByFirstByte({ ...boundsNow(), firstBytesMs, baselineMs });
    if (decision.medianMs !== null && firstBytesMs.length >= MIN_FIRST_BYTES) baselineMs = Math.min(baselineMs ?? decision.medianMs, decision.medianMs);
    apply(decision);
    emit(decision.action, decision.reason, undefined, decision.medianMs);
  };

  const boundsNow = () => ({ limit, phase, load: share.laneLoad(lane), machine: options.machine(), max: settings.max, memoryPerSessionMb: options.memoryPerSessionMb });

  const tick = async (): Promise<void> => {
    const source = options.source();
    if (signal === 'fixed' || source === undefined) return;
    if (signal === 'metrics') await decideFromMetrics(source);
    else decideFromFirstBytes(source);
  };

  let running: Promise<void> = Promise.resolve();
  const timer = every(() => {
    running = running.then(tick).then(() => options.onTick?.());
  }, settings.sampleMs);
  if (typeof timer === 'object' && 'unref' in timer) timer.unref();
  return {
    async stop() {
      cancel(timer);
      await running;
    },
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
