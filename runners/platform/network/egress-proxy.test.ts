import { createServer as createHttpServer, request, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EgressAttempt } from '../../core/domain/egress.ts';
import { listenOnLoopback } from '../processes/listen-on-loopback.ts';
import { createEgressProxy, REFUSED_BODY, type EgressProxy } from './egress-proxy.ts';

let site: Server;
let sitePort: number;
let echoPort: number;
let echo: ReturnType<typeof createTcpServer>;
let proxy: EgressProxy;
let proxyPort: number;
const records: EgressAttempt[] = [];

beforeAll(async () => {
  site = createHttpServer((incoming, response) => response.end(`site ${incoming.method ?? ''} ${incoming.url ?? ''} host=${incoming.headers.host ?? ''} proxy-auth=${String(incoming.headers['proxy-authorization'])}`));
  sitePort = await listenOnLoopback(site);
  echo = createTcpServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  echoPort = (echo.address() as AddressInfo).port;
  proxy = createEgressProxy(() => ({
    allowed: [
      { pattern: 'docs.example.test', upstream: { host: '127.0.0.1', port: sitePort } },
      { pattern: 'tunnel.example.test', port: 443, upstream: { host: '127.0.0.1', port: echoPort } },
    ],
    record: (attempt) => records.push(attempt),
  }));
  proxyPort = await listenOnLoopback(proxy.server);
});

afterAll(async () => {
  await proxy.close();
  site.close();
  echo.close();
});

function viaProxy(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port: proxyPort, path: url, headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function tunnel(target: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(proxyPort, '127.0.0.1', () => socket.write(`CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('200 Connection Established') && !text.includes('ping')) socket.write('ping');
      if (text.includes('ping')) socket.end();
    });
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
}

describe('the egress proxy', () => {
  it('forwards a request for an allowed host to where it is served, with its Host and without proxy credentials', async () => {
    records.length = 0;
    const answer = await viaProxy('http://docs.example.test/page?a=1', { 'proxy-authorization': 'Basic c2VjcmV0' });
    expect(answer).toEqual({ status: 200, body: 'site GET /page?a=1 host=docs.example.test proxy-auth=undefined' });
    expect(records).toEqual([]);
  });

  it('refuses any other host with 403 and records host, port and request line', async () => {
    records.length = 0;
    const answer = await viaProxy('http://exfil.example.test:8080/upload?data=x');
    expect(answer).toEqual({ status: 403, body: REFUSED_BODY });
    expect(records).toEqual([expect.objectContaining({ via: 'proxy', host: 'exfil.example.test', port: 8080, protocol: 'http', detail: 'GET /upload' })]);
  });

  it('tunnels CONNECT to an allowed host:port, and refuses and records the rest', async () => {
    records.length = 0;
    expect(await tunnel('tunnel.example.test:443')).toContain('ping');
    const refused = await tunnel('exfil.example.test:443');
    expect(refused).toContain('403 Forbidden');
    expect(refused).not.toContain('ping');
    expect(await tunnel('tunnel.example.test:8443')).toContain('403 Forbidden');
    expect(records.map((record) => [record.host, record.port, record.detail])).toEqual([
      ['exfil.example.test', 443, 'CONNECT'],
      ['tunnel.example.test', 8443, 'CONNECT'],
    ]);
  });

  it('answers a request that is not a proxy request with 400, and records nothing', async () => {
    records.length = 0;
    expect((await viaProxy('/not-absolute')).status).toBe(400);
    expect(records).toEqual([]);
  });
});
