import { createServer, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * The one door between the agent and its model. OpenCode (and so every tool and subagent it
 * runs) holds only a placeholder key; this proxy, in the harness, adds the target's real key on
 * the way out. It also ends a request that gets no byte back for `stallMs` — a hung endpoint —
 * and says so to the attempt, which then ends as an endpoint infra error instead of waiting out
 * its time limit (a slow endpoint that keeps streaming is never a stall).
 *
 * A target with replicas (`baseURL: [...]`) is spread over them: each worker's door sticks to one
 * replica per target (the one with the fewest doors on it when the door first asks, so its prefix
 * cache stays warm) and moves only when that replica fails. A request that fails before any
 * response byte — the connection refused, reset or timed out, or an HTTP 502/503/504 — is sent
 * once more to another replica that is up, and the failed one is left out for a cooldown; when
 * every replica is down the request fails as it would with one server.
 */

/** Where one target's requests go. */
export interface ModelRoute {
  targetId: string;
  /** The real base URL (the target's; with --record, the recording proxy's; for replay, the replay server's). */
  upstreamBaseURL: string;
  /**
   * Replicas of the target's model (`baseURL: [...]`), when there are several: each request goes
   * to one of them and `upstreamBaseURL` is not used. See `ModelReplica`.
   */
  replicas?: readonly ModelReplica[] | undefined;
  /** The target's API key, added as `Authorization: Bearer …`. Never logged, never recorded. */
  apiKey?: string | undefined;
}

/** One replica of a target's model. */
export interface ModelReplica {
  /** Where its requests go (the replica's base URL; with --record, its recording proxy's). */
  upstreamBaseURL: string;
  /** The replica as the config names it (its base URL): what messages and cassettes say. */
  name: string;
}

export interface ModelProxyOptions {
  routes: readonly ModelRoute[];
  /** A request that gets no response byte for this long is ended and reported as a stall. */
  stallMs: number;
  /** How long a replica that failed stays out of new assignments. Default 30 s. */
  replicaCooldownMs?: number | undefined;
  /** A replica that has not accepted the connection in this long has failed (replicated targets only). Default 10 s. */
  replicaConnectTimeoutMs?: number | undefined;
  /** Replicas (by `upstreamBaseURL`) known to be down from the start, e.g. unreachable at run start. */
  downReplicas?: readonly string[] | undefined;
  /** A line about a replica that failed (the run's progress notes). */
  note?: ((line: string) => void) | undefined;
  /**
   * Each model request's time from being sent to its first response byte (for a streamed chat
   * completion: queue, prefill and the first token), for `concurrency: auto` on a server without
   * /metrics. Only successful answers (HTTP 2xx) are reported.
   */
  onFirstByte?: ((observation: FirstByteObservation) => void) | undefined;
}

export interface FirstByteObservation {
  targetId: string;
  /** When the first byte came, in ms since the epoch. */
  at: number;
  ms: number;
}

/** A request the endpoint left without a byte for `stallMs`. */
export interface EndpointStall {
  targetId: string;
  request: string;
  afterMs: number;
  message: string;
  /** The replica that stalled, for a replicated target (its configured base URL). */
  replica?: string | undefined;
}

/** Where a listener's stalls go: the attempt its worker runs now (none between attempts). */
export type StallSink = (stall: EndpointStall) => void;

export type ListenAddress = { path: string } | { host: string; port: number };

export interface ModelListener {
  /** `http://127.0.0.1:<port>` for a loopback listener; undefined for a unix socket. */
  origin: string | undefined;
  close(): Promise<void>;
}

export interface ModelProxy {
  /** One worker's door: a unix socket its sandbox's bridge forwards to, or a loopback port. */
  listen(address: ListenAddress, sinkOf: () => StallSink | undefined): Promise<ModelListener>;
  close(): Promise<void>;
}

/** What OpenCode's config holds instead of a key. */
export const PLACEHOLDER_API_KEY = 'harness-placeholder-not-a-key';

/** The provider base URL OpenCode is given for a target, under the proxy's origin. */
export function modelBaseURLOf(origin: string, targetId: string): string {
  return `${origin}/t/${encodeURIComponent(targetId)}`;
}

/** Hop-by-hop headers, and those the proxy sets itself. */
const REQUEST_DROPPED = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'upgrade', 'authorization']);
const RESPONSE_DROPPED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** Headers the proxy adds to a replicated target's requests for the recording proxy (which never passes them on). */
export const REPLICA_HEADER = 'x-harness-replica';
/** Set when a 502/503/504 answer will be retried on another replica: the recording proxy then leaves it out of the cassette. */
export const MAY_RETRY_HEADER = 'x-harness-may-retry';

