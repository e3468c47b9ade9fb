import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { EgressAttempt } from '../../core/domain/egress.ts';
import type { EgressRecorder, NamespaceTools } from '../../core/domain/isolation.ts';
import { ContainmentError } from '../../core/errors.ts';
import { registerChildGroup, unregisterChildGroup } from '../processes/child-registry.ts';
import { lifelineWatcher } from '../processes/lifeline.ts';
import { createConntrackTracker } from './conntrack-tracker.ts';
import type { BridgeMessage, BridgeSpec } from './netns-bridge.ts';
import { findSystemTool } from './namespace-tools.ts';

/** How the harness prepares one sandbox's network namespace before the sandbox starts. */
export interface NetworkPlan {
  tools: NamespaceTools;
  recorder: EgressRecorder;
  /** The bridge of an agent's sandbox; checks get none (no network at all). */
  bridge?: BridgeSpec | undefined;
}

/** A sandbox's network namespace, prepared: what it refused so far, and how to stop watching. */
export interface PreparedNetwork {
  /** The sandbox's first process, on the host. */
  pid: number;
  /**
   * The refused connections and name lookups recorded since the last take, that began before
   * `beforeMs` (later ones wait: their flow may still turn out answered).
   */
  takeEgress(beforeMs?: number): EgressAttempt[];
  /** Stops the bridge and the recorder; returns what was recorded and not yet taken. */
  close(): Promise<EgressAttempt[]>;
}

/** The two pipes bwrap was given with `--info-fd` and `--block-fd`. */
export interface NamespaceHandshake {
  info: Readable;
  release: Writable;
}

const BRIDGE_PROGRAM = path.join(path.dirname(fileURLToPath(import.meta.url)), 'netns-bridge.ts');
/** How long conntrack takes to subscribe after it starts, and to print what just happened. */
const RECORDER_SETTLE_MS = 20;
/** A flow younger than this may still be answered: it waits for the next take. */
const FLOW_SETTLE_MS = 300;
const SET_UP_TIMEOUT_MS = 20_000;

/**
 * Prepares the network namespace of a sandbox that bwrap holds at its start (`--block-fd`):
 * every address becomes local (so any connection is refused by the kernel, never silently
 * dropped), conntrack records the flows (the harness's own bridge ports excepted), the bridge
 * starts, and the sandbox is released. Throws a ContainmentError when any step fails: the caller
 * must then stop the sandbox, which never ran.
 */
export async function prepareNetwork(handshake: NamespaceHandshake, plan: NetworkPlan): Promise<PreparedNetwork> {
  // bwrap closes its ends when the sandbox starts or ends: a reset then is expected, not an error.
  handshake.info.on('error', () => undefined);
  handshake.release.on('error', () => undefined);
  const pid = await readChildPid(handshake.info);
  const started: ChildProcess[] = [];
  try {
    const recorder = await startRecorder(pid, plan, started);
    const bridge = plan.bridge === undefined ? undefined : await startBridge(pid, plan, plan.bridge, started);
    await new Promise<void>((resolve, reject) => handshake.release.write('1', (error) => (error === null || error === undefined ? resolve() : reject(error))));
    const take = (beforeMs = Date.now() - FLOW_SETTLE_MS): EgressAttempt[] =>
      [...(recorder?.take(beforeMs) ?? []), ...(bridge?.take(beforeMs) ?? [])].sort((a, b) => a.at.localeCompare(b.at));
    return {
      pid,
      takeEgress: take,
      async close() {
        await new Promise((resolve) => setTimeout(resolve, RECORDER_SETTLE_MS));
        await Promise.all(started.map(stopChild));
        return take(Number.POSITIVE_INFINITY);
      },
    };
  } catch (error) {
    await Promise.all(started.map(stopChild));
    throw error instanceof ContainmentError ? error : new ContainmentError(`could not prepare the sandbox's network: ${describe(error)}`, { cause: error });
  }
}

/**
 * bwrap writes its info in pieces (the pid first, the namespace ids and the closing brace after):
 * the pipe stays open and drained to its end, since closing it early would kill bwrap with
 * SIGPIPE at its next write (exit 141, before the server ever listens).
 */
export async function readChildPid(info: Readable): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let text = '';
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      outcome();
    };
    const deadline = setTimeout(() => settle(() => reject(new ContainmentError('bubblewrap did not start the sandbox: bwrap did not report its child within 20 s'))), SET_UP_TIMEOUT_MS);
    info.on('data', (chunk: Buffer | string) => {
      if (settled) return;
      text += String(chunk);
      const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (match !== null) settle(() => resolve(Number(match[1])));
    });
    info.on('error', (error) => settle(() => reject(new ContainmentError(`bubblewrap did not start the sandbox: ${describe(error)}`, { cause: error }))));
    info.on('end', () => settle(() => reject(new ContainmentError(`bubblewrap did not start the sandbox (it reported no child pid${text === '' ? '' : `: ${text.slice(0, 200)}`})`))));
  });
}

interface Recording {
  take(beforeMs: number): EgressAttempt[];
}

