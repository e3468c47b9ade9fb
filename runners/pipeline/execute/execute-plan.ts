import { availableParallelism } from 'node:os';
import path from 'node:path';
import { dir as makeTempDir } from 'tmp-promise';
import { buildOpencodeConfig, type ProviderEndpoint } from '../../attempt/opencode/opencode-config.ts';
import { buildToolEnv } from '../../attempt/sandbox/tool-env.ts';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import { buildInfraErrorRecord, describeFault } from '../../core/domain/attempt-records.ts';
import type { RunIsolation } from '../../core/domain/isolation.ts';
import { isContainmentError } from '../../core/errors.ts';
import type { Redactor } from '../../core/redact.ts';
import { startDocsSite, type DocsSite } from '../../endpoints/docs-site/docs-site.ts';
import { modelBaseURLOf, PLACEHOLDER_API_KEY } from '../../endpoints/model-proxy/model-proxy.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { replicaURLsOf, type ResolvedTarget } from '../../core/domain/target.ts';
import { authHeadersOf } from '../../endpoints/serving/fetch-model-list.ts';
import { createModelSwitcher, type ModelSwitcher } from '../../endpoints/serving/model-switcher.ts';
import { openServingWindow, type OpenServingWindow, type ServingWindowOptions } from '../../endpoints/serving/serving-window.ts';
import type { EventLogWriter } from '../events/event-log.ts';
import { buildConcurrencySampleEvent, buildServingMetricsEvent } from '../events/event-types.ts';
import { required, type PreparedRun } from '../plan/prepare-run.ts';
import { buildRunAgentCatalog } from './run-agents.ts';
import { groupSpecsByServedModel, queueGroupsByServer, type ServedModelGroup, type ServerQueue } from '../plan/served-model-groups.ts';
import { createFairShare, type FairShare } from './fair-share.ts';
import { MEMORY_RESERVE_MB, startLaneMonitor, type LaneMonitor, type LaneMonitorOptions, type MetricsSource } from './adaptive-concurrency.ts';
import { createMachineLoadReader, type MachineReading } from './machine-load.ts';
import { metricsURLOf, scrapeVllmMetrics } from '../../endpoints/serving/scrape-metrics.ts';
import { sessionBudgetOf } from '../../inputs/config/concurrency.ts';
import { startEndpointServices, type EndpointServices, type EndpointServicesOptions } from './endpoint-services.ts';
import { maskedPathsOf } from './masked-paths.ts';
import { relayedMcpLaunch } from './mcp-relay.ts';
import { allowsDocsSite, BRIDGED_PORTS, createRunNetwork, MODEL_ORIGIN_VARIABLE } from './run-network.ts';
import { runAttempt } from './run-attempt.ts';
import { resolveAttempt, ticketFor, type AttemptSettings, type ResolvedAttempt, type RunEnvironment } from './run-environment.ts';
import type { ReusableAttempt, WorkItem } from './work-item.ts';
import { createWorkerPool, type Worker, type WorkerPool, type WorkerPoolOptions } from './worker-pool.ts';

/** Where progress goes; execution itself never prints. */
export interface ProgressSink {
  planned(total: number): void;
  attemptStarted(spec: RunSpec, attemptNumber: number): void;
  attemptFinished(spec: RunSpec, attempt: AttemptRecord, progress: { done: number; total: number; willRetry: boolean }): void;
  finished(): void;
  /** A line about the run itself (e.g. a model switch). */
  note?(line: string): void;
}

export interface ExecuteOptions {
  prepared: PreparedRun;
  work: WorkItem[];
  log: EventLogWriter;
  sink: ProgressSink;
  settings: AttemptSettings;
  /** API keys named by targets: held by the model proxy only, never given to OpenCode. */
  secretEnv: Record<string, string>;
  /** Applied to everything the attempt records (the event log applies it again). */
  redactor: Redactor;
  /** How the agent is confined (see detectIsolation). */
  isolation: RunIsolation;
  /** The run's folder: cassettes (`record`) and replay misses are written there. */
  runDir: string;
  /** Record every model exchange into `<runDir>/cassettes`. */
  record: boolean;
  /** Earlier results with identical inputs, used instead of running those specs. */
  reusable?: Map<string, ReusableAttempt> | undefined;
  /**
   * Asked once the work is done (adaptive runs): more work to run with the same servers, or an
   * empty list to finish. The servers then cover every target of `prepared.specs`.
   */
  nextWork?: (() => WorkItem[]) | undefined;
}

