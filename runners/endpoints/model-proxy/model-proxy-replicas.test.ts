import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../../platform/processes/listen-on-loopback.ts';
import { startRecordingProxy, type RecordingProxy } from '../replay/recording-proxy.ts';
import { modelBaseURLOf, startModelProxy, type EndpointStall, type ModelListener, type ModelProxy, type ModelProxyOptions, type ModelReplica } from './model-proxy.ts';

/** A replica that answers with its own name, and counts the requests it got. */
interface Replica {
  name: string;
  url: string;
  requests: number;
  /** What the next answers are: normal, an HTTP status, or nothing at all (a hang). */
  mode: 'ok' | 503 | 'hang';
  server: Server;
}

const replicas: Replica[] = [];
let proxy: ModelProxy | undefined;
const notes: string[] = [];

async function startReplica(name: string): Promise<Replica> {
  const replica: Replica = { name, url: '', requests: 0, mode: 'ok', server: createHttpServer() };
  replica.server.on('request', (incoming, response) => {
    incoming.resume();
    incoming.on('end', () => {
      replica.requests += 1;
      if (replica.mode === 'hang') return;
      if (replica.mode === 503) {
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"loading"}');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ replica: name, path: incoming.url }));
    });
  });
  replica.url = `http://127.0.0.1:${await listenOnLoopback(replica.server)}/v1`;
  replicas.push(replica);
  return replica;
}

