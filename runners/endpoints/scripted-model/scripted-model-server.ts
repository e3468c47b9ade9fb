import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import { answerChatRequest, type ChatAnswerOptions } from './chat-completions.ts';
import { createEngineMetrics, type EngineMetrics } from './engine-metrics.ts';
import { INSTANT_LATENCY, createEngineScheduler, type EngineScheduler, type LatencyModel } from './engine-scheduler.ts';
import { PROFILE_NAMES, type ProfileName } from './profiles/profile-registry.ts';
import { createSandboxView } from './sandbox-view.ts';
import { loadScenarioScripts } from './scenario-scripts.ts';
import { sendError, sendJson, serveAnswer } from './serve-answer.ts';
import { createSessionOrdinals } from './session-draw.ts';
import { createInternalServerError } from './vllm-errors.ts';
import { buildModelList } from './vllm-wire.ts';

/** A request as it reached the server, for capture (`onRequest`, `--log-requests`). */
export interface CapturedRequest {
  method: string;
  path: string;
  /** Lower-cased header names; `authorization` is redacted. */
  headers: Record<string, string>;
  body: string;
  receivedAt: string;
}

export interface ScriptedModelServerOptions {
  scenarios: ResolvedScenario[];
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** vLLM's --max-model-len: prompt plus max_tokens beyond it is a 400. Default 32768. */
  maxModelLen?: number;
  /**
   * vLLM's --served-model-name: the names served, each scripted by a profile. Default: every
   * profile under its own name, and any `chance-…` name. A name not listed is a 404, as on vLLM.
   */
  servedModels?: Record<string, ProfileName>;
  /** vLLM's `--enable-auto-tool-choice --tool-call-parser …`. Default true; false makes tool_choice "auto" a 400. */
  toolCallParser?: boolean;
  /** Time to first token, tokens per second, --max-num-seqs. Default: instant. */
  latency?: Partial<LatencyModel>;
  /** How often the qwen-like profile writes a tool call as text. Default 0.25. */
  textToolCallRate?: number;
  /** Seed of the per-session draws. Default 0. */
  seed?: number;
  /** Called with every request before it is answered. */
  onRequest?: (request: CapturedRequest) => void;
}

export interface ScriptedModelServer {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseURL: string;
  port: number;
  /** Stops listening and destroys every open connection, hanging requests included. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_MODEL_LEN = 32_768;
export const DEFAULT_TEXT_TOOL_CALL_RATE = 0.25;

/** Every profile served under its own name. */
export function serveEveryProfile(): Record<string, ProfileName> {
  return Object.fromEntries(PROFILE_NAMES.map((name) => [name, name]));
}

interface RouteContext {
  startedAtSeconds: number;
  maxModelLen: number;
  servedNames: string[];
  answerOptions: (sessionKey: string | undefined) => ChatAnswerOptions;
  scheduler: EngineScheduler;
  metrics: EngineMetrics;
  onRequest: ((request: CapturedRequest) => void) | undefined;
}

/**
 * Starts the scripted OpenAI-compatible model server in this process. It answers like
 * vLLM's OpenAI server (errors, /v1/models, /metrics, latency); the served model name picks
 * the profile that scripts the answer.
 */
export async function startScriptedModelServer(options: ScriptedModelServerOptions): Promise<ScriptedModelServer> {
  const host = options.host ?? '127.0.0.1';
  const startedAtSeconds = Date.now() / 1000;
  const maxModelLen = options.maxModelLen ?? DEFAULT_MAX_MODEL_LEN;
  const servedModels = new Map(Object.entries(options.servedModels ?? serveEveryProfile()));
  const scripts = loadScenarioScripts(options.scenarios);
  const sessionOrdinal = createSessionOrdinals();
  // Known once the server listens; read per request.
  const own: { origin?: string } = {};
  const context: RouteContext = {
    startedAtSeconds,
    maxModelLen,
    servedNames: [...servedModels.keys()],
    answerOptions: (sessionKey) => ({
      scripts,
      maxModelLen,
      servedModels,
      toolCallParser: options.toolCallParser ?? true,
      textToolCallRate: options.textToolCallRate ?? DEFAULT_TEXT_TOOL_CALL_RATE,
      seed: options.seed ?? 0,
      sessionKey,
      sessionOrdinal,
      servesProfileFamilies: options.servedModels === undefined,
      nowSeconds: Math.floor(Date.now() / 1000),
      openSandbox: createSandboxView,
      serverOrigin: own.origin,
    }),
    scheduler: createEngineScheduler({ ...INSTANT_LATENCY, ...options.latency }),
    metrics: createEngineMetrics([...servedModels.keys()], startedAtSeconds),
    onRequest: options.onRequest,
  };

  const server = createServer((request, response) => {
    routeRequest(request, response, context).catch(() => {
      if (!response.headersSent) sendError(response, createInternalServerError());
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  own.origin = `http://${urlHost}:${port}`;
  return {
    baseURL: `http://${urlHost}:${port}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function routeRequest(request: IncomingMessage, response: ServerResponse, context: RouteContext): Promise<void> {
  const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
  const body = request.method === 'POST' ? await readBody(request) : '';
  context.onRequest?.(captureRequest(request, pathname, body));
  if (request.method === 'GET' && pathname === '/health') {
    response.writeHead(200).end();
    return;
  }
  if (request.method === 'GET' && pathname === '/metrics') {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(context.metrics.render(context.scheduler.counts()));
    return;
  }
  if (request.method === 'GET' && pathname === '/v1/models') {
    const list = buildModelList({ names: context.servedNames, created: Math.floor(context.startedAtSeconds), maxModelLen: context.maxModelLen });
    sendJson(response, 200, list);
    return;
  }
  if (request.method === 'POST' && pathname === '/v1/chat/completions') {
    const sessionHeader = request.headers['x-session-id'];
    const sessionKey = typeof sessionHeader === 'string' && sessionHeader !== '' ? sessionHeader : undefined;
    await serveAnswer(answerChatRequest(body, context.answerOptions(sessionKey)), response, context);
    return;
  }
  // FastAPI's answer for a route it does not have.
  sendJson(response, 404, { detail: 'Not Found' });
}

function captureRequest(request: IncomingMessage, path: string, body: string): CapturedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name] = name === 'authorization' ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: request.method ?? 'GET', path, headers, body, receivedAt: new Date().toISOString() };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
