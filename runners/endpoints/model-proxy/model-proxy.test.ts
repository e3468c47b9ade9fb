import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../../platform/processes/listen-on-loopback.ts';
import { modelBaseURLOf, PLACEHOLDER_API_KEY, startModelProxy, type EndpointStall, type FirstByteObservation, type ModelListener, type ModelProxy } from './model-proxy.ts';

const STALL_MS = 400;
let upstream: Server;
let upstreamURL: string;
const seen: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];
let proxy: ModelProxy;
let listener: ModelListener;
const stalls: EndpointStall[] = [];
const firstBytes: FirstByteObservation[] = [];

beforeAll(async () => {
  upstream = createServer((incoming, response) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
    incoming.on('end', () => {
      seen.push({ url: incoming.url ?? '', headers: incoming.headers, body });
      if (incoming.url?.endsWith('/hang')) return;
      if (incoming.url?.endsWith('/slow')) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        let sent = 0;
        const tick = setInterval(() => {
          response.write(`data: ${sent}\n\n`);
          sent += 1;
          if (sent === 6) {
            clearInterval(tick);
            response.end('data: [DONE]\n\n');
          }
        }, STALL_MS / 2);
        return;
      }
      if (incoming.url?.endsWith('/stops-midway')) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: first\n\n');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
    });
  });
  upstreamURL = `http://127.0.0.1:${await listenOnLoopback(upstream)}/v1`;
  proxy = startModelProxy({
    routes: [
      { targetId: 'holdout', upstreamBaseURL: upstreamURL, apiKey: 'sk-real-key-123456' },
      { targetId: 'open', upstreamBaseURL: upstreamURL },
    ],
    stallMs: STALL_MS,
    onFirstByte: (observation) => firstBytes.push(observation),
  });
  listener = await proxy.listen({ host: '127.0.0.1', port: 0 }, () => (stall) => stalls.push(stall));
});

afterAll(async () => {
  await proxy.close();
  upstream.closeAllConnections();
  upstream.close();
});

function post(target: string, suffix: string, body = '{"model":"m"}'): Promise<{ status: number; text: string; error?: string }> {
  return new Promise((resolve) => {
    const outgoing = request(`${modelBaseURLOf(listener.origin ?? '', target)}${suffix}`, { method: 'POST', headers: { authorization: `Bearer ${PLACEHOLDER_API_KEY}`, 'content-type': 'application/json', 'x-session-id': 'ses_1' } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', (error) => resolve({ status: response.statusCode ?? 0, text, error: error.message }));
      response.on('aborted', () => resolve({ status: response.statusCode ?? 0, text, error: 'aborted' }));
    });
    outgoing.on('error', (error) => resolve({ status: 0, text: '', error: error.message }));
    outgoing.end(body);
  });
}

describe('the model proxy', () => {
  it('replaces the placeholder by the target’s real key, and passes path, body and other headers through', async () => {
    seen.length = 0;
    const answer = await post('holdout', '/chat/completions', '{"model":"m","messages":[]}');
    expect(answer).toMatchObject({ status: 200, text: '{"ok":true}' });
    expect(seen[0]).toMatchObject({ url: '/v1/chat/completions', body: '{"model":"m","messages":[]}' });
    expect(seen[0]?.headers.authorization).toBe('Bearer sk-real-key-123456');
    expect(seen[0]?.headers['x-session-id']).toBe('ses_1');
  });

  it('sends no key at all for a target without one (the placeholder never leaves)', async () => {
    seen.length = 0;
    await post('open', '/chat/completions');
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('answers 404 for a path that names no target', async () => {
    expect(await post('nobody', '/chat/completions')).toMatchObject({ status: 404 });
  });

  it('ends a request that gets no byte within the stall limit and reports it as the endpoint’s', async () => {
    stalls.length = 0;
    const started = Date.now();
    const answer = await post('holdout', '/hang');
    expect(answer.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(STALL_MS * 5);
    expect(stalls).toEqual([expect.objectContaining({ targetId: 'holdout', request: 'POST /hang', message: expect.stringContaining('sent nothing for') })]);
  });

  it('ends a stream that stops midway for the stall limit', async () => {
    stalls.length = 0;
    const answer = await post('holdout', '/stops-midway');
    expect(answer.text).toContain('data: first');
    expect(answer.error).toBeDefined();
    expect(stalls).toHaveLength(1);
  });

  it('never counts a slow stream that keeps sending as a stall, however long it takes in all', async () => {
    stalls.length = 0;
    const answer = await post('holdout', '/slow');
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('data: [DONE]');
    expect(stalls).toEqual([]);
  });
});

describe('a model proxy on a unix socket', () => {
  it('serves a worker’s sandbox through its socket', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'model-proxy-'));
    const socket = await proxy.listen({ path: path.join(dir, 'model.sock') }, () => undefined);
    try {
      expect(socket.origin).toBeUndefined();
      const answer = await new Promise<string>((resolve, reject) => {
        const outgoing = request({ socketPath: path.join(dir, 'model.sock'), path: '/t/holdout/chat/completions', method: 'POST' }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(text));
        });
        outgoing.on('error', reject);
        outgoing.end('{}');
      });
      expect(answer).toBe('{"ok":true}');
    } finally {
      await socket.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('time to first byte', () => {
  it('reports each answered request from sending it to the first body byte, per target', async () => {
    firstBytes.length = 0;
    const answer = await post('open', '/slow');
    expect(answer.status).toBe(200);
    expect(firstBytes).toEqual([expect.objectContaining({ targetId: 'open' })]);
    // The upstream sends its headers at once and its first event after STALL_MS / 2.
    expect(firstBytes[0]?.ms).toBeGreaterThanOrEqual(STALL_MS / 2 - 20);
  });

  it('reports nothing for a request that never got a byte', async () => {
    firstBytes.length = 0;
    await post('open', '/hang');
    expect(firstBytes).toEqual([]);
  });
});

