import { spawn, type StdioOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createOpencodeClient, type OpencodeClient } from '@opencode-ai/sdk/v2';
import type { Readable, Writable } from 'node:stream';
import type { EgressAttempt } from '../../core/domain/egress.ts';
import type { RunIsolation } from '../../core/domain/isolation.ts';
import { confineCommand, type Confinement } from '../../platform/confinement/confinement.ts';
import type { BridgeSpec } from '../../platform/network/netns-bridge.ts';
import { prepareNetwork, type PreparedNetwork } from '../../platform/network/prepare-network.ts';
import { startSocketRelay, type SocketRelay } from '../../platform/network/socket-relay.ts';
import { killGroup, registerChildGroup, unregisterChildGroup } from '../../platform/processes/child-registry.ts';

export interface OpencodeServer {
  url: string;
  pid: number;
  client: OpencodeClient;
  /** Settles when the process exits, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isAlive(): boolean;
  /** The last lines the server printed, for infra-error messages. */
  logTail(): string;
  /**
   * The connections and name lookups its sandbox tried and the containment refused, since the
   * last take, that began before `beforeMs` (none without bubblewrap: nothing is recorded there).
   */
  takeEgress(beforeMs: number): EgressAttempt[];
  stop(): Promise<void>;
}

/** Under bubblewrap: what the server's private network is bridged to. */
export interface ServerNetwork {
  /** Ports inside → the harness's sockets (proxy, model, MCP servers). */
  listen: BridgeSpec['listen'];
  /** Where the bridge exposes the server's API to the harness. */
  apiSocket: string;
  /** Replaces /etc/resolv.conf: the bridge's DNS catcher is the only name server. */
  resolvConf: string;
}

/** The server's port inside its private network (the namespace is its own, so a fixed one is free). */
export const SERVER_API_PORT = 41096;

export interface StartServerOptions {
  env: Record<string, string>;
  isolation: RunIsolation;
  /** What the server (and so the agent's tools) may write, and what it must not see. */
  confinement: Confinement;
  /** OPENCODE_CONFIG_CONTENT: providers, agents, base permissions. */
  configContent: string;
  startupTimeoutMs?: number;
  /** Required under bubblewrap: the server's network is private, bridged only to these. */
  network?: ServerNetwork | undefined;
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
 * Starts `opencode serve` in its own process group, registered for cleanup, and resolves once it
 * prints its address. Under bubblewrap the server runs in a private network that the harness
 * prepares before it starts (bridge, DNS catcher, connection recorder) and reaches through a
 * socket; a failure there is a ContainmentError, never a server started without it.
 */
export async function startOpencodeServer(options: StartServerOptions): Promise<OpencodeServer> {
  const contained = options.isolation.kind === 'bubblewrap';
  if (contained && options.network === undefined) throw new Error('internal: a confined OpenCode server needs its network');
  const port = contained ? SERVER_API_PORT : 0;
  const confinement: Confinement = contained ? { ...options.confinement, preparedNetwork: { infoFd: 4, blockFd: 5, resolvConf: options.network?.resolvConf }, lifelineFd: 6 } : options.confinement;
  const serve = confineCommand(options.isolation, [resolveOpencodeBinary(), 'serve', '--hostname=127.0.0.1', `--port=${port}`, '--log-level=WARN'], confinement);
  // Under bubblewrap, fds 4 and 5 carry its handshake with the harness and fd 6 its lifeline (fd 3 is the watchdog's).
  const stdio: StdioOptions = contained ? ['pipe', 'pipe', 'pipe', 'ignore', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'];
  const child = spawn('/bin/sh', ['-c', DIE_WITH_PARENT, ...serve], {
    env: { ...options.env, OPENCODE_CONFIG_CONTENT: options.configContent },
    cwd: options.env.HOME,
    detached: true,
    stdio,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start opencode serve (no pid)');
  registerChildGroup(pid);
  let output = '';
  let alive = true;
  const remember = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      alive = false;
      unregisterChildGroup(pid);
      resolve({ code, signal });
    });
  });
  let network: PreparedNetwork | undefined;
  let relay: SocketRelay | undefined;
  const release = async () => {
    await network?.close();
    await relay?.close();
  };
  try {
    if (contained && options.network !== undefined && options.isolation.kind === 'bubblewrap') {
      const { namespace, egressRecorder } = options.isolation;
      const bridge: BridgeSpec = { listen: options.network.listen, expose: [{ socket: options.network.apiSocket, port }], dns: true };
      const pipes = child.stdio as unknown as Array<Readable | Writable | null>;
      network = await prepareNetwork({ info: pipes[4] as Readable, release: pipes[5] as Writable }, { tools: namespace, recorder: egressRecorder, bridge });
    }
    const printed = await waitForAddress(() => output, exited, options.startupTimeoutMs ?? 60_000);
    if (options.network !== undefined && contained) relay = await startSocketRelay(options.network.apiSocket);
    const url = relay?.url ?? printed;
    return {
      url,
      pid,
      client: createOpencodeClient({ baseUrl: url }),
      exited,
      isAlive: () => alive,
      logTail: () => output.split('\n').slice(-15).join('\n'),
      takeEgress: (beforeMs) => network?.takeEgress(beforeMs) ?? [],
      async stop() {
        if (alive) {
          killGroup(pid, 'SIGTERM');
          const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 3000);
          await exited;
          clearTimeout(timer);
        }
        await release();
      },
    };
  } catch (error) {
    killGroup(pid, 'SIGKILL');
    await release();
    throw error;
  }
}

async function waitForAddress(
  read: () => string,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((status) => {
    exit = status;
  });
  while (Date.now() < deadline) {
    const match = /listening on (http:\/\/[\w.:[\]-]+)/.exec(read());
    if (match?.[1] !== undefined) return match[1];
    if (exit !== undefined) throw new Error(`opencode serve exited before listening (${exit.signal === null ? `exit code ${exit.code}` : `signal ${exit.signal}`}):\n${read().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`opencode serve did not start within ${timeoutMs} ms:\n${read().slice(-2000)}`);
}
