import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * The one door between the agent and its model. OpenCode (and so every tool and subagent it
 * runs) holds only a placeholder key; this proxy, in the harness, adds the target's real key on
 * the way out. It also ends a request that gets no byte back for `stallMs` — a hung endpoint —
 * and says so to the attempt, which then ends as an endpoint infra error instead of waiting out
 * its time limit (a slow endpoint that keeps streaming is never a stall).
 */

/** Where one target's requests go. */
export interface ModelRoute {
  targetId: string;
  /** The real base URL (the target's; with --record, the recording proxy's; for replay, the replay server's). */
  upstreamBaseURL: string;
  /** The target's API key, added as `Authorization: Bearer …`. Never logged, never recorded. */
  apiKey?: string | undefined;
}

export interface ModelProxyOptions {
  routes: readonly ModelRoute[];
  /** A request that gets no response byte for this long is ended and reported as a stall. */
  stallMs: number;
}

/** A request the endpoint left without a byte for `stallMs`. */
export interface EndpointStall {
  targetId: string;
  request: string;
  afterMs: number;
  message: string;
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

export function startModelProxy(options: ModelProxyOptions): ModelProxy {
  const routes = new Map(options.routes.map((route) => [route.targetId, route]));
  const servers = new Set<Server>();
  return {
    async listen(address, sinkOf) {
      const server = createServer((request, response) => forward({ request, response, routes, stallMs: options.stallMs, sink: sinkOf() }));
      servers.add(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(address, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const bound = server.address();
      const origin = typeof bound === 'object' && bound !== null ? `http://${formatHost((bound as AddressInfo).address)}:${(bound as AddressInfo).port}` : undefined;
      return {
        origin,
        close: async () => {
          servers.delete(server);
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

interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  routes: ReadonlyMap<string, ModelRoute>;
  stallMs: number;
  sink: StallSink | undefined;
}

function forward({ request, response, routes, stallMs, sink }: Exchange): void {
  const incoming = new URL(request.url ?? '/', 'http://proxy');
  const match = /^\/t\/([^/]+)(\/.*)?$/.exec(incoming.pathname);
  const route = match === null ? undefined : routes.get(decodeURIComponent(match[1] ?? ''));
  if (match === null || route === undefined) {
    request.resume();
    sendError(response, 404, `no target behind ${incoming.pathname}: the harness's model proxy serves /t/<target id>/…`);
    return;
  }
  const target = new URL(`${route.upstreamBaseURL.replace(/\/+$/, '')}${match[2] ?? ''}${incoming.search}`);
  const headers = withoutHeaders(request.headers, REQUEST_DROPPED);
  if (route.apiKey !== undefined) headers.authorization = `Bearer ${route.apiKey}`;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const outgoing = send(target, { method: request.method, headers });
  const label = `${request.method ?? 'GET'} ${match[2] ?? '/'}`;
  let timer: NodeJS.Timeout | undefined;
  let waitedSince = Date.now();
  const stop = () => clearTimeout(timer);
  const watch = () => {
    stop();
    waitedSince = Date.now();
    timer = setTimeout(() => {
      const afterMs = Date.now() - waitedSince;
      outgoing.destroy();
      sink?.({ targetId: route.targetId, request: label, afterMs, message: `the endpoint of target ${route.targetId} sent nothing for ${afterMs} ms (${label}); the harness ended the request` });
      if (!response.headersSent) sendError(response, 504, `the endpoint sent nothing for ${afterMs} ms`);
      else response.destroy();
    }, stallMs);
  };
  // The clock runs from the moment the request has been sent, and restarts with every byte back.
  request.on('end', watch);
  outgoing.on('response', (answer) => {
    watch();
    response.writeHead(answer.statusCode ?? 502, withoutHeaders(answer.headers, RESPONSE_DROPPED));
    answer.on('data', watch);
    answer.on('end', stop);
    answer.on('error', () => response.destroy());
    answer.pipe(response);
  });
  outgoing.on('error', (error) => {
    stop();
    if (!response.headersSent) sendError(response, 502, `the harness's model proxy could not reach the endpoint of target ${route.targetId}: ${error.message}`);
    else response.destroy();
  });
  response.on('close', () => {
    stop();
    if (!response.writableFinished) outgoing.destroy();
  });
  request.pipe(outgoing);
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
