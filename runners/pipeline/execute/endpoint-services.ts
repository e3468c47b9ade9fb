import path from 'node:path';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import { replicaURLsOf, type ResolvedTarget } from '../../core/domain/target.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { Redactor } from '../../core/redact.ts';
import { createRunRecording, type RunRecording } from '../../endpoints/replay/run-recording.ts';
import { createRunReplay, type RunReplay } from '../../endpoints/replay/run-replay.ts';
import { startScriptedModelServer, type ScriptedModelServer } from '../../endpoints/scripted-model/scripted-model-server.ts';
import { startModelProxy, type FirstByteObservation, type ModelProxy, type ModelReplica, type ModelRoute } from '../../endpoints/model-proxy/model-proxy.ts';
import type { PreparedRun } from '../plan/prepare-run.ts';
import { probeReplicas } from './probe-endpoint.ts';

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
  /** Where a target is really served (the recording proxy's URL with --record): what the harness probes. Its first replica's, for a replicated target. */
  upstreamURLOf(target: ResolvedTarget): string;
  /** Every replica's upstream, in config order (`[upstreamURLOf(target)]` for a target with one; fakes may leave it out). */
  upstreamURLsOf?(target: ResolvedTarget): string[];
  /** The run's model proxy: each worker listens on its own door of it. */
  modelProxy: ModelProxy;
  /** Times to first byte (ms) of the target's model requests answered since `sinceMs` (fakes may leave it out). */
  firstBytesSince?(targetId: string, sinceMs: number): number[];
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
  /** Lines about the run's endpoints: a replica unreachable at the start, a replica that failed. */
  note?: ((line: string) => void) | undefined;
  /** How long the start's look at each replica waits for `GET /models`. */
  replicaProbeTimeoutMs?: number | undefined;
}

export async function startEndpointServices(options: EndpointServicesOptions): Promise<EndpointServices> {
  const { prepared, targets } = options;
  let scripted: ScriptedModelServer | undefined;
  if (targets.some((target) => target.kind === 'scripted')) scripted = await startScriptedModelServer({ scenarios: [...prepared.scenarios.values()] });
  const recording: RunRecording | undefined = options.record ? createRunRecording(options.runDir, options.redactor) : undefined;
  const replay: RunReplay | undefined = targets.some((target) => target.kind === 'replay')
    ? createRunReplay({ configDir: prepared.config.rootDir, missLog: path.join(options.runDir, 'replay-misses.jsonl') })
    : undefined;
  const upstreams = new Map<string, ModelReplica[]>();
  const routes: ModelRoute[] = [];
  const downReplicas: string[] = [];
  for (const target of targets) {
    let served: string[];
    switch (target.kind) {
      case 'scripted':
        served = [scripted?.baseURL ?? ''];
        break;
      case 'openai-compatible':
        served = replicaURLsOf(target);
        break;
      case 'replay':
        served = [(await replay?.baseURLOf(target)) ?? ''];
        break;
    }
    const recorded = recording !== undefined && target.kind !== 'replay';
    // With --record each replica has its own recording proxy (all writing the run's cassettes).
    const replicas = await Promise.all(served.map(async (name): Promise<ModelReplica> => ({ name, upstreamBaseURL: recorded ? await recording.proxyBaseURL(name) : name })));
    upstreams.set(target.id, replicas);
    const apiKey = target.kind === 'openai-compatible' && target.apiKeyEnv !== undefined ? options.secretEnv[target.apiKeyEnv] : undefined;
    routes.push({ targetId: target.id, upstreamBaseURL: replicas[0]?.upstreamBaseURL ?? '', ...(replicas.length > 1 ? { replicas } : {}), apiKey });
    if (replicas.length > 1) downReplicas.push(...(await findUnreachableReplicas(target, replicas, options)));
  }
  const firstBytes = createFirstByteLog();
  const modelProxy = startModelProxy({ routes, stallMs: options.stallMs, downReplicas, note: options.note, onFirstByte: firstBytes.add });
  const upstreamsOf = (target: ResolvedTarget): ModelReplica[] => {
    const replicas = upstreams.get(target.id);
    if (replicas === undefined || replicas.length === 0) throw new Error(`internal: no endpoint started for target ${target.id}`);
    return replicas;
  };
  return {
    upstreamURLOf: (target) => upstreamsOf(target)[0]?.upstreamBaseURL ?? '',
    upstreamURLsOf: (target) => upstreamsOf(target).map((replica) => replica.upstreamBaseURL),
    modelProxy,
    firstBytesSince: firstBytes.since,
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

/**
 * The start's look at a replicated target: a replica that does not answer while another does is
 * a warning, and the run goes on without it (the model proxy leaves it out until its cooldown
 * ends, then tries it again). When none answers nothing is said here: each attempt's probe
 * reports the endpoint down, as for a target with one server.
 */
async function findUnreachableReplicas(target: ResolvedTarget, replicas: readonly ModelReplica[], options: EndpointServicesOptions): Promise<string[]> {
  const results = await probeReplicas(replicas.map((replica) => replica.name), target, options.replicaProbeTimeoutMs, options.secretEnv);
  const down = results.flatMap((result, index) => (result.status === 'down' ? [{ replica: replicas[index], message: result.message }] : []));
  if (down.length === 0 || down.length === replicas.length) return [];
  for (const { replica, message } of down) {
    options.note?.(`warning: replica ${replica?.name ?? ''} of target ${target.id} is unreachable; the run goes on with the other ${replicas.length - down.length} (${message})`);
  }
  return down.flatMap(({ replica }) => (replica === undefined ? [] : [replica.upstreamBaseURL]));
}

/** The last few minutes of each target's times to first byte, as the model proxy saw them. */
function createFirstByteLog(): { add(observation: FirstByteObservation): void; since(targetId: string, sinceMs: number): number[] } {
  const keptMs = 10 * 60_000;
  const byTarget = new Map<string, FirstByteObservation[]>();
  return {
    add(observation) {
      const list = byTarget.get(observation.targetId) ?? [];
      list.push(observation);
      while (list.length > 0 && (list[0]?.at ?? 0) < observation.at - keptMs) list.shift();
      byTarget.set(observation.targetId, list);
    },
    since: (targetId, sinceMs) => (byTarget.get(targetId) ?? []).filter((observation) => observation.at >= sinceMs).map((observation) => observation.ms),
  };
}
