import path from 'node:path';
import pLimit from 'p-limit';
import { dir as makeTempDir } from 'tmp-promise';
import type { AttemptRecord, RunSpec } from '../domain.ts';
import type { EventLogWriter } from '../events/event-log.ts';
import { buildOpencodeConfig, providerIdOf, type ProviderEndpoint } from '../opencode/opencode-config.ts';
import { startScriptedModelServer } from '../scripted-model/server.ts';
import { required, type PreparedRun } from './prepare-run.ts';
import { runAttempt } from './run-attempt.ts';
import { createWorkerPool } from './worker-pool.ts';

/** Where progress goes; execution itself never prints. */
export interface ProgressSink {
  attemptStarted(spec: RunSpec, attemptNumber: number): void;
  attemptFinished(spec: RunSpec, attempt: AttemptRecord, progress: { done: number; total: number }): void;
}

export interface ExecuteOptions {
  prepared: PreparedRun;
  specs: RunSpec[];
  log: EventLogWriter;
  sink: ProgressSink;
  /** Overrides every scenario's timeout. */
  attemptTimeoutMs?: number | undefined;
  keepSandboxes: boolean;
  /** Variables (e.g. API keys named by targets) handed to OpenCode only. */
  secretEnv: Record<string, string>;
}

/** Runs the specs on a pool of OpenCode servers, logging each attempt as it finishes. */
export async function executePlan(options: ExecuteOptions): Promise<void> {
  const { prepared } = options;
  const temp = await makeTempDir({ prefix: 'harness-', unsafeCleanup: true });
  const scripted = [...prepared.targets.values()].some((target) => target.kind === 'scripted')
    ? await startScriptedModelServer({ scenarios: [...prepared.scenarios.values()] })
    : undefined;
  const endpoints: ProviderEndpoint[] = [...prepared.targets.values()].map((target) => ({
    target,
    baseURL: target.kind === 'scripted' ? (scripted?.baseURL ?? '') : target.baseURL,
  }));
  const baseURLs = new Map(endpoints.map((endpoint) => [endpoint.target.id, endpoint.baseURL]));
  const pool = createWorkerPool({
    size: prepared.config.concurrency,
    rootDir: path.join(temp.path, 'workers'),
    configContent: JSON.stringify(buildOpencodeConfig(endpoints, prepared.agents)),
    nodeBinDir: path.dirname(process.execPath),
    secretEnv: options.secretEnv,
    attemptsPerServer: prepared.config.attemptsPerServer,
  });
  const toolEnv = buildToolEnv(path.join(temp.path, 'tool-home'));
  const limit = pLimit(prepared.config.concurrency);
  let done = 0;
  try {
    await Promise.all(
      options.specs.map((spec) =>
        limit(async () => {
          const scenario = required(prepared.scenarios, spec.scenarioId);
          const target = required(prepared.targets, spec.targetId);
          const attemptNumber = 1;
          const attemptId = `${spec.id}-a${attemptNumber}`;
          options.log.append({ v: 1, type: 'attempt.started', at: new Date().toISOString(), specId: spec.id, attemptId, attemptNumber });
          options.sink.attemptStarted(spec, attemptNumber);
          const worker = await pool.acquire();
          try {
            const record = await runAttempt(
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
                sandboxesDir: path.join(temp.path, 'sandboxes'),
                timeoutMs: options.attemptTimeoutMs ?? scenario.timeoutMs,
                checkTimeoutMs: prepared.config.checkTimeoutMs,
                endpointRetryLimit: prepared.config.endpointRetryLimit,
                keepSandbox: options.keepSandboxes,
                toolEnv,
              },
              worker,
            );
            options.log.append({ v: 1, type: 'attempt.finished', at: new Date().toISOString(), attempt: record });
            done += 1;
            options.sink.attemptFinished(spec, record, { done, total: options.specs.length });
          } finally {
            await pool.release(worker);
          }
        }),
      ),
    );
  } finally {
    await pool.close();
    await scripted?.close();
    if (!options.keepSandboxes) await temp.cleanup().catch(() => undefined);
  }
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
