/**
 * Fakes of what execution is built from, for the tests of the execution core and of the run
 * lifecycle: no OpenCode server, sandbox, check or model runs. Attempts end as a script says;
 * workers are fake servers behind the real pool; the log keeps its events in memory.
 */
import path from 'node:path';
import type { OpencodeServer } from '../../attempt/opencode/opencode-server.ts';
import type { SessionEventHub } from '../../attempt/opencode/event-hub.ts';
import { makeAttempt } from '../../bench/support/attempt-record.ts';
import type { AttemptOutcome, AttemptRecord } from '../../core/domain/attempt.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import type { BringUpResult } from '../../endpoints/serving/bring-up-target.ts';
import { resolveConfig } from '../../inputs/config/load-config.ts';
import type { EventLogWriter } from '../events/event-log.ts';
import type { HarnessEvent } from '../events/event-types.ts';
import { prepareRun, type PreparedRun } from '../plan/prepare-run.ts';
import type { EndpointServices } from './endpoint-services.ts';
import type { ExecuteDependencies, ProgressSink } from './execute-plan.ts';
import type { ModelProxy } from '../../endpoints/model-proxy/model-proxy.ts';
import type { WorkerNetwork } from './run-network.ts';
import type { ResolvedAttempt } from './run-environment.ts';
import { createWorkerPool, type Worker, type WorkerLifecycle } from './worker-pool.ts';

/** A run prepared from a config body over the project's scenarios, fixtures and prompts (nothing is written). */
export function preparePlan(body: Record<string, unknown>): PreparedRun {
  const config = resolveConfig(body, path.join(PROJECT_ROOT, 'test.config.ts'));
  return prepareRun(config, { scenarioIds: [], targetIds: [], promptVariantIds: [], tags: [] });
}

export function scriptedTarget(profile: string): Record<string, unknown> {
  return { kind: 'scripted', id: `scripted-${profile}`, model: profile };
}

/** A worker's network that lets nothing through and records nothing: the fakes never open a socket. */
export function makeFakeWorkerNetwork(): WorkerNetwork {
  return {
    env: {},
    server: undefined,
    beginAttempt: () => ({ endpointFault: new Promise(() => undefined), finish: (fromSandbox) => [...fromSandbox] }),
    close: async () => undefined,
  };
}

/** A model proxy that is never listened on (fake workers open no network). */
export const FAKE_MODEL_PROXY: ModelProxy = {
  listen: () => Promise.reject(new Error('the fake model proxy does not listen')),
  close: async () => undefined,
};

/** A worker whose server is a stand-in: alive until `die()`. */
export interface FakeWorker extends Worker {
  die(): void;
}

export function makeFakeWorker(id: number, profileKey = 'default'): FakeWorker {
  let alive = true;
  const server = { pid: 100_000 + id, isAlive: () => alive, logTail: () => `worker ${id} log`, takeEgress: () => [], exited: new Promise(() => undefined) } as unknown as OpencodeServer;
  const hub: SessionEventHub = { subscribe: () => () => undefined, close: () => undefined };
  return {
    id,
    profileKey,
    server,
    hub,
    env: {},
    network: makeFakeWorkerNetwork(),
    root: `/workers/worker-${id}`,
    attemptsRun: 0,
    sandboxes: new Map(),
    die: () => {
      alive = false;
    },
  };
}

/** Fake workers for the real pool: what was started and stopped, and each worker's memory. */
export interface FakeWorkers {
  lifecycle: WorkerLifecycle;
  workers: Map<number, FakeWorker>;
  started: number[];
  stopped: number[];
  /** Resident memory per worker id, in MB (default 100). */
  memoryMb: Map<number, number>;
  /** Makes the next `start` throw this error (once). */
  failNextStart(error: Error, times?: number): void;
}

export function createFakeWorkers(): FakeWorkers {
  const workers = new Map<number, FakeWorker>();
  const started: number[] = [];
  const stopped: number[] = [];
  const memoryMb = new Map<number, number>();
  const failures: Error[] = [];
  return {
    workers,
    started,
    stopped,
    memoryMb,
    failNextStart(error, times = 1) {
      for (let count = 0; count < times; count += 1) failures.push(error);
    },
    lifecycle: {
      async start(id, profileKey) {
        const failure = failures.shift();
        if (failure !== undefined) throw failure;
        const worker = makeFakeWorker(id, profileKey);
        workers.set(id, worker);
        started.push(id);
        return worker;
      },
      async stop(worker) {
        stopped.push(worker.id);
      },
      memoryMb: (worker) => memoryMb.get(worker.id) ?? 100,
    },
  };
}

/** How an attempt ends in a fake run; it may also act on the worker (e.g. kill its server). */
export type AttemptScript = (attempt: ResolvedAttempt, worker: FakeWorker) => AttemptOutcome | Promise<AttemptOutcome>;

export interface FakeExecutionOptions {
  outcome: AttemptScript;
  /** How each served-model group's model comes up (default: nothing to bring up). */
  switchTo?: ((target: ResolvedTarget) => BringUpResult | Promise<BringUpResult>) | undefined;
  workers?: FakeWorkers | undefined;
  /** How a backoff passes, after it is recorded in `sleeps` (default: at once). */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** What a server's /metrics says to `concurrency: auto` (default: there is none). */
  scrapeMetrics?: ExecuteDependencies['scrapeMetrics'] | undefined;
}

