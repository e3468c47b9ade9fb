import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { dir as makeTempDir } from 'tmp-promise';
import type { AttemptRecord, RunSpec } from '../domain.ts';
import type { EventLogWriter } from '../events/event-log.ts';
import { isInside, type Isolation } from '../opencode/isolation.ts';
import { buildOpencodeConfig, providerIdOf, type ProviderEndpoint } from '../opencode/opencode-config.ts';
import { startScriptedModelServer } from '../scripted-model/server.ts';
import type { ReusableAttempt } from './find-reusable.ts';
import { required, type PreparedRun } from './prepare-run.ts';
import type { WorkItem } from './remaining-work.ts';
import { buildInfraAttempt, runAttempt } from './run-attempt.ts';
import { createWorkerPool, type WorkerPool } from './worker-pool.ts';

/** Where progress goes; execution itself never prints. */
export interface ProgressSink {
  planned(total: number): void;
  attemptStarted(spec: RunSpec, attemptNumber: number): void;
  attemptFinished(spec: RunSpec, attempt: AttemptRecord, progress: { done: number; total: number; willRetry: boolean }): void;
  finished(): void;
}

export interface ExecuteOptions {
  prepared: PreparedRun;
  work: WorkItem[];
  log: EventLogWriter;
  sink: ProgressSink;
  /** Overrides every scenario's timeout. */
  attemptTimeoutMs?: number | undefined;
  keepSandboxes: boolean;
  /** Variables (e.g. API keys named by targets) handed to OpenCode only. */
  secretEnv: Record<string, string>;
  /** Earlier results with identical inputs, used instead of running those specs. */
  reusable?: Map<string, ReusableAttempt> | undefined;
  /** How the agent is confined (see detectIsolation). */
  isolation: Isolation;
}

/**
 * Runs work items on a pool of OpenCode servers, one per concurrent slot. Each finished attempt
 * is logged at once; infra errors are retried with backoff as new attempts of the same spec
 * (model failures never are), and every attempt is kept.
 */
export async function executePlan(options: ExecuteOptions): Promise<void> {
  const { prepared, log, sink } = options;
  const { config } = prepared;
  const total = options.work.length;
  let done = 0;
  sink.planned(total);
  const toRun = options.work.filter((item) => {
    const reused = options.reusable?.get(item.spec.id);
    if (reused === undefined) return true;
    const attempt: AttemptRecord = { ...reused.attempt, reusedFrom: { runId: reused.runId, attemptId: reused.attempt.attemptId } };
    log.append({ v: 1, type: 'attempt.finished', at: new Date().toISOString(), attempt });
    done += 1;
    sink.attemptFinished(item.spec, attempt, { done, total, willRetry: false });
    return false;
  });
  if (toRun.length === 0) {
    sink.finished();
    return;
  }
  const temp = await makeTempDir({ prefix: 'harness-', unsafeCleanup: true });
  const needsScripted = toRun.some((item) => required(prepared.targets, item.spec.targetId).kind === 'scripted');
  const scripted = needsScripted ? await startScriptedModelServer({ scenarios: [...prepared.scenarios.values()] }) : undefined;
  const endpoints: ProviderEndpoint[] = [...prepared.targets.values()].map((target) => ({
    target,
    baseURL: target.kind === 'scripted' ? (scripted?.baseURL ?? '') : target.baseURL,
  }));
  const baseURLs = new Map(endpoints.map((endpoint) => [endpoint.target.id, endpoint.baseURL]));
  const pool = createWorkerPool({
    rootDir: path.join(temp.path, 'workers'),
    configContent: JSON.stringify(buildOpencodeConfig(endpoints, prepared.agents, prepared.mcpServers)),
    nodeBinDir: path.dirname(process.execPath),
    secretEnv: options.secretEnv,
    attemptsPerServer: config.attemptsPerServer,
    memoryLimitMb: config.serverMemoryLimitMb,
    isolation: options.isolation,
    maskedPaths: maskedPathsOf(prepared),
  });
  const toolEnv = buildToolEnv(path.join(temp.path, 'tool-home'));
  const limit = pLimit(config.concurrency);
  const maxAttempts = 1 + config.infraRetries;

  async function runOnce(spec: RunSpec, attemptNumber: number): Promise<AttemptRecord> {
    const scenario = required(prepared.scenarios, spec.scenarioId);
    const target = required(prepared.targets, spec.targetId);
    const attemptId = `${spec.id}-a${attemptNumber}`;
    log.append({ v: 1, type: 'attempt.started', at: new Date().toISOString(), specId: spec.id, attemptId, attemptNumber });
    sink.attemptStarted(spec, attemptNumber);
    return withWorker(pool, (worker) =>
      runAttempt(
        {
          spec,
          attemptNumber,
          attemptId,
          scenario,
          fixture: required(prepared.fixtures, scenario.fixture),
          target,
          agentName: required(prepared.agentBySpec, spec.id).name,
          providerId: providerIdOf(target),
          endpointBaseURL: required(baseURLs, target.id),
          timeoutMs: options.attemptTimeoutMs ?? scenario.timeoutMs,
          checkTimeoutMs: config.checkTimeoutMs,
          endpointRetryLimit: config.endpointRetryLimit,
          keepSandbox: options.keepSandboxes,
          toolEnv,
        },
        worker,
      ),
    ).catch((error: unknown) => buildInfraAttempt(spec, attemptNumber, attemptId, error));
  }

  async function runSpec(item: WorkItem): Promise<void> {
    for (let attemptNumber = item.firstAttemptNumber; ; attemptNumber += 1) {
      const record = await runOnce(item.spec, attemptNumber);
      const willRetry = record.outcome.kind === 'infra-error' && attemptNumber < maxAttempts;
      log.append({ v: 1, type: 'attempt.finished', at: new Date().toISOString(), attempt: record });
      if (!willRetry) done += 1;
      sink.attemptFinished(item.spec, record, { done, total, willRetry });
      if (!willRetry) return;
      await sleep(config.retryBackoffMs * 2 ** (attemptNumber - item.firstAttemptNumber));
    }
  }

  try {
    await Promise.all(toRun.map((item) => limit(() => runSpec(item))));
  } finally {
    await pool.close();
    await scripted?.close();
    if (!options.keepSandboxes) await temp.cleanup().catch(() => undefined);
    sink.finished();
  }
}

/**
 * What the agent must never see, even read-only: every scenario's hidden tests and reference
 * solution, and the host user's home (unless the project itself lives there).
 */
function maskedPathsOf(prepared: PreparedRun): string[] {
  const scenarioPaths = [...prepared.scenarios.values()].flatMap((scenario) => [scenario.hiddenTestsDir, scenario.referenceDir]);
  const home = os.homedir();
  const projectInHome = isInside(home, prepared.config.rootDir) || [...prepared.fixtures.values()].some((fixture) => isInside(home, fixture.dir));
  return projectInHome ? scenarioPaths : [...scenarioPaths, home];
}

async function withWorker<T>(pool: WorkerPool, use: (worker: Awaited<ReturnType<WorkerPool['acquire']>>) => Promise<T>): Promise<T> {
  const worker = await pool.acquire();
  try {
    return await use(worker);
  } finally {
    await pool.release(worker);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The environment of git and the checks: the project's Node first, no host secrets. */
function buildToolEnv(home: string): Record<string, string> {
  return {
    HOME: home,
    PATH: [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    LANG: process.env.LANG ?? 'C.UTF-8',
    CI: '1',
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
  };
}
