import path from 'node:path';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { Redactor } from '../../core/redact.ts';
import { createRunRecording, type RunRecording } from '../../endpoints/replay/run-recording.ts';
import { createRunReplay, type RunReplay } from '../../endpoints/replay/run-replay.ts';
import { startScriptedModelServer, type ScriptedModelServer } from '../../endpoints/scripted-model/scripted-model-server.ts';
import { startModelProxy, type ModelProxy, type ModelRoute } from '../../endpoints/model-proxy/model-proxy.ts';
import type { PreparedRun } from '../plan/prepare-run.ts';

/** What an attempt tells the endpoint side around its session (recording and replay bind to it). */
export interface SessionHooks {
  before(directory: string): Promise<void>;
  after(record: AttemptRecord): Promise<AttemptRecord>;
}

/**
 * The model endpoints of a run: the embedded scripted model when a target needs it, a
 * recording proxy in front of every endpoint with `--record`, replay servers for replay
 * targets, and in front of them all the model proxy through which every OpenCode server talks
 * to its model (it adds the keys and watches for a hung endpoint).
 */
export interface EndpointServices {
  /** Where a target is really served (the recording proxy's URL with --record): what the harness probes. */
  upstreamURLOf(target: ResolvedTarget): string;
  /** The run's model proxy: each worker listens on its own door of it. */
  modelProxy: ModelProxy;
  hooksFor(target: ResolvedTarget, attempt: { spec: RunSpec; attemptNumber: number; attemptId: string }): SessionHooks;
  close(records: readonly AttemptRecord[]): Promise<void>;
}

export interface EndpointServicesOptions {
  prepared: PreparedRun;
  targets: readonly ResolvedTarget[];
  runDir: string;
  record: boolean;
  /** The values of the variables the targets name (`apiKeyEnv`): only the model proxy holds them. */
  secretEnv: Readonly<Record<string, string>>;
  /** A model request with no byte back for this long is a hung endpoint. */
  stallMs: number;
  /** Applied to every cassette entry before it is written. */
  redactor: Redactor;
}

export async function startEndpointServices(options: EndpointServicesOptions): Promise<EndpointServices> {
  const { prepared, targets } = options;
  let scripted: ScriptedModelServer | undefined;
  if (targets.some((target) => target.kind === 'scripted')) scripted = await startScriptedModelServer({ scenarios: [...prepared.scenarios.values()] });
  const recording: RunRecording | undefined = options.record ? createRunRecording(options.runDir, options.redactor) : undefined;
  const replay: RunReplay | undefined = targets.some((target) => target.kind === 'replay')
    ? createRunReplay({ configDir: prepared.config.rootDir, missLog: path.join(options.runDir, 'replay-misses.jsonl') })
    : undefined;
  const baseURLs = new Map<string, string>();
  const routes: ModelRoute[] = [];
  for (const target of targets) {
    let upstream: string;
    switch (target.kind) {
      case 'scripted':
        upstream = scripted?.baseURL ?? '';
        break;
      case 'openai-compatible':
        upstream = target.baseURL;
        break;
      case 'replay':
        upstream = (await replay?.baseURLOf(target)) ?? '';
        break;
    }
    const recorded = recording !== undefined && target.kind !== 'replay';
    const url = recorded ? await recording.proxyBaseURL(upstream) : upstream;
    baseURLs.set(target.id, url);
    const apiKey = target.kind === 'openai-compatible' && target.apiKeyEnv !== undefined ? options.secretEnv[target.apiKeyEnv] : undefined;
    routes.push({ targetId: target.id, upstreamBaseURL: url, apiKey });
  }
  const modelProxy = startModelProxy({ routes, stallMs: options.stallMs });
  return {
    upstreamURLOf(target) {
      const url = baseURLs.get(target.id);
      if (url === undefined) throw new Error(`internal: no endpoint started for target ${target.id}`);
      return url;
    },
    modelProxy,
    hooksFor(target, attempt) {
      return {
        async before(directory) {
          recording?.registerAttempt({ attemptId: attempt.attemptId, directory });
          if (target.kind === 'replay') await replay?.registerAttempt(target, { ...attempt, directory });
        },
        async after(record) {
          recording?.finishAttempt(attempt.attemptId);
          return target.kind === 'replay' && replay !== undefined ? replay.finishAttempt(target, record) : record;
        },
      };
    },
    async close(records) {
      await modelProxy.close();
      await recording?.close(records);
      await replay?.close();
      await scripted?.close();
    },
  };
}