/** What execution is built from. The defaults are the real thing; tests pass fakes. */
export interface ExecuteDependencies {
  startEndpoints(options: EndpointServicesOptions): Promise<EndpointServices>;
  createPool(options: WorkerPoolOptions): WorkerPool;
  runAttempt(environment: RunEnvironment, attempt: ResolvedAttempt, worker: Worker): Promise<AttemptRecord>;
  createSwitcher(log: (line: string) => void, configDir: string): ModelSwitcher;
  openServingWindow(options: ServingWindowOptions): Promise<OpenServingWindow>;
  sleep(ms: number): Promise<void>;
  /** Reads a server's vLLM /metrics for `concurrency: auto`. */
  scrapeMetrics: LaneMonitorOptions['scrape'];
  /** The harness machine's CPU and memory, for `concurrency: auto`. */
  createMachineReader(): () => MachineReading;
}

export const REAL_DEPENDENCIES: ExecuteDependencies = {
  startEndpoints: startEndpointServices,
  createPool: (options) => createWorkerPool(options),
  runAttempt,
  createSwitcher: (log, configDir) => createModelSwitcher({ configDir, log }),
  openServingWindow,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  scrapeMetrics: scrapeVllmMetrics,
  createMachineReader: createMachineLoadReader,
};

/**
 * Runs work items on a pool of OpenCode servers, one per concurrent slot. Each finished attempt
 * is logged at once; infra errors are retried with backoff as new attempts of the same spec
 * (model failures never are), and every attempt is kept. With `nextWork`, further batches run on
 * the same servers until it returns nothing.
 */
export async function executePlan(options: ExecuteOptions, dependencies: ExecuteDependencies = REAL_DEPENDENCIES): Promise<void> {
  const progress = { done: 0, total: 0 };
  let session: ExecutionSession | undefined;
  try {
    for (let work = options.work; ; ) {
      progress.total += work.length;
      options.sink.planned(progress.total);
      const toRun = work.filter((item) => !logReusedAttempt(options, item, progress));
      if (toRun.length > 0) {
        session ??= await openSession(options, dependencies, progress, toRun);
        await runServedModelGroups({ options, dependencies, toRun, runner: session.runner, switcher: session.switcher, upstreamURLOf: session.upstreamURLOf, firstBytesOf: session.firstBytesOf });
      }
      work = options.nextWork?.() ?? [];
      if (work.length === 0) break;
    }
  } finally {
    await session?.close();
    options.sink.finished();
  }
}

/** The servers of a run: endpoints, the OpenCode pool, the model switcher; opened at the first attempt to run. */
interface ExecutionSession {
  runner: SpecRunner;
  switcher: ModelSwitcher | undefined;
  /** Where a target is really served (what /metrics is read from). */
  upstreamURLOf(target: ResolvedTarget): string;
  firstBytesOf: ((targetId: string, sinceMs: number) => number[]) | undefined;
  close(): Promise<void>;
}

async function openSession(options: ExecuteOptions, dependencies: ExecuteDependencies, progress: Progress, firstBatch: readonly WorkItem[]): Promise<ExecutionSession> {
  const temp = await makeTempDir({ prefix: 'harness-', unsafeCleanup: true });
  const specs = options.nextWork === undefined ? firstBatch.map((item) => item.spec) : options.prepared.specs;
  const targets = [...new Set(specs.map((spec) => spec.targetId))].map((id) => required(options.prepared.targets, id));
  const endpoints = await dependencies.startEndpoints({
    prepared: options.prepared,
    targets,
    runDir: options.runDir,
    record: options.record,
    secretEnv: options.secretEnv,
    stallMs: options.prepared.config.endpointStallMs,
    redactor: options.redactor,
    note: (line) => options.sink.note?.(line),
  });
  const docsSite = await startDocsSiteIfAllowed(options);
  const { environment, pool } = buildRunEnvironment({ options, dependencies, targets, endpoints, tempDir: temp.path, docsSite });
  const records: AttemptRecord[] = [];
  const runner = createSpecRunner({ options, dependencies, environment, pool, progress, records });
  const switching = targets.some((target) => target.kind === 'openai-compatible' && target.serve !== undefined);
  const switcher = switching ? dependencies.createSwitcher((line) => options.sink.note?.(line), options.prepared.config.rootDir) : undefined;
  return {
    runner,
    switcher,
    upstreamURLOf: (target) => endpoints.upstreamURLOf(target),
    firstBytesOf: endpoints.firstBytesSince === undefined ? undefined : (targetId, sinceMs) => endpoints.firstBytesSince?.(targetId, sinceMs) ?? [],
    async close() {
      await pool.close();
      await switcher?.close();
      await endpoints.close(records);
      await docsSite?.close();
      if (!options.settings.keepSandboxes) await temp.cleanup().catch(() => undefined);
    },
  };
}