/** Fake dependencies and everything they saw, in order. */
export interface FakeExecution {
  dependencies: ExecuteDependencies;
  workers: FakeWorkers;
  /** Every delay execution slept for, in order. */
  sleeps: number[];
  /** Every attempt run, in the order they started: attempt id and the worker it ran on. */
  attempts: Array<{ attemptId: string; workerId: number }>;
  /** What happened, in order: `start <attemptId>`, `end <attemptId>`, `switch <target>`, `window <targets>`, `closed`. */
  timeline: string[];
  /** The records the endpoints were closed with, once they were. */
  endpointsClosedWith: AttemptRecord[] | undefined;
}

export const FAKE_BASE_URL = 'http://127.0.0.1:9/v1';

export function createFakeExecution(options: FakeExecutionOptions): FakeExecution {
  const workers = options.workers ?? createFakeWorkers();
  const fake: Omit<FakeExecution, 'dependencies' | 'workers'> = { sleeps: [], attempts: [], timeline: [], endpointsClosedWith: undefined };
  const endpoints: EndpointServices = {
    upstreamURLOf: () => FAKE_BASE_URL,
    modelProxy: FAKE_MODEL_PROXY,
    hooksFor: () => ({ before: async () => undefined, after: async (record) => record }),
    close: async (records) => {
      fake.endpointsClosedWith = [...records];
      fake.timeline.push('closed');
    },
  };
  const dependencies: ExecuteDependencies = {
    startEndpoints: async () => endpoints,
    createPool: (poolOptions) => createWorkerPool(poolOptions, workers.lifecycle),
    async runAttempt(_environment, attempt, worker) {
      const fakeWorker = workers.workers.get(worker.id) ?? makeFakeWorker(worker.id);
      fake.attempts.push({ attemptId: attempt.attemptId, workerId: worker.id });
      fake.timeline.push(`start ${attempt.attemptId}`);
      const outcome = await options.outcome(attempt, fakeWorker);
      worker.attemptsRun += 1;
      fake.timeline.push(`end ${attempt.attemptId}`);
      return makeAttempt({ specId: attempt.spec.id, attemptNumber: attempt.attemptNumber, attemptId: attempt.attemptId, outcome });
    },
    createSwitcher: () => ({
      async switchTo(target) {
        fake.timeline.push(`switch ${target.id}`);
        return options.switchTo === undefined ? { status: 'not-configured' } : options.switchTo(target);
      },
      close: async () => undefined,
    }),
    async openServingWindow(windowOptions) {
      fake.timeline.push(`window ${windowOptions.targetIds.join(',')}`);
      const at = '2025-01-01T00:00:00.000Z';
      return {
        close: async () => ({
          targetIds: windowOptions.targetIds,
          model: windowOptions.model,
          metricsURL: `${windowOptions.baseURL}/metrics`,
          window: { startedAt: at, finishedAt: at, durationMs: 0 },
          result: { status: 'unavailable', reason: 'a fake window' },
        }),
      };
    },
    sleep: async (ms) => {
      fake.sleeps.push(ms);
      await options.sleep?.(ms);
    },
    scrapeMetrics: options.scrapeMetrics ?? (async (url) => ({ status: 'unavailable', reason: `${url}: a fake server without metrics` })),
    createMachineReader: () => () => ({ cpuBusy: 0.5, availableMemoryMb: null }),
  };
  return Object.assign(fake, { dependencies, workers });
}

/** A ready model server for `switchTo`. */
export function readyServer(target: ResolvedTarget): BringUpResult {
  return { status: 'ready', waitedMs: 0, handle: { baseURL: FAKE_BASE_URL, model: target.model, stop: async () => undefined } };
}

/** An event log kept in memory. */
export interface MemoryLog extends EventLogWriter {
  events: HarnessEvent[];
  closed: boolean;
}

export function createMemoryLog(): MemoryLog {
  const log: MemoryLog = {
    file: 'memory/events.jsonl',
    events: [],
    closed: false,
    append: (event) => {
      log.events.push(event);
    },
    close: () => {
      log.closed = true;
    },
  };
  return log;
}

/** A progress sink that remembers what it was told. */
export interface RecordingSink extends ProgressSink {
  calls: string[];
  /** `done/total` and whether a retry follows, per finished attempt. */
  progress: Array<{ attemptId: string; done: number; total: number; willRetry: boolean }>;
}

export function createRecordingSink(): RecordingSink {
  const sink: RecordingSink = {
    calls: [],
    progress: [],
    planned: (total) => sink.calls.push(`planned ${total}`),
    attemptStarted: (spec: RunSpec, attemptNumber) => sink.calls.push(`started ${spec.id} #${attemptNumber}`),
    attemptFinished: (_spec, attempt, progress) => {
      sink.calls.push(`finished ${attempt.attemptId}`);
      sink.progress.push({ attemptId: attempt.attemptId, ...progress });
    },
    finished: () => sink.calls.push('finished'),
    note: (line) => sink.calls.push(`note ${line}`),
  };
  return sink;
}
