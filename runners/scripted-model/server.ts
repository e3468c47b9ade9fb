import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedScenario } from '../domain.ts';
import { answerChatRequest, type ChatAnswer, type ChatAnswerOptions } from './chat-completions.ts';
import { PROFILE_NAMES } from './profiles/profile-types.ts';
import { createSandboxView } from './sandbox-view.ts';
import { loadScenarioScripts } from './scenario-scripts.ts';
import { createInternalServerError, type VllmError } from './vllm-errors.ts';
import { buildModelList } from './vllm-wire.ts';

export interface ScriptedModelServerOptions {
  scenarios: ResolvedScenario[];
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** vLLM's --max-model-len: prompt plus max_tokens beyond it is a 400. Default 32768. */
  maxModelLen?: number;
}

export interface ScriptedModelServer {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseURL: string;
  port: number;
  /** Stops listening and destroys every open connection, hanging requests included. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_MODEL_LEN = 32_768;

/**
 * Starts the scripted OpenAI-compatible model server in this process. It answers like
 * vLLM's OpenAI server; the request's `model` names the profile that scripts the answer.
 */
export async function startScriptedModelServer(options: ScriptedModelServerOptions): Promise<ScriptedModelServer> {
  const host = options.host ?? '127.0.0.1';
  const startedAtSeconds = Math.floor(Date.now() / 1000);
  const maxModelLen = options.maxModelLen ?? DEFAULT_MAX_MODEL_LEN;
  const scripts = loadScenarioScripts(options.scenarios);
  const answerOptions = (): ChatAnswerOptions => ({
    scripts,
    maxModelLen,
    nowSeconds: Math.floor(Date.now() / 1000),
    openSandbox: createSandboxView,
  });

  const server = createServer((request, response) => {
    routeRequest(request, response, { startedAtSeconds, maxModelLen, answerOptions }).catch(() => {
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

interface RouteContext {
  startedAtSeconds: number;
  maxModelLen: number;
  answerOptions: () => ChatAnswerOptions;
}

async function routeRequest(request: IncomingMessage, response: ServerResponse, context: RouteContext): Promise<void> {
  const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (request.method === 'GET' && pathname === '/health') {
    response.writeHead(200).end();
    return;
  }
  if (request.method === 'GET' && pathname === '/v1/models') {
    const body = buildModelList({ names: PROFILE_NAMES, created: context.startedAtSeconds, maxModelLen: context.maxModelLen });
    sendJson(response, 200, body);
    return;
  }
  if (request.method === 'POST' && pathname === '/v1/chat/completions') {
    const rawBody = await readBody(request);
    sendAnswer(response, answerChatRequest(rawBody, context.answerOptions()));
    return;
  }
  // FastAPI's answer for a route it does not have.
  sendJson(response, 404, { detail: 'Not Found' });
}

function sendAnswer(response: ServerResponse, answer: ChatAnswer): void {
  switch (answer.kind) {
    case 'error':
      sendError(response, answer.error);
      return;
    case 'hang':
      // Leave the response open; close() or the client's disconnect ends it.
      return;
    case 'json':
      sendJson(response, 200, answer.body);
      return;
    case 'stream':
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      for (const chunk of answer.chunks) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
      response.end('data: [DONE]\n\n');
      return;
  }
}

function sendError(response: ServerResponse, error: VllmError): void {
  sendJson(response, error.status, error.body);
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
