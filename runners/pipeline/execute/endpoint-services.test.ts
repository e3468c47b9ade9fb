import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointTarget } from '../../core/domain/target.ts';
import { createRedactor } from '../../core/redact.ts';
import { modelBaseURLOf } from '../../endpoints/model-proxy/model-proxy.ts';
import { listenOnLoopback } from '../../platform/processes/listen-on-loopback.ts';
import type { PreparedRun } from '../plan/prepare-run.ts';
import { startEndpointServices } from './endpoint-services.ts';
import { probeEndpoint } from './probe-endpoint.ts';

let live: Server;
let liveURL: string;
const refused = 'http://127.0.0.1:9/v1';

beforeAll(async () => {
  live = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ from: 'live', path: request.url })));
  });
  liveURL = `http://127.0.0.1:${await listenOnLoopback(live)}/v1`;
});

afterAll(async () => {
  live.closeAllConnections();
  await new Promise<void>((resolve) => live.close(() => resolve()));
});

function replicated(baseURLs: string[]): EndpointTarget {
  return { kind: 'openai-compatible', id: 'qwen', model: 'm', quantization: 'q', limits: { context: 32768, output: 4096 }, sampling: {}, baseURL: baseURLs[0] ?? '', baseURLs };
}

async function start(target: EndpointTarget, notes: string[]) {
  const prepared = { config: { rootDir: '/tmp' }, scenarios: new Map() } as unknown as PreparedRun;
  return startEndpointServices({ prepared, targets: [target], runDir: '/tmp', record: false, secretEnv: {}, stallMs: 5000, redactor: createRedactor([]), note: (line) => notes.push(line), replicaProbeTimeoutMs: 2000 });
}

describe('the endpoints of a target with replicas', () => {
  it('warns at the start about a replica that cannot be reached and goes on with the others', async () => {
    const notes: string[] = [];
    const target = replicated([refused, liveURL]);
    const endpoints = await start(target, notes);
    try {
      expect(notes).toEqual([expect.stringMatching(new RegExp(`^warning: replica ${refused} of target qwen is unreachable; the run goes on with the other 1`))]);
      expect(endpoints.upstreamURLsOf?.(target)).toEqual([refused, liveURL]);
      expect(endpoints.upstreamURLOf(target)).toBe(refused);
      // The proxy leaves the unreachable replica out from the first request on.
      const door = await endpoints.modelProxy.listen({ host: '127.0.0.1', port: 0 }, () => undefined);
      const answer = await fetch(`${modelBaseURLOf(door.origin ?? '', 'qwen')}/chat/completions`, { method: 'POST', body: '{}' });
      expect(await answer.json()).toEqual({ from: 'live', path: '/v1/chat/completions' });
      expect(notes).toHaveLength(1);
    } finally {
      await endpoints.close([]);
    }
  });

  it('says nothing at the start when no replica answers (each attempt finds the endpoint down, as with one server)', async () => {
    const notes: string[] = [];
    const endpoints = await start(replicated([refused, 'http://127.0.0.1:7/v1']), notes);
    await endpoints.close([]);
    expect(notes).toEqual([]);
  });
});

describe('probing a replicated endpoint before an attempt', () => {
  it('is up while any replica answers', async () => {
    expect(await probeEndpoint([refused, liveURL], replicated([refused, liveURL]))).toEqual({ status: 'up' });
  });

  it('is down when none does, naming every replica', async () => {
    const probe = await probeEndpoint([refused, 'http://127.0.0.1:7/v1'], replicated([refused]), 2000);
    expect(probe.status).toBe('down');
    if (probe.status === 'down') expect(probe.message).toMatch(/every replica of target qwen is unreachable: endpoint http:\/\/127\.0\.0\.1:9\/v1 unreachable .*; endpoint http:\/\/127\.0\.0\.1:7\/v1 unreachable/);
  });
});