const DEFAULT_COOLDOWN_MS = 30_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Answers that mean "this replica cannot serve now" (a gateway or server in front of a dead engine). */
const RETRIED_STATUSES = new Set([502, 503, 504]);

export function startModelProxy(options: ModelProxyOptions): ModelProxy {
  const routes = new Map(options.routes.map((route) => [route.targetId, route]));
  const balancer = createReplicaBalancer(options);
  const connectTimeoutMs = options.replicaConnectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const servers = new Set<Server>();
  return {
    async listen(address, sinkOf) {
      const door = balancer.openDoor();
      const server = createServer((request, response) =>
        forward({ request, response, routes, stallMs: options.stallMs, connectTimeoutMs, sink: sinkOf(), balancer, door, onFirstByte: options.onFirstByte }),
      );
      servers.add(server);
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(address, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        servers.delete(server);
        door.close();
        throw error;
      }
      const bound = server.address();
      const origin = typeof bound === 'object' && bound !== null ? `http://${formatHost((bound as AddressInfo).address)}:${(bound as AddressInfo).port}` : undefined;
      return {
        origin,
        close: async () => {
          servers.delete(server);
          door.close();
          await closeServer(server);
        },
      };
    },
    async close() {
      await Promise.all([...servers].map(closeServer));
      servers.clear();
    },
  };
}

/** A route's replicas: its own list, or its one upstream. */
function replicasOf(route: ModelRoute): readonly ModelReplica[] {
  return route.replicas !== undefined && route.replicas.length > 0 ? route.replicas : [{ upstreamBaseURL: route.upstreamBaseURL, name: route.upstreamBaseURL }];
}

/** One worker's door to the proxy: which replica of each target it sticks to. */
interface Door {
  /**
   * The replica for a request of the route, none of `tried`. The door's own replica while it is
   * up; else the up replica with the fewest doors, then the fewest requests in flight. A first try
   * with every replica down goes to the door's own (or the one down longest), so the request fails
   * as with one server; a retry goes only to a replica that is up (undefined when none is).
   */
  pick(route: ModelRoute, replicas: readonly ModelReplica[], tried: ReadonlySet<string>): ModelReplica | undefined;
  close(): void;
}

interface ReplicaBalancer {
  openDoor(): Door;
  /** Whether some replica outside `tried` is up. */
  hasUpReplica(replicas: readonly ModelReplica[], tried: ReadonlySet<string>): boolean;
  markDown(targetId: string, replica: ModelReplica, reason: string): void;
  /** Counts a request in flight on the replica; call the returned function once it is over. */
  begin(replica: ModelReplica): () => void;
}