/** The local docs site, served only when some planned scenario's allow-list names it. */
async function startDocsSiteIfAllowed(options: ExecuteOptions): Promise<DocsSite | undefined> {
  const named = [...options.prepared.scenarios.values()].some(allowsDocsSite);
  return named ? startDocsSite() : undefined;
}

interface Progress {
  done: number;
  total: number;
}

/** Logs an earlier run's result in place of running the spec; false when there is none to reuse. */
function logReusedAttempt(options: ExecuteOptions, item: WorkItem, progress: Progress): boolean {
  const reused = options.reusable?.get(item.spec.id);
  if (reused === undefined) return false;
  const attempt: AttemptRecord = { ...reused.attempt, reusedFrom: { runId: reused.runId, attemptId: reused.attempt.attemptId } };
  options.log.append({ v: 1, type: 'attempt.finished', at: new Date().toISOString(), attempt });
  progress.done += 1;
  options.sink.attemptFinished(item.spec, attempt, { ...progress, willRetry: false });
  return true;
}

interface EnvironmentParts {
  options: ExecuteOptions;
  dependencies: ExecuteDependencies;
  targets: ResolvedTarget[];
  endpoints: EndpointServices;
  tempDir: string;
  docsSite: DocsSite | undefined;
}

/**
 * What every attempt shares, and the pool of OpenCode servers: one config per server profile (a
 * variant with a scenario's policy), declaring the run's agents. OpenCode reaches each target
 * through the model proxy, by the origin its worker's environment names, with a placeholder for
 * a key; under bubblewrap each MCP server is a relay to the real one, which runs outside the sandbox.
 */
function buildRunEnvironment({ options, dependencies, targets, endpoints, tempDir, docsSite }: EnvironmentParts): { environment: RunEnvironment; pool: WorkerPool } {
  const { prepared, isolation } = options;
  const agents = buildRunAgentCatalog(prepared);
  const providerEndpoints: ProviderEndpoint[] = targets.map((target) => ({ target, baseURL: modelBaseURLOf(`{env:${MODEL_ORIGIN_VARIABLE}}`, target.id), apiKey: PLACEHOLDER_API_KEY }));
  const mcpServers = isolation.kind === 'bubblewrap' ? prepared.mcpServers.map((launch, index) => relayedMcpLaunch(launch, BRIDGED_PORTS.firstMcp + index, process.execPath)) : prepared.mcpServers;
  const configs = new Map(
    agents.profiles.map((profile) => {
      const running = { ...profile, agents: profile.agents.filter((agent) => targets.includes(agent.target)) };
      return [profile.key, JSON.stringify(buildOpencodeConfig(providerEndpoints, running, mcpServers))];
    }),
  );
  const maskedPaths = maskedPathsOf({ prepared, runDir: options.runDir, tempDir });
  const network = createRunNetwork({ isolation, dir: path.join(tempDir, 'net'), modelProxy: endpoints.modelProxy, mcpServers: prepared.mcpServers, docsSitePort: docsSite?.port });
  const pool = dependencies.createPool({
    rootDir: path.join(tempDir, 'workers'),
    configFor: (profileKey) => {
      const content = configs.get(profileKey);
      if (content === undefined) throw new Error(`internal: no OpenCode config for server profile ${profileKey}`);
      return content;
    },
    maxWorkers: sessionBudgetOf(prepared.config),
    // One start per core at a time: 24 servers started at once on 2 cores each outlasted the 60 s start-up time-out.
    startsAtOnce: availableParallelism(),
    nodeBinDir: path.dirname(process.execPath),
    network,
    attemptsPerServer: prepared.config.attemptsPerServer,
    memoryLimitMb: prepared.config.serverMemoryLimitMb,
    isolation,
    maskedPaths,
  });
  const environment: RunEnvironment = {
    prepared,
    settings: options.settings,
    toolEnv: buildToolEnv(path.join(tempDir, 'tool-home')),
    checkConfinement: { isolation, masked: maskedPaths },
    endpoints,
    agents,
    redactor: options.redactor,
    runDir: options.runDir,
  };
  return { environment, pool };
}

interface SpecRunnerParts {
  options: ExecuteOptions;
  dependencies: ExecuteDependencies;
  environment: RunEnvironment;
  pool: WorkerPool;
  progress: Progress;
  records: AttemptRecord[];
}

