import path from 'node:path';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { createRunRecording, type RunRecording } from '../../endpoints/replay/run-recording.ts';
import { createRunReplay, type RunReplay } from '../../endpoints/replay/run-replay.ts';
import { startScriptedModelServer, type ScriptedModelServer } from '../../endpoints/scripted-model/scripted-model-server.ts';
import type { PreparedRun } from '../plan/prepare-run.ts';

/** What an attempt tells the endpoint side around its session (recording and replay bind to it). */
export interface SessionHooks {
  before(directory: string): Promise<void>;
  after(record: AttemptRecord): Promise<AttemptRecord>;
}

/**
 * The model endpoints of a run: the embedded scripted model when a target needs it, a
 * recording proxy in front of every endpoint with `--record`, and replay servers for replay
 * targets. Gives each target the base URL OpenCode must use.
 */
export interface EndpointServices {
  baseURLOf(target: ResolvedTarget): string;
  hooksFor(target: ResolvedTarget, attempt: { spec: RunSpec; attemptNumber: number; attemptId: string }): SessionHooks;
  close(records: readonly AttemptRecord[]): Promise<void>;
}

export interface EndpointServicesOptions {
  prepared: PreparedRun;
  targets: readonly ResolvedTarget[];
  runDir: string;
  record: boolean;
}

export async function startEndpointServices(options: EndpointServicesOptions): Promise<EndpointServices> {
  const { prepared, targets } = options;
  let scripted: ScriptedModelServer | undefined;
  if (targets.some((target) => target.kind === 'scripted')) scripted = await startScriptedModelServer({ scenarios: [...prepared.scenarios.values()] });
  const recording: RunRecording | undefined = options.record ? createRunRecording(options.runDir) : undefined;
  const replay: RunReplay | undefined = targets.some((target) => target.kind === 'replay')
    ? createRunReplay({ configDir: prepared.config.rootDir, missLog: path.join(options.runDir, 'replay-misses.jsonl') })
    : undefined;
  const baseURLs = new Map<string, string>();
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
    baseURLs.set(target.id, recorded ? await recording.proxyBaseURL(upstream) : upstream);
  }
  return {
    baseURLOf(target) {
      const url = baseURLs.get(target.id);
      if (url === undefined) throw new Error(`internal: no endpoint started for target ${target.id}`);
      return url;
    },
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
      await recording?.close(records);
      await replay?.close();
      await scripted?.close();
    },
  };
}
