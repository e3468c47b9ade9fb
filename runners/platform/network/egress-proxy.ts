import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { EgressAttempt } from '../../core/domain/egress.ts';
import { findAllowedHost, type AllowedHost } from './allowed-hosts.ts';

/** What one sandbox may reach through the proxy now, and where its refusals go. */
export interface EgressScope {
  allowed: readonly AllowedHost[];
  record(attempt: EgressAttempt): void;
}

/** Headers that concern the proxy hop only. */
const HOP_HEADERS = new Set(['proxy-connection', 'proxy-authorization', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

export const REFUSED_BODY = 'Refused by the evaluation harness: this host is not on the allow-list of the scenario.\n';

/**
 * The forward proxy a sandbox's HTTP(S)_PROXY variables name: plain-HTTP requests in absolute
 * form and CONNECT tunnels (https, and Node's env proxy for any scheme) reach the allowed hosts;
 * anything else gets 403 and is recorded with host, port and request line. The scope is read
 * per request, so one worker's proxy follows its attempts.
 */
export function createEgressProxy(scopeOf: () => EgressScope): EgressProxy {
  const tunnels = new Set<Socket>();
  const server = createServer((request, response) => {
    handleRequest(request, response, scopeOf());
  });
  server.on('connect', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const client = socket as Socket;
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    handleConnect(request, client, head, scopeOf());
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const tunnel of tunnels) tunnel.destroy();
      }),
  };
}

export interface EgressProxy {
  /** Not listening yet: the caller listens where its sandbox's bridge expects it. */
  server: Server;
  /** Stops it, open tunnels included. */
  close(): Promise<void>;
}

function handleRequest(request: IncomingMessage, response: ServerResponse, scope: EgressScope): void {
  let url: URL;
  try {
    url = new URL(request.url ?? '');
  } catch {
    response.writeHead(400, { 'content-type': 'text/plain' }).end('This is the evaluation harness’s proxy; send absolute-form proxy requests.\n');
    return;
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const rule = url.protocol === 'http:' ? findAllowedHost(scope.allowed, url.hostname, port) : undefined;
  if (rule === undefined) {
    scope.record({ at: new Date().toISOString(), via: 'proxy', host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, protocol: url.protocol === 'https:' ? 'https' : 'http', detail: `${request.method ?? 'GET'} ${url.pathname}` });
    request.resume();
    response.writeHead(403, { 'content-type': 'text/plain', 'x-harness-proxy': 'refused' }).end(REFUSED_BODY);
    return;
  }
  const upstream = rule.upstream ?? { host: url.hostname, port };
  // The request target is authoritative for the Host (RFC 9112 §3.2.2), not what the client sent.
  const headers = { ...Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_HEADERS.has(name))), host: url.host };
  const outgoing = httpRequest({ host: upstream.host, port: upstream.port, method: request.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_HEADERS.has(name))));
    answer.pipe(response);
  });
  outgoing.on('error', (error) => {
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' }).end(`The harness's proxy could not reach ${url.host}: ${error.message}\n`);
    else response.destroy();
  });
  response.on('close', () => outgoing.destroy());
  request.pipe(outgoing);
}

function handleConnect(request: IncomingMessage, client: Socket, head: Buffer, scope: EgressScope): void {
  const target = /^\[?([^\]]+?)\]?:(\d+)$/.exec(request.url ?? '');
  const host = target?.[1] ?? request.url ?? '';
  const port = Number(target?.[2] ?? 0);
  const rule = target === null ? undefined : findAllowedHost(scope.allowed, host, port);
  client.on('error', () => client.destroy());
  if (rule === undefined) {
    scope.record({ at: new Date().toISOString(), via: 'proxy', host, port, protocol: port === 80 ? 'http' : 'https', detail: 'CONNECT' });
    client.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nx-harness-proxy: refused\r\nconnection: close\r\n\r\n' + REFUSED_BODY);
    return;
  }
  const upstream = rule.upstream ?? { host, port };
  const tunnel = connect(upstream.port, upstream.host, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) tunnel.write(head);
    tunnel.pipe(client).pipe(tunnel);
  });
  tunnel.on('error', () => {
    if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\n');
  });
  client.on('close', () => tunnel.destroy());
}
