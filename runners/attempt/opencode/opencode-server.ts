import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createOpencodeClient, type OpencodeClient } from '@opencode-ai/sdk/v2';
import { killGroup, registerChildGroup, unregisterChildGroup } from '../../platform/processes/child-registry.ts';
import type { Isolation } from '../../core/domain/isolation.ts';
import { confineCommand, type Confinement } from '../../platform/confinement/confinement.ts';

export interface OpencodeServer {
  url: string;
  pid: number;
  client: OpencodeClient;
  /** Settles when the process exits, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isAlive(): boolean;
  /** The last lines the server printed, for infra-error messages. */
  logTail(): string;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  env: Record<string, string>;
  isolation: Isolation;
  /** What the server (and so the agent's tools) may write, and what it must not see. */
  confinement: Confinement;
  /** OPENCODE_CONFIG_CONTENT: providers, agents, base permissions. */
  configContent: string;
  startupTimeoutMs?: number;
}

/**
 * Runs the server and watches the pipe to the harness: when the harness dies — even by
 * SIGKILL, which it cannot trap — the pipe closes and the server is stopped. The wrapper
 * leads the process group, so stopping the group stops both.
 */
const DIE_WITH_PARENT = [
  // Background lists get /dev/null as stdin, so the pipe is kept on fd 3 for the watcher.
  'exec 3<&0',
  '"$0" "$@" </dev/null 3<&- &',
  'server=$!',
  '( while read -r _ <&3; do :; done; kill -TERM "$server" 2>/dev/null; sleep 3; kill -KILL "$server" 2>/dev/null ) &',
  'wait "$server"',
].join('\n');

/** The `opencode` binary of the pinned `opencode-ai` package. */
export function resolveOpencodeBinary(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('opencode-ai/package.json')), 'bin', 'opencode.exe');
}

/**
 * Starts `opencode serve` on a free loopback port in its own process group, registered
 * for cleanup, and resolves once it prints its address.
 */
export async function startOpencodeServer(options: StartServerOptions): Promise<OpencodeServer> {
  const serve = confineCommand(options.isolation, [resolveOpencodeBinary(), 'serve', '--hostname=127.0.0.1', '--port=0', '--log-level=WARN'], options.confinement);
  const child = spawn('/bin/sh', ['-c', DIE_WITH_PARENT, ...serve], {
    env: { ...options.env, OPENCODE_CONFIG_CONTENT: options.configContent },
    cwd: options.env.HOME,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start opencode serve (no pid)');
  registerChildGroup(pid);
  let output = '';
  let alive = true;
  const remember = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout.on('data', remember);
  child.stderr.on('data', remember);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      alive = false;
      unregisterChildGroup(pid);
      resolve({ code, signal });
    });
  });
  const url = await waitForAddress(() => output, exited, options.startupTimeoutMs ?? 60_000).catch((error: unknown) => {
    killGroup(pid, 'SIGKILL');
    throw error;
  });
  return {
    url,
    pid,
    client: createOpencodeClient({ baseUrl: url }),
    exited,
    isAlive: () => alive,
    logTail: () => output.split('\n').slice(-15).join('\n'),
    async stop() {
      if (!alive) return;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForAddress(
  read: () => string,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  while (Date.now() < deadline) {
    const match = /listening on (http:\/\/[\w.:[\]-]+)/.exec(read());
    if (match?.[1] !== undefined) return match[1];
    if (hasExited) throw new Error(`opencode serve exited before listening:\n${read().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`opencode serve did not start within ${timeoutMs} ms:\n${read().slice(-2000)}`);
}
