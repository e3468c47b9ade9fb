import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_NAMES } from './profiles/profile-registry.ts';
import { startScriptedModelServer, type ScriptedModelServer } from './scripted-model-server.ts';
import {
  REFERENCE_FILES,
  assembleStream,
  createTempScenario,
  openCodeRequest,
  readSseEvents,
  type RequestOptions,
  type TempScenario,
} from './test-support.ts';

let temp: TempScenario;
let server: ScriptedModelServer;

beforeAll(async () => {
  temp = createTempScenario();
  server = await startScriptedModelServer({ scenarios: [temp.scenario], port: 0 });
});

afterAll(async () => {
  await server.close();
  temp.remove();
});

function postChat(body: unknown, target: ScriptedModelServer = server, signal?: AbortSignal): Promise<Response> {
  const init: RequestInit = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  if (signal !== undefined) init.signal = signal;
  return fetch(`${target.baseURL}/chat/completions`, init);
}

function request(options: Omit<RequestOptions, 'workingDirectory'>): Record<string, unknown> {
  return openCodeRequest({ workingDirectory: temp.sandboxDir, ...options });
}

async function streamChunks(body: unknown): Promise<unknown[]> {
  const response = await postChat(body);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events = readSseEvents(await response.text());
  expect(events.at(-1)).toBe('[DONE]');
  return events.slice(0, -1);
}

describe('GET /v1/models', () => {
  it('lists every profile in vLLM ModelList shape', async () => {
    const response = await fetch(`${server.baseURL}/models`);
    const body = (await response.json()) as { object: string; data: Array<Record<string, unknown>> };
    expect(body.object).toBe('list');
    expect(body.data.map((card) => card.id)).toEqual([...PROFILE_NAMES]);
    expect(body.data[0]).toMatchObject({
      id: 'reference',
      object: 'model',
      owned_by: 'vllm',
      root: 'reference',
      parent: null,
      max_model_len: 32768,
      permission: [expect.objectContaining({ object: 'model_permission', allow_sampling: true })],
    });
    expect(typeof body.data[0]?.created).toBe('number');
  });
});

describe('POST /v1/chat/completions, streaming', () => {
  it('streams a tool call as vLLM does and it reassembles into the same call', async () => {
    const chunks = await streamChunks(request({ model: 'reference' }));
    expect(chunks[0]).toMatchObject({
      object: 'chat.completion.chunk',
      model: 'reference',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    const firstToolChunk = chunks.find((chunk) => JSON.stringify(chunk).includes('"tool_calls"'));
    expect(firstToolChunk).toMatchObject({
      choices: [{ delta: { tool_calls: [{ index: 0, type: 'function', function: { name: 'read' } }] } }],
    });
    expect(chunks.at(-1)).toMatchObject({ object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: expect.any(Number) } });

    const assembled = assembleStream(chunks.slice(0, -1));
    expect(assembled.finishReason).toBe('tool_calls');
    expect(assembled.toolCalls).toHaveLength(1);
    expect(assembled.toolCalls[0]?.id).toMatch(/^chatcmpl-tool-[0-9a-f]{32}$/);
    expect(JSON.parse(assembled.toolCalls[0]?.arguments ?? '')).toEqual({ filePath: path.join(temp.sandboxDir, 'src/app.ts') });
  });

  it('writes one reference file per later step, then answers with text', async () => {
    const first = assembleStream(await streamChunks(request({ model: 'reference', priorRounds: 1 })));
    expect(first.toolCalls[0]?.name).toBe('write');
    expect(JSON.parse(first.toolCalls[0]?.arguments ?? '')).toEqual({
      filePath: path.join(temp.sandboxDir, 'src/app.ts'),
      content: REFERENCE_FILES['src/app.ts'],
    });
    const final = assembleStream(await streamChunks(request({ model: 'reference', priorRounds: 3 })));
    expect(final).toMatchObject({ toolCalls: [], finishReason: 'stop' });
    expect(final.content).toContain('src/widgets/pie-chart.tsx');
  });

  it('emits a text tool call as plain content with finish_reason stop', async () => {
    const chunks = await streamChunks(request({ model: 'text-tool-call' }));
    const assembled = assembleStream(chunks);
    expect(assembled.toolCalls).toEqual([]);
    expect(assembled.finishReason).toBe('stop');
    const match = /^<tool_call>\n(.*)\n<\/tool_call>$/s.exec(assembled.content);
    expect(match?.[1]).toMatch(/^\{"name": "write", "arguments": \{"filePath": /);
    expect(JSON.parse(match?.[1] ?? '')).toEqual({
      name: 'write',
      arguments: { filePath: path.join(temp.sandboxDir, 'src/app.ts'), content: REFERENCE_FILES['src/app.ts'] },
    });
  });

  it('answers requests without tools (title generation) with plain text', async () => {
    const assembled = assembleStream(await streamChunks(request({ model: 'hang', tools: [] })));
    expect(assembled).toMatchObject({ content: 'Scripted session', finishReason: 'stop' });
  });
});

describe('POST /v1/chat/completions, non-streaming', () => {
  it('answers with a chat.completion holding the tool call and usage', async () => {
    const response = await postChat(request({ model: 'reference', stream: false }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      model: 'reference',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'read' } }] },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) },
    });
  });
});

describe('vLLM errors', () => {
  const longPrompt = 'x'.repeat(8_000);

  it('rejects max_tokens 32000 plus the prompt beyond 32768 tokens, like vLLM', async () => {
    const response = await postChat(request({ model: 'reference', maxTokens: 32_000, systemPadding: longPrompt }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; type: string; param: null; code: number } };
    expect(body.error).toMatchObject({ type: 'BadRequestError', param: null, code: 400 });
    expect(body.error.message).toMatch(
      /^'max_tokens' or 'max_completion_tokens' is too large: 32000\. This model's maximum context length is 32768 tokens and your request has (\d+) input tokens \(32000 > 32768 - \1\)\.$/,
    );
  });

  it('rejects a prompt that alone reaches max_model_len with the input-tokens wording', async () => {
    const response = await postChat(request({ model: 'reference', maxTokens: 16, systemPadding: 'x'.repeat(140_000) }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(
      /^This model's maximum context length is 32768 tokens\. However, your request has \d+ input tokens\. Please reduce the length of the input messages\.$/,
    );
  });

  it('accepts the same prompt when max_tokens fits', async () => {
    const response = await postChat(request({ model: 'reference', maxTokens: 4096, systemPadding: longPrompt }));
    expect(response.status).toBe(200);
    await response.text();
  });

  it('answers 404 for a model it does not serve', async () => {
    const response = await postChat(request({ model: 'qwen-72b' }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'The model `qwen-72b` does not exist.', type: 'NotFoundError', param: 'model', code: 404 },
    });
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: '{"model": ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'Bad Request', code: 400 } });
  });

  it('answers 500 with the internal-server-error body for http-500', async () => {
    const response = await postChat(request({ model: 'http-500' }));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { message: 'Internal server error', type: 'InternalServerError', param: null, code: 500 },
    });
  });
});

describe('hang', () => {
  it('never answers, and close() still returns promptly', async () => {
    const own = await startScriptedModelServer({ scenarios: [temp.scenario] });
    const timedOut = postChat(request({ model: 'hang' }), own, AbortSignal.timeout(300));
    await expect(timedOut).rejects.toThrow();

    const stillOpen = postChat(request({ model: 'hang' }), own).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The hanging request would hold a plain server.close() open forever: close() returning at
    // all (within the test's time) is the point, and the request it ended is refused.
    await own.close();
    expect(await stillOpen).toBeInstanceOf(Error);
  });
});
