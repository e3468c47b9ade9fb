import { writeFileSync, mkdirSync } from 'node:fs';
import { listenOnLoopback } from '../../platform/processes/listen-on-loopback.ts';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createAttemptRegistry, type RegisteredAttempt } from './attempt-registry.ts';
import { appendCassetteEntry, cassetteFileOf, isCassetteId, UNATTRIBUTED_CASSETTE, type CassetteEntry } from './cassette.ts';
import { findWorkingDirectory } from './normalize-request.ts';
import type { Redactor } from '../../core/redact.ts';
import { MAY_RETRY_HEADER, REPLICA_HEADER } from '../model-proxy/model-proxy.ts';

export interface RecordingProxyOptions {
  /** The target's real base URL, e.g. http://a30-host:8000/v1. */
  upstreamBaseURL: string;
  /** `<runDir>/cassettes`: one `<attempt id>.jsonl` per attempt. */
  cassettesDir: string;
  host?: string | undefined;
  port?: number | undefined;
  /** Applied to every exchange before it is written (a tool output in a request body may hold a secret). */
  redactor?: Redactor | undefined;
  /**
   * The next `seq` of each cassette, when several proxies write the same cassettes (the replicas
   * of one target: an attempt's request may be answered by another replica than the one before).
   */
  sequence?: Map<string, number> | undefined;
}

export interface RecordingProxy {
  /** Give this to OpenCode as the provider's base URL instead of the target's. */
  baseURL: string;
  /**
   * Attributes an attempt's requests (by sandbox directory or session id) before its session
   * starts; its cassette is then `<attempt id>.jsonl`. Requests of unregistered sessions go to
   * `<session id>.jsonl` (see linkSessionCassettes).
   */
  registerAttempt(attempt: RegisteredAttempt): void;
  /** After the attempt: how many exchanges its cassette holds; the attempt is forgotten. */
  finishAttempt(attemptId: string): { exchanges: number; file: string };
  close(): Promise<void>;
}

const PROXY_PREFIX = '/v1';
/** Hop-by-hop and recomputed headers that are not forwarded, and the model proxy's notes to this proxy. */
const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', REPLICA_HEADER, MAY_RETRY_HEADER]);
/** Answers the model proxy retries on another replica when it says it may (`MAY_RETRY_HEADER`). */
const RETRIED_STATUSES = new Set([502, 503, 504]);

/**
 * A reverse proxy between OpenCode and the target that records every chat-completions
 * exchange into the cassette of the attempt it belongs to, passing everything through
 * unchanged (streams chunk by chunk). `/v1/models`, `/metrics` and the rest pass through
 * unrecorded; the last model list is kept as `models.json` for replay.
 */
