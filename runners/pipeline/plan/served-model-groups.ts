import { replicaURLsOf, type EndpointTarget, type ResolvedTarget } from '../../core/domain/target.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';

/**
 * Which model server a target needs: one GPU serves one model at a time, so targets with the
 * same (base URL, served model) run together and a model switch happens once per group.
 * Scripted targets share the embedded server, which serves every profile at once.
 */
export function servedModelKeyOf(target: ResolvedTarget): string {
  return target.kind === 'openai-compatible' ? `${replicaSetOf(target, normalizeBaseURL)} ${target.model}` : serverKeyOf(target);
}

/**
 * Which model server a target lives on: the unit that runs in parallel with the others. An
 * endpoint's server is its base URL's origin, the unit the model switcher stops and starts models
 * on (a replicated endpoint's: its replicas' origins together); the embedded scripted model is one server for every profile; each replay cassette folder is
 * one.
 */
export function serverKeyOf(target: ResolvedTarget): string {
  switch (target.kind) {
    case 'scripted':
      return 'scripted';
    case 'openai-compatible':
      return replicaSetOf(target, originOf);
    case 'replay':
      return `replay ${target.cassettesDir}`;
  }
}

/**
 * A replicated target (`baseURL: [...]`) is one server made of its replicas: their keys sorted and
 * joined, so that two targets on the same replica set share a lane whatever the order they list it in.
 */
function replicaSetOf(target: EndpointTarget, keyOf: (baseURL: string) => string): string {
  return [...new Set(replicaURLsOf(target).map(keyOf))].sort().join(' + ');
}

/** The server's origin (scheme, host, port), lower-cased; the text itself when it is no URL. */
function originOf(baseURL: string): string {
  return readURL(baseURL, (url) => (url.origin === 'null' ? baseURL : url.origin.toLowerCase()));
}

/** The base URL without trailing slashes, lower-cased; the text itself when it is no URL. */
function normalizeBaseURL(baseURL: string): string {
  return readURL(baseURL, (url) => `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase());
}

function readURL(text: string, read: (url: URL) => string): string {
  try {
    return read(new URL(text));
  } catch {
    return text;
  }
}

/** Targets reordered so that each served model's targets are adjacent; otherwise in their given order. */
export function orderTargetsByServedModel<T extends ResolvedTarget>(targets: readonly T[]): T[] {
  const groups = new Map<string, T[]>();
  for (const target of targets) {
    const key = servedModelKeyOf(target);
    const group = groups.get(key) ?? [];
    group.push(target);
    groups.set(key, group);
  }
  return [...groups.values()].flat();
}

/** A run of consecutive specs whose targets share one served model. */
export interface ServedModelGroup {
  key: string;
  /** The model server the group runs on (`serverKeyOf`). */
  serverKey: string;
  /** The targets of the group, in plan order; bring the group up with the first one's `serve`. */
  targetIds: string[];
  specs: RunSpec[];
}

/**
 * Cuts a planned spec list into consecutive groups by served model (the plan already puts
 * each model's specs together). Each group is run as: bring the model up, open a
 * serving-metrics window, run the group's specs, close the window.
 */
export function groupSpecsByServedModel(specs: readonly RunSpec[], targets: ReadonlyMap<string, ResolvedTarget>): ServedModelGroup[] {
  const groups: ServedModelGroup[] = [];
  for (const spec of specs) {
    const target = targets.get(spec.targetId);
    if (target === undefined) throw new Error(`internal: spec ${spec.id} names unknown target "${spec.targetId}"`);
    const key = servedModelKeyOf(target);
    const last = groups.at(-1);
    if (last?.key === key) {
      last.specs.push(spec);
      if (!last.targetIds.includes(target.id)) last.targetIds.push(target.id);
    } else {
      groups.push({ key, serverKey: serverKeyOf(target), targetIds: [target.id], specs: [spec] });
    }
  }
  return groups;
}

/** The served-model groups of one model server, and whether they must take turns on it. */
export interface ServerQueue {
  serverKey: string;
  groups: ServedModelGroup[];
  /**
   * Some target of this server brings its model up (`serve`): its GPU serves one model at a
   * time, so its groups run one after another. Otherwise they run at once.
   */
  switchesModels: boolean;
}

/**
 * The groups per model server, servers in order of first appearance: servers run at the same
 * time, each with its own queue and its own model switching.
 */
export function queueGroupsByServer(groups: readonly ServedModelGroup[], targets: ReadonlyMap<string, ResolvedTarget>): ServerQueue[] {
  const queues = new Map<string, ServerQueue>();
  for (const group of groups) {
    const queue = queues.get(group.serverKey) ?? { serverKey: group.serverKey, groups: [], switchesModels: false };
    queue.groups.push(group);
    queue.switchesModels ||= group.targetIds.some((id) => {
      const target = targets.get(id);
      return target?.kind === 'openai-compatible' && target.serve !== undefined;
    });
    queues.set(group.serverKey, queue);
  }
  return [...queues.values()];
}