/** A port where nothing listens: connections are refused. */
async function refusedURL(): Promise<string> {
  const server = createHttpServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

/** A replica that accepts connections and resets them at once, counting them. */
async function startResetter(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server: NetServer = createNetServer((socket) => {
    connections += 1;
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/v1`, connections: () => connections, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function replicated(urls: readonly string[], extra: Partial<ModelProxyOptions> = {}): ModelProxy {
  const list: ModelReplica[] = urls.map((url) => ({ upstreamBaseURL: url, name: url }));
  proxy = startModelProxy({ routes: [{ targetId: 'qwen', upstreamBaseURL: list[0]?.upstreamBaseURL ?? '', replicas: list }], stallMs: 2000, note: (line) => notes.push(line), ...extra });
  return proxy;
}

async function worker(from: ModelProxy, stalls: EndpointStall[] = []): Promise<ModelListener> {
  return from.listen({ host: '127.0.0.1', port: 0 }, () => (stall) => stalls.push(stall));
}

function post(listener: ModelListener, suffix = '/chat/completions', body = '{"model":"m"}'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${modelBaseURLOf(listener.origin ?? '', 'qwen')}${suffix}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const answeredBy = (answer: { text: string }) => (JSON.parse(answer.text) as { replica?: string }).replica;

beforeAll(() => {
  notes.length = 0;
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  notes.length = 0;
  for (const replica of replicas.splice(0)) {
    replica.server.closeAllConnections();
    await new Promise<void>((resolve) => replica.server.close(() => resolve()));
  }
});

afterAll(async () => {
  await proxy?.close();
});

describe('a target with replicas behind the model proxy', () => {
  it('spreads two workers over two replicas, each worker sticking to its own', async () => {
    const [a, b] = [await startReplica('a'), await startReplica('b')];
    const through = replicated([a.url, b.url]);
    const [first, second] = [await worker(through), await worker(through)];
    const firstAnswers = [await post(first), await post(first), await post(first)].map(answeredBy);
    const secondAnswers = [await post(second), await post(second), await post(second)].map(answeredBy);
    expect(new Set(firstAnswers).size).toBe(1);
    expect(new Set(secondAnswers).size).toBe(1);
    // Without routing every request would reach the first replica.
    expect(new Set([...firstAnswers, ...secondAnswers])).toEqual(new Set(['a', 'b']));
    expect([a.requests, b.requests]).toEqual([3, 3]);
  });

  it('passes the path on to the replica under its own base URL', async () => {
    const a = await startReplica('a');
    const b = await startReplica('b');
    const through = replicated([a.url, b.url]);
    const answer = await post(await worker(through), '/chat/completions?x=1');
    expect(JSON.parse(answer.text)).toMatchObject({ path: '/v1/chat/completions?x=1' });
  });

  it('answers a request the first replica refuses from the other, and avoids the refused one afterwards', async () => {
    const dead = await startResetter();
    try {
      const alive = await startReplica('alive');
      const through = replicated([dead.url, alive.url]);
      // The first worker is put on the first replica (no door on either yet): it resets the connection.
      const first = await worker(through);
      const answer = await post(first);
      expect(answer.status).toBe(200);
      expect(answeredBy(answer)).toBe('alive');
      expect(dead.connections()).toBe(1);
      expect(notes).toEqual([expect.stringContaining(`replica ${dead.url} of target qwen failed`)]);
      // New workers and the first worker's next requests go straight to the live replica.
      const second = await worker(through);
      expect(answeredBy(await post(second))).toBe('alive');
      expect(answeredBy(await post(first))).toBe('alive');
      expect(dead.connections()).toBe(1);
      expect(alive.requests).toBe(3);
    } finally {
      await dead.close();
    }
  });

  it('retries a refused connection on the other replica', async () => {
    const alive = await startReplica('alive');
    const through = replicated([await refusedURL(), alive.url]);
    const answer = await post(await worker(through));
    expect(answer.status).toBe(200);
    expect(answeredBy(answer)).toBe('alive');
  });

  it('retries an HTTP 503 on the other replica', async () => {
    const loading = await startReplica('loading');
    loading.mode = 503;
    const alive = await startReplica('alive');
    const through = replicated([loading.url, alive.url]);
    const answer = await post(await worker(through));
    expect(answer.status).toBe(200);
    expect(answeredBy(answer)).toBe('alive');
    expect(loading.requests).toBe(1);
  });

  it('fails as with one server when every replica is down', async () => {
    const through = replicated([await refusedURL(), await refusedURL()]);
    const door = await worker(through);
    const answer = await post(door);
    expect(answer.status).toBe(502);
    expect(answer.text).toContain('could not reach the endpoint of target qwen');
    expect(answer.text).toContain('no other replica of 2 is up');
    // Both down now: the next request still tries one (it may be back), and fails the same way.
    expect((await post(door)).status).toBe(502);
  });

  it('passes a 503 through when no other replica is up', async () => {
    const a = await startReplica('a');
    const b = await startReplica('b');
    a.mode = 503;
    b.mode = 503;
    const answer = await post(await worker(replicated([a.url, b.url])));
    expect(answer.status).toBe(503);
    expect(a.requests + b.requests).toBe(2);
  });

  it('lets a replica back in once its cooldown is over', async () => {
    const a = await startReplica('a');
    const b = await startReplica('b');
    a.mode = 503;
    const through = replicated([a.url, b.url], { replicaCooldownMs: 200 });
    const door = await worker(through);
    expect(answeredBy(await post(door))).toBe('b');
    a.mode = 'ok';
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A new worker finds the replica with no door on it.
    expect(answeredBy(await post(await worker(through)))).toBe('a');
  });

  it('leaves out a replica known to be down from the start', async () => {
    const a = await startReplica('a');
    const b = await startReplica('b');
    const through = replicated([a.url, b.url], { downReplicas: [a.url] });
    expect(answeredBy(await post(await worker(through)))).toBe('b');
    expect(answeredBy(await post(await worker(through)))).toBe('b');
    expect(a.requests).toBe(0);
  });

  it('names the replica that stalled, and moves the worker off it', async () => {
    const a = await startReplica('a');
    const b = await startReplica('b');
    a.mode = 'hang';
    const stalls: EndpointStall[] = [];
    const through = replicated([a.url, b.url], { stallMs: 300 });
    const door = await worker(through, stalls);
    expect((await post(door)).status).toBe(504);
    expect(stalls).toEqual([expect.objectContaining({ targetId: 'qwen', replica: a.url, message: expect.stringContaining(`(replica ${a.url})`) })]);
    expect(answeredBy(await post(door))).toBe('b');
  });
});

describe('recording a replicated target', () => {
  let dir: string;
  const recorders: RecordingProxy[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'replica-cassettes-'));
  });

  afterAll(async () => {
    await Promise.all(recorders.map((recorder) => recorder.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('records which replica answered, numbers one cassette across replicas, and leaves out an answer retried elsewhere', async () => {
    const a = await startReplica('a');
    const b = await startReplica('b');
    const sequence = new Map<string, number>();
    const [recordA, recordB] = await Promise.all([a, b].map((replica) => startRecordingProxy({ upstreamBaseURL: replica.url, cassettesDir: dir, sequence })));
    recorders.push(recordA!, recordB!);
    proxy = startModelProxy({
      routes: [{ targetId: 'qwen', upstreamBaseURL: recordA!.baseURL, replicas: [{ upstreamBaseURL: recordA!.baseURL, name: a.url }, { upstreamBaseURL: recordB!.baseURL, name: b.url }] }],
      stallMs: 2000,
    });
    recordA!.registerAttempt({ attemptId: 'att-1', directory: '/sandbox/att-1' });
    recordB!.registerAttempt({ attemptId: 'att-1', directory: '/sandbox/att-1' });
    const body = JSON.stringify({ model: 'm', messages: [{ role: 'system', content: 'Working directory: /sandbox/att-1' }] });
    const door = await worker(proxy);
    expect(answeredBy(await post(door, '/chat/completions', body))).toBe('a');
    a.mode = 503;
    expect(answeredBy(await post(door, '/chat/completions', body))).toBe('b');
    const entries = readFileSync(path.join(dir, 'att-1.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { seq: number; replica?: string; response: { status: number } });
    expect(entries.map((entry) => [entry.seq, entry.replica, entry.response.status])).toEqual([
      [0, a.url, 200],
      [1, b.url, 200],
    ]);
  });
});
