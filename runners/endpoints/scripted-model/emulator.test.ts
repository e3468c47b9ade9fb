import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../serving/prometheus-text.ts';
import { readVllmSnapshot } from '../serving/vllm-metrics.ts';
import { formatPythonFloat } from './engine-metrics.ts';
import { capacityLatency, createEngineScheduler } from './engine-scheduler.ts';
import { PLAIN_PROBE_ANSWER } from './probe-replies.ts';
import { startScriptedModelServer, type CapturedRequest, type ScriptedModelServer, type ScriptedModelServerOptions } from './scripted-model-server.ts';
import { assembleStream, createTempScenario, openCodeRequest, readSseEvents, type RequestOptions, type TempScenario } from './test-support.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { freePort } from '../../testing/support/free-port.ts';
import { waitFor } from '../../testing/support/wait-for.ts';
import { useWorkspace } from '../../testing/support/workspace.ts';

let temp: TempScenario;
const servers: ScriptedModelServer[] = [];

beforeAll(() => {
  temp = createTempScenario();
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

afterAll(() => temp.remove());

async function start(options: Omit<ScriptedModelServerOptions, 'scenarios'> = {}): Promise<ScriptedModelServer> {
  const server = await startScriptedModelServer({ scenarios: [temp.scenario], ...options });
  servers.push(server);
  return server;
}

function post(server: ScriptedModelServer, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

function request(options: Omit<RequestOptions, 'workingDirectory'>): Record<string, unknown> {
  return openCodeRequest({ workingDirectory: temp.sandboxDir, ...options });
}

const PROBE_TOOLS = [
  { type: 'function', function: { name: 'record_status', parameters: { type: 'object', properties: { status: { type: 'string' }, count: { type: 'integer' } }, required: ['status', 'count'] } } },
];

function probe(model: string): Record<string, unknown> {
  return { model, messages: [{ role: 'user', content: 'Call record_status.' }], tools: PROBE_TOOLS, tool_choice: 'auto', stream: true };
}

async function metricsOf(server: ScriptedModelServer, model: string) {
  const text = await (await fetch(server.baseURL.replace(/\/v1$/, '/metrics'))).text();
  return { text, snapshot: readVllmSnapshot(parsePrometheusText(text).samples, model) };
}

describe('tool choice without a tool parser', () => {
  it('answers tool_choice "auto" with vLLM\'s 400 when started without --enable-auto-tool-choice', async () => {
    const server = await start({ toolCallParser: false });
    const response = await post(server, request({ model: 'reference' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', type: 'BadRequestError', param: null, code: 400 },
    });
  });

  it('treats tools without a tool_choice as "auto", as vLLM fills it in', async () => {
    const server = await start({ toolCallParser: false });
    const body = { ...request({ model: 'reference' }), tool_choice: undefined };
    expect((await post(server, body)).status).toBe(400);
  });

  it('leaves a tool call as the hermes text the model wrote when no parser extracts it', async () => {
    const server = await start({ toolCallParser: false });
    const response = await post(server, { ...request({ model: 'reference' }), tool_choice: 'none' });
    const assembled = assembleStream(readSseEvents(await response.text()).slice(0, -1));
    expect(assembled.toolCalls).toEqual([]);
    expect(assembled.content).toMatch(/^<tool_call>\n\{"name": "read", "arguments": \{"filePath": /);
  });

  it('accepts the same request with a parser', async () => {
    const server = await start();
    const response = await post(server, request({ model: 'reference' }));
    expect(response.status).toBe(200);
    await response.text();
  });
});

describe('served model names', () => {
  it('lists only --served-model-name names, maps them to profiles, and 404s the rest', async () => {
    const server = await start({ servedModels: { 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ': 'reference' } });
    const list = (await (await fetch(`${server.baseURL}/models`)).json()) as { data: Array<{ id: string; max_model_len: number }> };
    expect(list.data.map((card) => card.id)).toEqual(['Qwen/Qwen2.5-Coder-14B-Instruct-AWQ']);
    const served = await post(server, request({ model: 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ' }));
    expect(assembleStream(readSseEvents(await served.text()).slice(0, -1)).toolCalls[0]?.name).toBe('read');
    expect((await post(server, request({ model: 'reference' }))).status).toBe(404);
  });
});

describe('requests outside an OpenCode session (the doctor probe)', () => {
  it('calls the first offered tool with a value per required parameter', async () => {
    const server = await start();
    const assembled = assembleStream(readSseEvents(await (await post(server, probe('reference'))).text()).slice(0, -1));
    expect(assembled.toolCalls[0]?.name).toBe('record_status');
    expect(JSON.parse(assembled.toolCalls[0]?.arguments ?? '')).toEqual({ status: 'probe', count: 1 });
  });

  it('writes the call as text for text-tool-call and answers plainly for noop', async () => {
    const server = await start();
    const text = assembleStream(readSseEvents(await (await post(server, probe('text-tool-call'))).text()).slice(0, -1));
    expect(text.toolCalls).toEqual([]);
    expect(text.content).toMatch(/^<tool_call>\n\{"name": "record_status"/);
    const plain = assembleStream(readSseEvents(await (await post(server, probe('noop'))).text()).slice(0, -1));
    expect(plain).toMatchObject({ toolCalls: [], content: PLAIN_PROBE_ANSWER });
  });
});

describe('qwen-like: text tool calls at a seeded rate, per session', () => {
  async function firstReplyIsText(server: ScriptedModelServer, sessionId: string): Promise<boolean> {
    const response = await post(server, request({ model: 'qwen-like' }), { 'x-session-id': sessionId });
    const assembled = assembleStream(readSseEvents(await response.text()).slice(0, -1));
    return assembled.toolCalls.length === 0;
  }

  it('always structured at rate 0, always text at rate 1', async () => {
    const never = await start({ textToolCallRate: 0 });
    const always = await start({ textToolCallRate: 1 });
    expect(await firstReplyIsText(never, 'ses_a')).toBe(false);
    expect(await firstReplyIsText(always, 'ses_a')).toBe(true);
  });

  it('decides the same way for the same session and seed, and near the rate over many sessions', async () => {
    const server = await start({ textToolCallRate: 0.3, seed: 7 });
    const sessions = Array.from({ length: 120 }, (_, index) => `ses_${index}`);
    const first = await Promise.all(sessions.map((session) => firstReplyIsText(server, session)));
    const again = await Promise.all(sessions.map((session) => firstReplyIsText(server, session)));
    expect(again).toEqual(first);
    const share = first.filter(Boolean).length / sessions.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.45);
    const otherSeed = await start({ textToolCallRate: 0.3, seed: 8 });
    const reseeded = await Promise.all(sessions.map((session) => firstReplyIsText(otherSeed, session)));
    expect(reseeded).not.toEqual(first);
  });
});

describe('/metrics', () => {
  it('starts at zero in vLLM\'s text format', async () => {
    const server = await start({ servedModels: { m: 'reference' } });
    const { text, snapshot } = await metricsOf(server, 'm');
    expect(text).toContain('# TYPE vllm:prompt_tokens_total counter\nvllm:prompt_tokens_total{engine="0",model_name="m"} 0.0');
    expect(text).toMatch(/# TYPE vllm:prompt_tokens_created gauge\nvllm:prompt_tokens_created\{engine="0",model_name="m"\} 1\.\d+e\+09/);
    expect(text).toContain('vllm:time_to_first_token_seconds_bucket{engine="0",le="0.001",model_name="m"} 0.0');
    expect(text).toContain('vllm:request_success_total{engine="0",finished_reason="stop",model_name="m"} 0.0');
    expect(snapshot).toMatchObject({ promptTokens: 0, generationTokens: 0, requests: 0, running: 0, waiting: 0 });
  });

  it('counts the prompt and generation tokens the responses report, and one TTFT observation per request', async () => {
    const server = await start({ servedModels: { m: 'reference' } });
    const chunks = readSseEvents(await (await post(server, request({ model: 'm' }))).text());
    const usage = (chunks.at(-2) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    const { snapshot } = await metricsOf(server, 'm');
    expect(snapshot).toMatchObject({ promptTokens: usage.prompt_tokens, generationTokens: usage.completion_tokens, requests: 1 });
    expect(snapshot?.timeToFirstToken.count).toBe(1);
    expect(snapshot?.queueTime.count).toBe(1);
  });

  it('does not count requests vLLM rejects before scheduling', async () => {
    const server = await start({ servedModels: { m: 'reference' }, toolCallParser: false });
    await (await post(server, request({ model: 'm' }))).text();
    expect((await metricsOf(server, 'm')).snapshot).toMatchObject({ requests: 0, promptTokens: 0 });
  });

  it('formats floats as prometheus_client does', () => {
    expect(formatPythonFloat(5)).toBe('5.0');
    expect(formatPythonFloat(0.25)).toBe('0.25');
    expect(formatPythonFloat(1776930173.6864982)).toBe('1.7769301736864982e+09');
    expect(formatPythonFloat(1_000_000)).toBe('1e+06');
    expect(formatPythonFloat(Infinity)).toBe('+Inf');
  });
});

describe('latency model', () => {
  it('waits the time to first token, then streams at the configured tokens per second', async () => {
    const server = await start({ latency: { ttftMs: 300, tokensPerSecond: 200 } });
    const sentAt = Date.now();
    const response = await post(server, request({ model: 'reference', priorRounds: 1 }));
    const reader = response.body?.getReader();
    await reader?.read();
    const firstAt = Date.now() - sentAt;
    while (!(await reader?.read())?.done);
    const totalMs = Date.now() - sentAt;
    expect(firstAt).toBeGreaterThanOrEqual(280);
    const { snapshot } = await metricsOf(server, 'reference');
    const generated = snapshot?.generationTokens ?? 0;
    expect(generated).toBeGreaterThan(5);
    expect(totalMs - firstAt).toBeGreaterThanOrEqual((generated / 200) * 1000 * 0.8);
    expect((snapshot?.timeToFirstToken.sum ?? 0) * 1000).toBeGreaterThanOrEqual(280);
  });

  it('queues requests beyond --max-num-seqs and reports the wait as queue time and num_requests_waiting', async () => {
    const server = await start({ latency: { ttftMs: 600, maxNumSeqs: 1 } });
    const first = post(server, request({ model: 'reference' })).then((response) => response.text());
    const second = post(server, request({ model: 'reference' })).then((response) => response.text());
    let seenWaiting = false;
    await waitFor(
      async () => {
        const { snapshot } = await metricsOf(server, 'reference');
        seenWaiting ||= snapshot?.running === 1 && snapshot.waiting === 1;
        return seenWaiting || snapshot?.requests === 2;
      },
      { timeoutMs: 15_000, what: 'the second request to wait, or both to finish' },
    );
    expect(seenWaiting).toBe(true);
    await Promise.all([first, second]);
    const after = await metricsOf(server, 'reference');
    expect(after.snapshot?.queueTime.count).toBe(2);
    expect(after.snapshot?.queueTime.sum ?? 0).toBeGreaterThan(0.25);
    expect(after.snapshot).toMatchObject({ running: 0, waiting: 0 });
  });

  it('runs a batch of --capacity streams at full speed, queues beyond, and reports the batch as KV-cache usage', async () => {
    const server = await start({ latency: capacityLatency(2, { ttftMs: 800, tokensPerSecond: 0 }) });
    const sentAt = Date.now();
    const replies = [1, 2, 3].map(() => post(server, request({ model: 'reference' })).then((response) => response.text()));
    let full: { running: number; waiting: number; kv: number } | undefined;
    await waitFor(
      async () => {
        const { text, snapshot } = await metricsOf(server, 'reference');
        const kv = parsePrometheusText(text).samples.find((sample) => sample.name === 'vllm:kv_cache_usage_perc' && sample.labels.model_name === 'reference')?.value ?? -1;
        if (snapshot?.waiting === 1) full = { running: snapshot.running, waiting: snapshot.waiting, kv };
        return full !== undefined || snapshot?.requests === 3;
      },
      { timeoutMs: 15_000, what: 'a full batch with one request waiting' },
    );
    expect(full).toEqual({ running: 2, waiting: 1, kv: 1 });
    await Promise.all(replies);
    // The third waited for a slot of the first two.
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1500);
    const { text } = await metricsOf(server, 'reference');
    expect(text).toMatch(/vllm:kv_cache_usage_perc\{engine="0",model_name="reference"\} 0\.0/);
  });

  it('slows no stream while the batch has room', async () => {
    const scheduler = createEngineScheduler(capacityLatency(4, { ttftMs: 500, tokensPerSecond: 50 }));
    const slots = await Promise.all([1, 2, 3, 4].map(() => scheduler.admit(new AbortController().signal)));
    expect(scheduler.counts()).toEqual({ running: 4, waiting: 0, kvCacheUsage: 1 });
    expect(scheduler.timeToFirstTokenMs()).toBe(500);
    expect(scheduler.decodeMs(50)).toBe(1000);
    for (const slot of slots) slot?.release();
    expect(scheduler.counts()).toEqual({ running: 0, waiting: 0, kvCacheUsage: 0 });
  });

  it('records every request when --log-requests style capture is on, authorization redacted', async () => {
    const captured: CapturedRequest[] = [];
    const server = await start({ onRequest: (entry) => captured.push(entry) });
    await (await post(server, request({ model: 'reference' }), { authorization: 'Bearer secret-key', 'x-session-id': 'ses_1' })).text();
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', headers: { authorization: '[redacted]', 'x-session-id': 'ses_1' } });
    expect(JSON.parse(captured[0]?.body ?? '{}')).toMatchObject({ model: 'reference', max_tokens: 4096 });
  });
});

describe('the scripted-model command line', () => {
  const cli = path.join(import.meta.dirname, 'scripted-model-cli.ts');
  const scenariosDir = path.join(PROJECT_ROOT, 'scenarios');

  it('serves with the vLLM-like flags and logs each request', async () => {
    const logFile = path.join(useWorkspace('scripted-cli-').dir, 'requests.jsonl');
    const port = await freePort();
    const child = execa(process.execPath, [cli, '--port', String(port), '--scenarios', scenariosDir, '--served-model-name', 'qwen=reference', '--without-tool-call-parser', '--max-model-len', '16384', '--log-requests', logFile], { reject: false });
    try {
      const baseURL = `http://127.0.0.1:${port}/v1`;
      await waitFor(async () => (await fetch(`${baseURL}/models`).catch(() => undefined))?.ok === true, { timeoutMs: 15_000, what: 'the scripted model to listen' });
      const list = (await (await fetch(`${baseURL}/models`)).json()) as { data: Array<{ id: string; max_model_len: number }> };
      expect(list.data).toEqual([expect.objectContaining({ id: 'qwen', max_model_len: 16384 })]);
      const response = await fetch(`${baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify(probe('qwen')) });
      expect(response.status).toBe(400);
      expect(readFileSync(logFile, 'utf8')).toContain('"path":"/v1/chat/completions"');
    } finally {
      child.kill('SIGTERM');
      await child;
    }
  });

  it('rejects a served model name that names no profile, with usage (exit 2)', async () => {
    const result = await execa(process.execPath, [cli, '--served-model-name', 'qwen=gpt'], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('"gpt" is not a profile');
  });
});
