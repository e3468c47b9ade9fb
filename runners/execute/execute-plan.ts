import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { dir as makeTempDir } from 'tmp-promise';
import type { AttemptRecord, RunSpec } from '../domain.ts';
import type { EventLogWriter } from '../events/event-log.ts';
import { isInside, type Isolation } from '../opencode/isolation.ts';
import { buildOpencodeConfig, providerIdOf, type ProviderEndpoint } from '../opencode/opencode-config.ts';
import type { ReusableAttempt } from './find-reusable.ts';
import { required, type PreparedRun } from './prepare-run.ts';
import type { WorkItem } from './remaining-work.ts';
import { groupSpecsByServedModel, type ServedModelGroup } from '../plan/served-model-groups.ts';
import { authHeadersOf } from '../serving/fetch-model-list.ts';
import { buildGroupFailureRecord } from '../serving/group-failure-records.ts';
import { createModelSwitcher, type ModelSwitcher } from '../serving/model-switcher.ts';
import { openServingWindow } from '../serving/serving-window.ts';
import { buildServingMetricsEvent } from '../serving/summarize-serving-metrics.ts';
import { buildToolEnv } from '../sandbox/tool-env.ts';
import { startEndpointServices } from './endpoint-services.ts';
import { buildInfraAttempt, runAttempt } from './run-attempt.ts';
import { createWorkerPool, type WorkerPool } from './worker-pool.ts';

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
  /** Overrides every scenario's timeout. */
  attemptTimeoutMs?: number | undefined;
  keepSandboxes: boolean;
  /** Variables (e.g. API keys named by targets) handed to OpenCode only. */
  secretEnv: Record<string, string>;
  /** Earlier results with identical inputs, used instead of running those specs. */
  reusable?: Map<string, ReusableAttempt> | undefined;
  /** How the agent is confined (see detectIsolation). */
  isolation: Isolation;
  /** The run's folder: cassettes (`record`) and replay misses are written there. */
  runDir: string;
  /** Record every model exchange into `<runDir>/cassettes`. */
  record: boolean;
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
  const targets = [...new Set(toRun.map((item) => item.spec.targetId))].map((id) => required(prepared.targets, id));
  const services = await startEndpointServices({ prepared, targets, runDir: options.runDir, record: options.record });
  const endpoints: ProviderEndpoint[] = targets.map((target) => ({ target, baseURL: services.baseURLOf(target) }));
  const maskedPaths = maskedPathsOf(prepared);
  const pool = createWorkerPool({
    rootDir: path.join(temp.path, 'workers'),
    configContent: JSON.stringify(buildOpencodeConfig(endpoints, prepared.agents.filter((agent) => targets.includes(agent.target)), prepared.mcpServers)),
    nodeBinDir: path.dirname(process.execPath),
    secretEnv: options.secretEnv,
    attemptsPerServer: config.attemptsPerServer,
    memoryLimitMb: config.serverMemoryLimitMb,
    isolation: options.isolation,
    maskedPaths,
  });
  const toolEnv = buildToolEnv(path.join(temp.path, 'tool-home'));
  const limit = pLimit(config.concurrency);
  const maxAttempts = 1 + config.infraRetries;
  const records: AttemptRecord[] = [];

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
          endpointBaseURL: services.baseURLOf(target),
          timeoutMs: options.attemptTimeoutMs ?? scenario.timeoutMs,
          checkTimeoutMs: config.checkTimeoutMs,
          endpointRetryLimit: config.endpointRetryLimit,
          maxStepsPerTurn: config.maxStepsPerTurn,
          keepSandbox: options.keepSandboxes,
          toolEnv,
          checkConfinement: { isolation: options.isolation, masked: maskedPaths },
          hooks: services.hooksFor(target, { spec, attemptNumber, attemptId }),
        },
        worker,
      ),
    ).catch((error: unknown) => buildInfraAttempt(spec, attemptNumber, attemptId, error));
  }

  function finish(item: WorkItem, record: AttemptRecord, willRetry: boolean): void {
    records.push(record);
    log.append({ v: 1, type: 'attempt.finished', at: new Date().toISOString(), attempt: record });
    if (!willRetry) done += 1;
    sink.attemptFinished(item.spec, record, { done, total, willRetry });
  }

  async function runSpec(item: WorkItem): Promise<void> {
    for (let attemptNumber = item.firstAttemptNumber; ; attemptNumber += 1) {
      const record = await runOnce(item.spec, attemptNumber);
      const willRetry = record.outcome.kind === 'infra-error' && attemptNumber < maxAttempts;
      finish(item, record, willRetry);
      if (!willRetry) return;
      await sleep(config.retryBackoffMs * 2 ** (attemptNumber - item.firstAttemptNumber));
    }
  }

  /** One served-model group: bring its model up, measure the server around it, run its specs. */
  async function runGroup(group: ServedModelGroup, items: WorkItem[], switcher: ModelSwitcher | undefined): Promise<void> {
    const first = required(prepared.targets, group.targetIds[0] ?? '');
    const brought = switcher === undefined ? undefined : await switcher.switchTo(first);
    if (brought?.status === 'failed') {
      for (const item of items) {
        const attemptId = `${item.spec.id}-a${item.firstAttemptNumber}`;
        log.append({ v: 1, type: 'attempt.started', at: new Date().toISOString(), specId: item.spec.id, attemptId, attemptNumber: item.firstAttemptNumber });
        finish(item, buildGroupFailureRecord({ spec: item.spec, attemptId, attemptNumber: item.firstAttemptNumber, message: brought.message, at: new Date() }), false);
      }
      return;
    }
    const window =
      first.kind === 'openai-compatible'
        ? await openServingWindow({ targetIds: group.targetIds, model: first.model, baseURL: first.baseURL, headers: authHeadersOf(first) })
        : undefined;
    await Promise.all(items.map((item) => limit(() => runSpec(item))));
    if (window !== undefined) log.append(buildServingMetricsEvent(await window.close()));
  }

  // One GPU serves one model at a time: when any target brings its model up itself, the groups
  // run one after another; otherwise every group runs at once.
  const switching = targets.some((target) => target.kind === 'openai-compatible' && target.serve !== undefined);
  const switcher = switching ? createModelSwitcher({ configDir: config.rootDir, log: (line) => sink.note?.(line) }) : undefined;
  const groups = groupSpecsByServedModel(toRun.map((item) => item.spec), prepared.targets);
  const itemsOf = (group: ServedModelGroup) => toRun.filter((item) => group.specs.includes(item.spec));
  try {
    if (switching) {
      for (const group of groups) await runGroup(group, itemsOf(group), switcher);
    } else {
      await Promise.all(groups.map((group) => runGroup(group, itemsOf(group), undefined)));
    }
  } finally {
    await pool.close();
    await switcher?.close();
    await services.close(records);
    if (!options.keepSandboxes) await temp.cleanup().catch(() => undefined);
    sink.finished();
  }
}

/**
 * What the agent must never see, even read-only: every scenario's folder (its scripted answers,
 * hidden tests, reference solution and counterexamples), and the host user's home (unless the
 * project itself lives there).
 */
function maskedPathsOf(prepared: PreparedRun): string[] {
  const scenarioPaths = [...prepared.scenarios.values()].flatMap((scenario) => [
    scenario.dir,
    ...[scenario.hiddenTestsDir, scenario.referenceDir].filter((dir) => !isInside(scenario.dir, dir)),
  ]);
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