/** Runs one attempt in one of the run's concurrent slots. */
type Slot = (attempt: () => Promise<AttemptRecord>) => Promise<AttemptRecord>;

interface SpecRunner {
  /**
   * Runs a spec's attempts until one is not an infra error or the retries are used up, each
   * attempt in a slot; the backoff before a retry holds none, so a failing server's waits never
   * take slots from the others.
   */
  run(item: WorkItem, slot: Slot): Promise<void>;
  /** Records an attempt that could not run (its model server never came up). */
  fail(item: WorkItem, message: string): void;
  /** Starts OpenCode servers for the first `count` items ahead of need. */
  prewarm(items: readonly WorkItem[], count: number): void;
}

function createSpecRunner({ options, dependencies, environment, pool, progress, records }: SpecRunnerParts): SpecRunner {
  const { log, sink } = options;
  const maxAttempts = 1 + options.prepared.config.infraRetries;
  const start = (spec: RunSpec, attemptNumber: number) => {
    const ticket = ticketFor(spec, attemptNumber);
    log.append({ v: 1, type: 'attempt.started', at: new Date().toISOString(), specId: spec.id, attemptId: ticket.attemptId, attemptNumber });
    sink.attemptStarted(spec, attemptNumber);
    return ticket;
  };
  const finish = (item: WorkItem, record: AttemptRecord, willRetry: boolean): void => {
    records.push(record);
    log.append({ v: 1, type: 'attempt.finished', at: new Date().toISOString(), attempt: record });
    if (!willRetry) progress.done += 1;
    sink.attemptFinished(item.spec, record, { ...progress, willRetry });
  };
  const runOnce = async (spec: RunSpec, attemptNumber: number): Promise<AttemptRecord> => {
    const ticket = start(spec, attemptNumber);
    const attempt = resolveAttempt(environment, ticket);
    try {
      return await withWorker(pool, attempt.profileKey, (worker) => dependencies.runAttempt(environment, attempt, worker));
    } catch (error) {
      // The agent cannot be contained: the run stops rather than go on unprotected.
      if (isContainmentError(error)) throw error;
      const message = `could not start an OpenCode server: ${describeFault(error)}`;
      return buildInfraErrorRecord({ specId: spec.id, attemptId: ticket.attemptId, attemptNumber, source: 'opencode', message });
    }
  };
  return {
    async run(item, slot) {
      for (let attemptNumber = item.firstAttemptNumber; ; attemptNumber += 1) {
        const number = attemptNumber;
        const record = await slot(() => runOnce(item.spec, number));
        const willRetry = record.outcome.kind === 'infra-error' && attemptNumber < maxAttempts;
        finish(item, record, willRetry);
        if (!willRetry) return;
        await dependencies.sleep(options.prepared.config.retryBackoffMs * 2 ** (attemptNumber - item.firstAttemptNumber));
      }
    },
    prewarm(items, count) {
      const perProfile = new Map<string, number>();
      for (const item of items.slice(0, count)) {
        const key = environment.agents.assignmentFor(item.spec.id).profile.key;
        perProfile.set(key, (perProfile.get(key) ?? 0) + 1);
      }
      for (const [key, wanted] of perProfile) pool.prewarm(key, wanted);
    },
    fail(item, message) {
      const ticket = start(item.spec, item.firstAttemptNumber);
      finish(item, buildInfraErrorRecord({ specId: item.spec.id, attemptId: ticket.attemptId, attemptNumber: ticket.attemptNumber, source: 'endpoint', message }), false);
    },
  };
}

interface GroupsParts {
  options: ExecuteOptions;
  dependencies: ExecuteDependencies;
  toRun: WorkItem[];
  runner: SpecRunner;
  switcher: ModelSwitcher | undefined;
  upstreamURLOf(target: ResolvedTarget): string;
  /** Times to first byte of a target's model requests since a moment, as the model proxy saw them. */
  firstBytesOf: ((targetId: string, sinceMs: number) => number[]) | undefined;
}

/**
 * Every model server busy at once: each server works through its own queue of served-model
 * groups — one after another where it switches models (one GPU serves one model at a time), all
 * at once otherwise — while the servers run side by side, sharing the concurrency fairly. A
 * server that is slow to bring its model up holds no slot, and one whose model never comes up
 * turns its own attempts into infra errors; neither holds back the others.
 */