function createReplicaBalancer(options: ModelProxyOptions): ReplicaBalancer {
  const cooldownMs = options.replicaCooldownMs ?? DEFAULT_COOLDOWN_MS;
  const downUntil = new Map<string, number>((options.downReplicas ?? []).map((upstream) => [upstream, Date.now() + cooldownMs]));
  const inFlight = new Map<string, number>();
  /** Doors stuck to each (target, replica). */
  const doors = new Map<string, number>();
  const doorKey = (targetId: string, replica: ModelReplica) => `${targetId}\u0000${replica.upstreamBaseURL}`;
  const isUp = (replica: ModelReplica, now: number) => (downUntil.get(replica.upstreamBaseURL) ?? 0) <= now;
  const adjust = (map: Map<string, number>, key: string, by: number) => map.set(key, Math.max(0, (map.get(key) ?? 0) + by));
  return {
    openDoor() {
      const sticky = new Map<string, ModelReplica>();
      const stick = (targetId: string, replica: ModelReplica) => {
        const before = sticky.get(targetId);
        if (before === replica) return;
        if (before !== undefined) adjust(doors, doorKey(targetId, before), -1);
        sticky.set(targetId, replica);
        adjust(doors, doorKey(targetId, replica), 1);
      };
      return {
        pick(route, replicas, tried) {
          const now = Date.now();
          const candidates = replicas.filter((replica) => !tried.has(replica.upstreamBaseURL));
          const up = candidates.filter((replica) => isUp(replica, now));
          const own = sticky.get(route.targetId);
          if (own !== undefined && up.includes(own)) return own;
          if (up.length === 0) {
            if (tried.size > 0) return undefined;
            return own !== undefined && candidates.includes(own) ? own : [...candidates].sort((a, b) => (downUntil.get(a.upstreamBaseURL) ?? 0) - (downUntil.get(b.upstreamBaseURL) ?? 0))[0];
          }
          const load = (replica: ModelReplica) => [doors.get(doorKey(route.targetId, replica)) ?? 0, inFlight.get(replica.upstreamBaseURL) ?? 0] as const;
          const chosen = up.reduce((best, replica) => {
            const [bestDoors, bestFlight] = load(best);
            const [doorsOf, flightOf] = load(replica);
            return doorsOf < bestDoors || (doorsOf === bestDoors && flightOf < bestFlight) ? replica : best;
          });
          stick(route.targetId, chosen);
          return chosen;
        },
        close() {
          for (const [targetId, replica] of sticky) adjust(doors, doorKey(targetId, replica), -1);
          sticky.clear();
        },
      };
    },
    hasUpReplica(replicas, tried) {
      const now = Date.now();
      return replicas.some((replica) => !tried.has(replica.upstreamBaseURL) && isUp(replica, now));
    },
    markDown(targetId, replica, reason) {
      const now = Date.now();
      const wasUp = isUp(replica, now);
      downUntil.set(replica.upstreamBaseURL, now + cooldownMs);
      if (wasUp) options.note?.(`replica ${replica.name} of target ${targetId} failed (${reason}); new requests avoid it for ${Math.round(cooldownMs / 1000)} s`);
    },
    begin(replica) {
      adjust(inFlight, replica.upstreamBaseURL, 1);
      let over = false;
      return () => {
        if (over) return;
        over = true;
        adjust(inFlight, replica.upstreamBaseURL, -1);
      };
    },
  };
}

interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  routes: ReadonlyMap<string, ModelRoute>;
  stallMs: number;
  connectTimeoutMs: number;
  sink: StallSink | undefined;
  balancer: ReplicaBalancer;
  door: Door;
  onFirstByte: ModelProxyOptions['onFirstByte'];
}

function forward(exchange: Exchange): void {
  const { request, response, routes } = exchange;
  const incoming = new URL(request.url ?? '/', 'http://proxy');
  const match = /^\/t\/([^/]+)(\/.*)?$/.exec(incoming.pathname);
  const route = match === null ? undefined : routes.get(decodeURIComponent(match[1] ?? ''));
  if (match === null || route === undefined) {
    request.resume();
    sendError(response, 404, `no target behind ${incoming.pathname}: the harness's model proxy serves /t/<target id>/…`);
    return;
  }
  const path = `${match[2] ?? ''}${incoming.search}`;
  const label = `${request.method ?? 'GET'} ${match[2] ?? '/'}`;
  // The body is kept whole: a request a replica failed is sent again, to another.
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('error', () => response.destroy());
  request.on('end', () => sendRequest({ exchange, route, path, label, body: Buffer.concat(chunks) }));
}

interface Outgoing {
  exchange: Exchange;
  route: ModelRoute;
  path: string;
  label: string;
  body: Buffer;
}

