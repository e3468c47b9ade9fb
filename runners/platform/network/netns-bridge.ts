/**
 * The bridge between a sandbox's private network and the harness, run BY THE HARNESS in the
 * sandbox's network namespace only:
 *   nsenter -t <sandbox pid> -n node netns-bridge.ts '<BridgeSpec as JSON>'
 * It shares the sandbox's loopback but keeps the host's mounts and PID namespace: it reaches the
 * harness's unix sockets directly (nothing is bound into the sandbox) and the agent can neither
 * see nor signal it.
 *
 * - `listen`: 127.0.0.1:port and [::1]:port inside → a harness socket (proxy, model, MCP servers);
 * - `expose`: a harness socket → 127.0.0.1:port inside (the harness reaching OpenCode's API);
 * - `dns`: UDP 127.0.0.1:53 inside answers every query NXDOMAIN and prints the name asked for.
 *
 * Prints one JSON line `{"ready":true}` once everything listens, then `{"dns":…}` lines; exits
 * when its stdin closes (the harness went away or is done with it).
 */
import { createSocket } from 'node:dgram';
import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { answerNameError, readDnsQuestion } from './dns-message.ts';

export interface BridgeSpec {
  listen: Array<{ port: number; socket: string }>;
  expose: Array<{ socket: string; port: number }>;
  dns: boolean;
}

/** A line the bridge prints. */
export type BridgeMessage = { ready: true } | { dns: { at: string; name: string; type: number } };

function join(a: Socket, b: Socket): void {
  a.pipe(b).pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}

function listen(server: Server, target: { port: number; host: string } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(target, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function say(message: BridgeMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function main(spec: BridgeSpec): Promise<void> {
  for (const { port, socket } of spec.listen) {
    const onConnection = (client: Socket) => join(client, connect(socket));
    await listen(createServer(onConnection), { port, host: '127.0.0.1' });
    // IPv6 may be off in the namespace; IPv4 is enough then.
    await listen(createServer(onConnection), { port, host: '::1' }).catch(() => undefined);
  }
  for (const { socket, port } of spec.expose) {
    rmSync(socket, { force: true });
    await listen(createServer((client) => join(client, connect(port, '127.0.0.1'))), { path: socket });
  }
  if (spec.dns) {
    const udp = createSocket('udp4');
    udp.on('message', (query, from) => {
      const question = readDnsQuestion(query);
      const answer = answerNameError(query);
      if (question !== undefined) say({ dns: { at: new Date().toISOString(), name: question.name, type: question.type } });
      if (answer !== undefined) udp.send(answer, from.port, from.address);
    });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(53, '127.0.0.1', () => resolve());
    });
  }
  say({ ready: true });
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
}

if (import.meta.main) {
  main(JSON.parse(process.argv[2] ?? '{}') as BridgeSpec).catch((error: unknown) => {
    process.stderr.write(`netns bridge failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