/** One nsenter: routes, then (with a recorder) the ruleset and conntrack itself. */
async function startRecorder(pid: number, plan: NetworkPlan, started: ChildProcess[]): Promise<Recording | undefined> {
  const { tools, recorder } = plan;
  const routes = `${tools.ip} route add local 0.0.0.0/0 dev lo && { ${tools.ip} -6 route add local ::/0 dev lo 2>/dev/null || true; }`;
  if (recorder.kind === 'none') {
    const child = spawnOwned(tools.nsenter, ['-t', String(pid), '-n', '/bin/sh', '-c', routes], started);
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new ContainmentError(`could not route the sandbox's network (exit ${String(code)}): ${readOutput(child)}`);
    return undefined;
  }
  const ownPorts = plan.bridge?.listen.map((entry) => entry.port) ?? [];
  const exposed = plan.bridge?.expose.map((entry) => entry.port) ?? [];
  const ruleset = buildRuleset([...ownPorts, ...exposed], plan.bridge?.dns === true);
  const setpriv = findSystemTool('setpriv');
  const stdbuf = findSystemTool('stdbuf') ?? '/usr/bin/stdbuf';
  const dieWithHarness = setpriv === undefined ? '' : `${setpriv} --pdeathsig KILL `;
  // setpriv's parent-death signal comes too late when the harness dies before it runs: stdin,
  // kept open by the harness, is the recorder's lifeline as well.
  const script = `exec 3<&0; ${routes} && echo '${ruleset}' | ${recorder.nft} -f - && echo ready >&2 && ${lifelineWatcher(3, '$$')} && exec ${dieWithHarness}${stdbuf} -oL ${recorder.conntrack} -E -o timestamp,id -e NEW,UPDATE,DESTROY 3<&-`;
  const child = spawnOwned(tools.nsenter, ['-t', String(pid), '-n', '/bin/sh', '-c', script], started, true);
  const tracker = createConntrackTracker();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => tracker.push(chunk));
  await waitForLine(child, 'stderr', (line) => line === 'ready', 'the connection recorder');
  await new Promise((resolve) => setTimeout(resolve, RECORDER_SETTLE_MS));
  return tracker;
}

/**
 * The harness's own ports are not tracked, both ways, so that the stream holds only what the
 * sandbox tried; a rule using conntrack switches tracking on in the namespace (without one,
 * nothing is recorded at all).
 */
export function buildRuleset(ownPorts: readonly number[], catchesDns: boolean): string {
  const sets: string[] = [];
  const rules: string[] = [];
  if (ownPorts.length > 0) {
    sets.push(`set own { type inet_service; elements = { ${[...new Set(ownPorts)].join(', ')} }; };`);
    for (const [family, address] of [['ip', '127.0.0.1'], ['ip6', '::1']] as const) {
      rules.push(`${family} daddr ${address} tcp dport @own notrack;`, `${family} saddr ${address} tcp sport @own notrack;`);
    }
  }
  if (catchesDns) rules.push('ip daddr 127.0.0.1 udp dport 53 notrack;', 'ip saddr 127.0.0.1 udp sport 53 notrack;');
  const raw = rules.length === 0 ? '' : `chain raw_out { type filter hook output priority raw; ${rules.join(' ')} };`;
  return `table inet harness { ${sets.join(' ')} ${raw} chain out { type filter hook output priority 0; ct state new counter; }; }`;
}

async function startBridge(pid: number, plan: NetworkPlan, spec: BridgeSpec, started: ChildProcess[]): Promise<Recording> {
  const setpriv = findSystemTool('setpriv');
  const command = [...(setpriv === undefined ? [] : [setpriv, '--pdeathsig', 'KILL']), process.execPath, BRIDGE_PROGRAM, JSON.stringify(spec)];
  const child = spawnOwned(plan.tools.nsenter, ['-t', String(pid), '-n', ...command], started, true);
  const lookups: EgressAttempt[] = [];
  await waitForLine(child, 'stdout', (line) => {
    const message = parseBridgeMessage(line);
    if (message !== undefined && 'dns' in message) lookups.push({ at: message.dns.at, via: 'dns', host: message.dns.name, protocol: 'dns' });
    return message !== undefined && 'ready' in message;
  }, 'the network bridge');
  return {
    take(beforeMs) {
      const taken = lookups.filter((lookup) => Date.parse(lookup.at) < beforeMs);
      lookups.splice(0, lookups.length, ...lookups.filter((lookup) => !taken.includes(lookup)));
      return taken;
    },
  };
}

function parseBridgeMessage(line: string): BridgeMessage | undefined {
  try {
    return JSON.parse(line) as BridgeMessage;
  } catch {
    return undefined;
  }
}

/** A helper process of the harness: its own process group, registered so that it dies with the harness. */
function spawnOwned(file: string, args: string[], started: ChildProcess[], keepStdin = false): ChildProcess {
  const child = spawn(file, args, { stdio: [keepStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], detached: true });
  const pid = child.pid;
  if (pid !== undefined) {
    registerChildGroup(pid);
    child.once('exit', () => unregisterChildGroup(pid));
  }
  const output: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  outputs.set(child, output);
  started.push(child);
  return child;
}

const outputs = new WeakMap<ChildProcess, string[]>();

function readOutput(child: ChildProcess): string {
  return (outputs.get(child) ?? []).join('').trim().slice(-500) || '(no output)';
}

/** Resolves at the first line of the stream that `isDone` accepts; rejects when the process ends first or takes too long. */
function waitForLine(child: ChildProcess, stream: 'stdout' | 'stderr', isDone: (line: string) => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let partial = '';
    const timer = setTimeout(() => fail(`${what} did not start within ${SET_UP_TIMEOUT_MS / 1000} s`), SET_UP_TIMEOUT_MS);
    const onData = (chunk: Buffer | string) => {
      const lines = (partial + String(chunk)).split('\n');
      partial = lines.pop() ?? '';
      if (lines.some((line) => isDone(line.trim()))) finish();
    };
    const onExit = (code: number | null) => fail(`${what} exited (${String(code)}) before it was ready: ${readOutput(child)}`);
    const finish = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve();
    };
    const fail = (message: string) => {
      clearTimeout(timer);
      child[stream]?.off('data', onData);
      reject(new ContainmentError(message));
    };
    child[stream]?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.stdin?.end();
  // conntrack -E notices SIGTERM only at its next event: kill it outright.
  child.kill('SIGKILL');
  await exited;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