function sendRequest({ exchange, route, path, label, body }: Outgoing): void {
  const { request, response, stallMs, sink, balancer, door } = exchange;
  const replicas = replicasOf(route);
  const replicated = replicas.length > 1;
  const tried = new Set<string>();
  let current: ClientRequest | undefined;
  let timer: NodeJS.Timeout | undefined;
  let clientGone = false;
  const stop = () => clearTimeout(timer);
  response.on('close', () => {
    stop();
    if (!response.writableFinished) {
      clientGone = true;
      current?.destroy();
    }
  });
  const headers = withoutHeaders(request.headers, REQUEST_DROPPED);
  delete headers['content-length'];
  delete headers['transfer-encoding'];
  if (body.length > 0 || (request.method !== 'GET' && request.method !== 'HEAD')) headers['content-length'] = String(body.length);
  if (route.apiKey !== undefined) headers.authorization = `Bearer ${route.apiKey}`;
  const otherReplicas = () => (tried.size === 1 ? door.pick(route, replicas, tried) : undefined);
  const sendTo = (replica: ModelReplica): void => {
    tried.add(replica.upstreamBaseURL);
    const where = replicated ? ` (replica ${replica.name})` : '';
    const mayRetry = replicated && tried.size === 1 && balancer.hasUpReplica(replicas, tried);
    const target = new URL(`${replica.upstreamBaseURL.replace(/\/+$/, '')}${path}`);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const replicaHeaders = replicated ? { [REPLICA_HEADER]: replica.name, ...(mayRetry ? { [MAY_RETRY_HEADER]: '1' } : {}) } : {};
    const outgoing = send(target, { method: request.method, headers: { ...headers, ...replicaHeaders } });
    current = outgoing;
    const over = balancer.begin(replica);
    outgoing.once('close', over);
    let answered = false;
    let stalled = false;
    let waitedSince = Date.now();
    const watch = () => {
      stop();
      waitedSince = Date.now();
      timer = setTimeout(() => {
        const afterMs = Date.now() - waitedSince;
        stalled = true;
        outgoing.destroy();
        if (replicated) balancer.markDown(route.targetId, replica, `sent nothing for ${afterMs} ms`);
        sink?.({
          targetId: route.targetId,
          request: label,
          afterMs,
          message: `the endpoint of target ${route.targetId}${where} sent nothing for ${afterMs} ms (${label}); the harness ended the request`,
          ...(replicated ? { replica: replica.name } : {}),
        });
        if (!response.headersSent) sendError(response, 504, `the endpoint sent nothing for ${afterMs} ms`);
        else response.destroy();
      }, stallMs);
    };
    if (replicated) {
      // A replica that does not even take the connection has failed; the stall limit is for answers.
      outgoing.on('socket', (socket) => {
        if (!socket.connecting) return;
        const connectTimer = setTimeout(() => outgoing.destroy(new Error(`no connection within ${exchange.connectTimeoutMs} ms`)), exchange.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
        socket.once('close', () => clearTimeout(connectTimer));
      });
    }
    outgoing.on('response', (answer) => {
      answered = true;
      const status = answer.statusCode ?? 502;
      if (replicated && RETRIED_STATUSES.has(status) && !clientGone) {
        balancer.markDown(route.targetId, replica, `HTTP ${status}`);
        const next = otherReplicas();
        if (next !== undefined) {
          stop();
          answer.resume();
          outgoing.destroy();
          sendTo(next);
          return;
        }
      }
      watch();
      if (exchange.onFirstByte !== undefined && status >= 200 && status < 300 && request.method === 'POST') {
        const report = exchange.onFirstByte;
        answer.once('data', () => report({ targetId: route.targetId, at: Date.now(), ms: Date.now() - sentAt }));
      }
      response.writeHead(status, withoutHeaders(answer.headers, RESPONSE_DROPPED));
      answer.on('data', watch);
      answer.on('end', stop);
      answer.on('error', () => response.destroy());
      answer.pipe(response);
    });
    outgoing.on('error', (error) => {
      if (current !== outgoing) return;
      stop();
      if (stalled || clientGone) return;
      if (answered) {
        response.destroy();
        return;
      }
      if (replicated) {
        balancer.markDown(route.targetId, replica, error.message);
        const next = otherReplicas();
        if (next !== undefined) {
          sendTo(next);
          return;
        }
      }
      const others = replicated ? `; no other replica of ${replicas.length} is up` : '';
      sendError(response, 502, `the harness's model proxy could not reach the endpoint of target ${route.targetId}${where}: ${error.message}${others}`);
    });
    const sentAt = Date.now();
    outgoing.end(body);
    // The clock runs from the moment the request has been sent, and restarts with every byte back.
    watch();
  };
  const first = door.pick(route, replicas, tried);
  if (first === undefined) {
    sendError(response, 502, `internal: target ${route.targetId} has no replica`);
    return;
  }
  sendTo(first);
}

function withoutHeaders(headers: IncomingHttpHeaders, dropped: ReadonlySet<string>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !dropped.has(name)) kept[name] = value;
  return kept;
}

function sendError(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'HarnessProxyError', param: null, code: status } }));
}

function formatHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