async function runServedModelGroups(parts: GroupsParts): Promise<void> {
  const { prepared } = parts.options;
  const share = createFairShare(sessionBudgetOf(prepared.config));
  const groups = groupSpecsByServedModel(parts.toRun.map((item) => item.spec), prepared.targets);
  const runQueue = async (queue: ServerQueue): Promise<void> => {
    const firstOf = (group: ServedModelGroup | undefined) => required(prepared.targets, group?.targetIds[0] ?? '');
    let current = firstOf(queue.groups[0]);
    const monitor = prepared.config.concurrency === 'auto' ? startAutoConcurrency(parts, share, queue.serverKey, () => current) : undefined;
    try {
      if (!queue.switchesModels) {
        await Promise.all(queue.groups.map((group) => runGroup(parts, share, group)));
        return;
      }
      for (const group of queue.groups) {
        current = firstOf(group);
        await runGroup(parts, share, group);
      }
    } finally {
      await monitor?.stop();
    }
  };
  await Promise.all(queueGroupsByServer(groups, prepared.targets).map(runQueue));
}

/**
 * `concurrency: auto` for one server: a monitor that reads the server's /metrics (the endpoint's
 * own, or the embedded scripted model's) for the model it serves now,
 * sets the server's share of attempts, and logs each decision.
 */
function startAutoConcurrency({ options, dependencies, upstreamURLOf, firstBytesOf, runner, toRun }: GroupsParts, share: FairShare, serverKey: string, current: () => ResolvedTarget): LaneMonitor {
  const { prepared } = options;
  const source = (): MetricsSource | undefined => {
    const target = current();
    if (target.kind === 'replay') return undefined;
    const baseURLs = target.kind === 'openai-compatible' ? replicaURLsOf(target) : [upstreamURLOf(target)];
    const firstBytesSince = firstBytesOf === undefined ? undefined : (sinceMs: number) => firstBytesOf(target.id, sinceMs);
    return { metricsURLs: baseURLs.map(metricsURLOf), model: target.model, headers: authHeadersOf(target), firstBytesSince };
  };
  return startLaneMonitor({
    lane: serverKey,
    settings: prepared.config.autoConcurrency,
    share,
    source,
    scrape: dependencies.scrapeMetrics,
    machine: dependencies.createMachineReader(),
    memoryPerSessionMb: prepared.config.serverMemoryLimitMb + MEMORY_RESERVE_MB,
    record: (sample) => {
      options.log.append(buildConcurrencySampleEvent(sample));
      // A raised limit finds its OpenCode servers started.
      if (sample.action === 'raise') {
        const target = current();
        const waiting = toRun.filter((item) => item.spec.targetId === target.id);
        runner.prewarm(waiting, sample.limit - sample.sessions);
      }
    },
    note: (line) => options.sink.note?.(line),
  });
}

/** Brings the group's model up, then runs its specs inside one serving-metrics window. */
async function runGroup({ options, dependencies, toRun, runner, switcher }: GroupsParts, share: FairShare, group: ServedModelGroup): Promise<void> {
  const { prepared } = options;
  const items = toRun.filter((item) => group.specs.includes(item.spec));
  const first = required(prepared.targets, group.targetIds[0] ?? '');
  // OpenCode servers start while the model comes up.
  runner.prewarm(items, prepared.config.concurrency === 'auto' ? prepared.config.autoConcurrency.start : prepared.config.concurrency);
  const brought = switcher === undefined ? undefined : await bringUp(switcher, first);
  if (brought?.status === 'failed') {
    for (const item of items) runner.fail(item, brought.message);
    return;
  }
  const window =
    first.kind === 'openai-compatible'
      ? await dependencies.openServingWindow({ targetIds: group.targetIds, model: first.model, baseURL: first.baseURL, baseURLs: first.baseURLs, headers: authHeadersOf(first) })
      : undefined;
  await Promise.all(items.map((item) => runner.run(item, (attempt) => share.run(group.serverKey, attempt))));
  if (window !== undefined) options.log.append(buildServingMetricsEvent(await window.close()));
}

/** The switch to the target's model; one that throws fails its group (an infra error), never the other servers. */
async function bringUp(switcher: ModelSwitcher, target: ResolvedTarget): ReturnType<ModelSwitcher['switchTo']> {
  try {
    return await switcher.switchTo(target);
  } catch (error) {
    return { status: 'failed', waitedMs: 0, message: `could not bring ${target.model} up for ${target.id}: ${describeFault(error)}` };
  }
}

async function withWorker<T>(pool: WorkerPool, profileKey: string, use: (worker: Worker) => Promise<T>): Promise<T> {
  const worker = await pool.acquire(profileKey);
  try {
    return await use(worker);
  } finally {
    await pool.release(worker);
  }
}