export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const registry = createAttemptRegistry();
  const sequence = options.sequence ?? new Map<string, number>();
  const upstream = new URL(options.upstreamBaseURL.replace(/\/+$/, ''));
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendProxyError(response, 500, `recording proxy failed: ${error instanceof Error ? error.message : String(error)}`);
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const incoming = new URL(request.url ?? '/', 'http://proxy');
    const target = incoming.pathname.startsWith(`${PROXY_PREFIX}/`)
      ? new URL(`${upstream.pathname}${incoming.pathname.slice(PROXY_PREFIX.length)}${incoming.search}`, upstream.origin)
      : new URL(`${incoming.pathname}${incoming.search}`, upstream.origin);
    const isExchange = request.method === 'POST' && incoming.pathname === `${PROXY_PREFIX}/chat/completions`;
    const sessionId = headerOf(request.headers, 'x-session-id');
    const replica = headerOf(request.headers, REPLICA_HEADER);
    const mayRetry = headerOf(request.headers, MAY_RETRY_HEADER) !== undefined;
    const cassetteId = isExchange ? attributeExchange(body, sessionId) : undefined;
    const sentAt = Date.now();
    const chunks: Array<{ atMs: number; text: string }> = [];
    const upstreamResponse = await forward(target, request, body, response);
    if (upstreamResponse === undefined) return;
    const contentType = headerOf(upstreamResponse.headers, 'content-type') ?? '';
    response.writeHead(upstreamResponse.statusCode ?? 502, filterHeaders(upstreamResponse.headers));
    let aborted = false;
    response.once('close', () => {
      if (!response.writableFinished) {
        aborted = true;
        upstreamResponse.destroy();
      }
    });
    const decoder = new StringDecoder('utf8');
    try {
      for await (const chunk of upstreamResponse) {
        chunks.push({ atMs: Date.now() - sentAt, text: decoder.write(chunk as Buffer) });
        response.write(chunk);
      }
      response.end();
    } catch {
      aborted = true;
    }
    if (incoming.pathname === `${PROXY_PREFIX}/models` && upstreamResponse.statusCode === 200) saveModelList(chunks);
    if (cassetteId === undefined) return;
    // The model proxy sends this request again to another replica: the agent never sees this answer.
    if (mayRetry && RETRIED_STATUSES.has(upstreamResponse.statusCode ?? 0)) return;
    const seq = sequence.get(cassetteId) ?? 0;
    sequence.set(cassetteId, seq + 1);
    const entry: CassetteEntry = {
      v: 1,
      seq,
      attemptId: cassetteId,
      recordedAt: new Date(sentAt).toISOString(),
      request: { method: request.method ?? 'POST', path: incoming.pathname, sessionId, body },
      response: { status: upstreamResponse.statusCode ?? 0, contentType, chunks, ...(aborted ? { aborted } : {}) },
      ...(replica !== undefined ? { replica } : {}),
    };
    appendCassetteEntry(options.cassettesDir, cassetteId, options.redactor?.redactValue(entry) ?? entry);
  }

  function attributeExchange(body: string, sessionId: string | undefined): string {
    let workingDirectory: string | undefined;
    try {
      workingDirectory = findWorkingDirectory(JSON.parse(body));
    } catch {
      workingDirectory = undefined;
    }
    // Unregistered: one cassette per OpenCode session, linked to its attempt after the run.
    return registry.resolve({ sessionId, workingDirectory })?.attemptId ?? (sessionId !== undefined && isCassetteId(sessionId) ? sessionId : UNATTRIBUTED_CASSETTE);
  }

  function saveModelList(chunks: ReadonlyArray<{ text: string }>): void {
    mkdirSync(options.cassettesDir, { recursive: true });
    writeFileSync(path.join(options.cassettesDir, 'models.json'), chunks.map((chunk) => chunk.text).join(''));
  }

  const port = await listenOnLoopback(server, options.host ?? '127.0.0.1', options.port ?? 0);
  return {
    baseURL: `http://${options.host ?? '127.0.0.1'}:${port}${PROXY_PREFIX}`,
    registerAttempt: (attempt) => registry.register(attempt),
    finishAttempt(attemptId) {
      registry.unregister(attemptId);
      return { exchanges: sequence.get(attemptId) ?? 0, file: cassetteFileOf(options.cassettesDir, attemptId) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Sends the request upstream; on a connection failure answers 502 itself and returns undefined. */
function forward(target: URL, request: IncomingMessage, body: string, response: ServerResponse): Promise<IncomingMessage | undefined> {
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const outgoing = send(target, { method: request.method, headers: { ...filterHeaders(request.headers), 'content-length': Buffer.byteLength(body) } }, resolve);
    outgoing.on('error', (error) => {
      sendProxyError(response, 502, `recording proxy could not reach ${target.origin}: ${error.message}`);
      resolve(undefined);
    });
    response.once('close', () => {
      if (!response.writableFinished) outgoing.destroy();
    });
    outgoing.end(body);
  });
}

function filterHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !DROPPED_HEADERS.has(name)) kept[name] = value;
  }
  return kept;
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function sendProxyError(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'ProxyError', param: null, code: status } }));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
