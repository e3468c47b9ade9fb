import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedModelServer, type ScriptedModelServer } from './scripted-model-server.ts';
import { createTempScenario, openCodeRequest, type TempScenario } from './test-support.ts';
import { MALFORMED_SSE_LINE } from './wire-faults.ts';

/** The fault profiles break the wire as a failing serving stack would, whatever they would have said. */
let temp: TempScenario;
let server: ScriptedModelServer;

beforeAll(async () => {
  temp = createTempScenario();
  server = await startScriptedModelServer({ scenarios: [temp.scenario] });
});
afterAll(async () => {
  await server.close();
  temp.remove();
});

function post(model: string, stream = true): Promise<Response> {
  const body = openCodeRequest({ model, workingDirectory: temp.sandboxDir, stream });
  return fetch(`${server.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('wire faults', () => {
  it('drop-mid-stream: a few well-formed chunks, then the connection is cut before [DONE]', async () => {
    const response = await post('drop-mid-stream');
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let received = '';
    const error: unknown = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        received += Buffer.from(value).toString('utf8');
      }
    })().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Error);
    expect(received.match(/^data: \{/gm)).toHaveLength(2);
    expect(received).not.toContain('[DONE]');
  });

  it('malformed-sse: a data line that is not JSON in an otherwise complete stream', async () => {
    const text = await (await post('malformed-sse')).text();
    expect(text).toContain(`${MALFORMED_SSE_LINE}\n\n`);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(() => JSON.parse(MALFORMED_SSE_LINE.slice('data: '.length))).toThrow();
  });

  it.each([[true], [false]])('malformed-json: 200 application/json whose body is cut off (stream asked: %s)', async (stream) => {
    const response = await post('malformed-json', stream);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const text = await response.text();
    expect(text.startsWith('{"id":"chatcmpl-')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('slow-reference: the same answer as reference, after its first-byte delay', async () => {
    // Sent first, answered last: its delay holds its first byte back past a whole reference answer.
    const answered: string[] = [];
    const slowText = post('slow-reference').then(async (response) => {
      answered.push('slow-reference');
      return response.text();
    });
    const reference = await (await post('reference')).text();
    answered.push('reference');
    const slow = await slowText;
    expect(answered).toEqual(['reference', 'slow-reference']);
    const shape = (text: string) => text.replace(/chatcmpl-[\w-]+/g, 'ID').replace(/"created":\d+/g, '').replaceAll('"model":"slow-reference"', '"model":"reference"');
    expect(shape(slow)).toBe(shape(reference));
  });

  it('slow-stream: gives up nothing but time — a client that stops waiting just closes it', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.baseURL}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(openCodeRequest({ model: 'slow-stream', workingDirectory: temp.sandboxDir })),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    controller.abort();
    // The server goes on serving others.
    expect((await post('reference')).status).toBe(200);
  });
});
