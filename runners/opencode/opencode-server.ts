import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createOpencodeClient, type OpencodeClient } from '@opencode-ai/sdk/v2';
import { killGroup, registerChildGroup, unregisterChildGroup } from '../process/child-registry.ts';

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
  /** OPENCODE_CONFIG_CONTENT: providers, agents, base permissions. */
  configContent: string;
  startupTimeoutMs?: number;
}

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
  const child = spawn(resolveOpencodeBinary(), ['serve', '--hostname=127.0.0.1', '--port=0', '--log-level=WARN'], {
    env: { ...options.env, OPENCODE_CONFIG_CONTENT: options.configContent },
    cwd: options.env.HOME,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
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
  const url = await waitForAddress(() => output, exited, options.startupTimeoutMs ?? 30_000).catch((error: unknown) => {
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
