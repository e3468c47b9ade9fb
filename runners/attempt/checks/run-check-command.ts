import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { execa } from 'execa';
import type { RunIsolation } from '../../core/domain/isolation.ts';
import type { EgressAttempt } from '../../core/domain/egress.ts';
import { confineCommand } from '../../platform/confinement/confinement.ts';
import { prepareNetwork, type PreparedNetwork } from '../../platform/network/prepare-network.ts';
import { stripAnsi, tailText } from './format-text.ts';

export const OUTPUT_FILE_PLACEHOLDER = '{outputFile}';
/** Replaced by the command's private scratch folder (fresh, writable, deleted when it ends). */
export const SCRATCH_DIR_PLACEHOLDER = '{scratchDir}';

export interface CommandOptions {
  /** The command as an argv list; `{outputFile}` is replaced by a fresh report path. */
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** How to confine the command: it may then write only `cwd` (the sandbox) and its report folder. */
  confinement?: CheckConfinement | undefined;
  /**
   * Files of the command's private scratch folder (the folder of its report, which only it can
   * write): `seed` files are written there before it starts (their contents may depend on the
   * folder's path), `collect` files are read back once it ended.
   */
  scratch?: { seed?: Record<string, (scratchDir: string) => string> | undefined; collect?: readonly string[] | undefined } | undefined;
}

/** The run's isolation, and the host paths a check must find empty (hidden tests, reference solutions, the host's home). */
export interface CheckConfinement {
  isolation: RunIsolation;
  masked: readonly string[];
  /** Where the connections a command tried (and the containment refused) go; set per check by runChecks. */
  reportEgress?: ((attempts: EgressAttempt[]) => void) | undefined;
}

interface CommandOutput {
  stdout: string;
  stderr: string;
  /** The report the command wrote to `{outputFile}`, or undefined when it wrote none. */
  report: string | undefined;
  durationMs: number;
  /** The `scratch.collect` files as the command left them (undefined: not written). */
  collected?: Record<string, string | undefined> | undefined;
}

/** How a check command ended. Only `exited` means the tool ran to completion. */
export type CommandResult =
  | ({ status: 'exited'; exitCode: number } & CommandOutput)
  | ({ status: 'timed-out'; timeoutMs: number } & CommandOutput)
  | ({ status: 'killed'; signal: string } & CommandOutput)
  | { status: 'not-started'; error: string; durationMs: number };

/**
 * Runs one check command in the sandbox. Never throws for the command's own failures: a non-zero
 * exit, a timeout (the whole process tree is killed) or a missing binary are values.
 */
export async function runCommand(options: CommandOptions): Promise<CommandResult> {
  const [file, ...args] = options.argv;
  if (file === undefined) return { status: 'not-started', error: 'empty command', durationMs: 0 };
  const reportDir = await mkdtemp(path.join(os.tmpdir(), 'harness-check-'));
  const reportFile = path.join(reportDir, 'report.json');
  const contained = options.confinement?.isolation.kind === 'bubblewrap';
  const argv = confine([file, ...args.map((argument) => argument.replaceAll(OUTPUT_FILE_PLACEHOLDER, reportFile).replaceAll(SCRATCH_DIR_PLACEHOLDER, reportDir))], options, reportDir);
  try {
    for (const [name, contents] of Object.entries(options.scratch?.seed ?? {})) await writeFile(path.join(reportDir, name), contents(reportDir));
    const started = performance.now();
    const subprocess = execa(argv[0] ?? file, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      extendEnv: false,
      reject: false,
      // Under bubblewrap, fds 3 and 4 carry its handshake with the harness (see prepareNetwork), fd 5 its lifeline.
      stdio: contained ? ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      killDescendants: true,
      forceKillAfterDelay: 2_000,
      cleanup: true,
      maxBuffer: 20_000_000,
    });
    const network = contained ? await prepareCheckNetwork(subprocess, options) : undefined;
    const result = await subprocess;
    // Whatever the command left running in its process group (a server a test started) goes with it.
    subprocess.kill('SIGKILL');
    const durationMs = Math.round(performance.now() - started);
    const egress = await network?.close();
    if (egress !== undefined && egress.length > 0) options.confinement?.reportEgress?.(egress);
    const output = async (): Promise<CommandOutput> => ({ ...(await readOutput(result, reportFile, durationMs)), ...(await collectScratch(reportDir, options.scratch?.collect)) });
    if (result.timedOut) return { status: 'timed-out', timeoutMs: options.timeoutMs, ...(await output()) };
    if (typeof result.exitCode === 'number') return { status: 'exited', exitCode: result.exitCode, ...(await output()) };
    if (result.signal !== undefined) return { status: 'killed', signal: result.signal, ...(await output()) };
    return { status: 'not-started', error: result.shortMessage ?? 'the command did not run', durationMs };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

/**
 * A check gets a network of its own with nothing in it: every connection it tries is refused by
 * the kernel and recorded. When that cannot be prepared the command never runs (it waits on
 * bwrap's block fd) and is killed; the ContainmentError stops the run.
 */
async function prepareCheckNetwork(subprocess: { stdio: unknown; kill(signal: NodeJS.Signals): boolean; catch(onRejected: () => undefined): Promise<unknown> }, options: CommandOptions): Promise<PreparedNetwork> {
  const isolation = options.confinement?.isolation;
  if (isolation?.kind !== 'bubblewrap') throw new Error('internal: only a confined check has a prepared network');
  const pipes = subprocess.stdio as unknown as Array<Readable | Writable | null>;
  try {
    return await prepareNetwork({ info: pipes[3] as Readable, release: pipes[4] as Writable }, { tools: isolation.namespace, recorder: isolation.egressRecorder });
  } catch (error) {
    subprocess.kill('SIGKILL');
    await subprocess.catch(() => undefined);
    throw error;
  }
}

/**
 * Under bubblewrap the command sees the host read-only, can write only the sandbox (its working
 * directory) and its report folder, finds the masked paths empty, has no network, and runs in a
 * PID namespace of its own, so nothing it starts outlives it.
 */
function confine(argv: string[], options: CommandOptions, reportDir: string): string[] {
  if (options.confinement === undefined) return argv;
  const contained = options.confinement.isolation.kind === 'bubblewrap';
  return confineCommand(options.confinement.isolation, argv, { writable: [options.cwd, reportDir], masked: options.confinement.masked, preparedNetwork: contained ? { infoFd: 3, blockFd: 4 } : undefined, lifelineFd: contained ? 5 : undefined });
}

async function readOutput(result: { stdout: unknown; stderr: unknown }, reportFile: string, durationMs: number): Promise<CommandOutput> {
  return {
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    report: await readFile(reportFile, 'utf8').catch(() => undefined),
    durationMs,
  };
}

async function collectScratch(scratchDir: string, names: readonly string[] | undefined): Promise<{ collected?: Record<string, string | undefined> }> {
  if (names === undefined || names.length === 0) return {};
  const entries = await Promise.all(names.map(async (name) => [name, await readFile(path.join(scratchDir, name), 'utf8').catch(() => undefined)] as const));
  return { collected: Object.fromEntries(entries) };
}

/** One line saying why a command did not produce a usable result, with the end of its output. */
export function describeCommandProblem(result: CommandResult, commandName: string): string {
  switch (result.status) {
    case 'not-started':
      return `${commandName} could not be started: ${result.error}`;
    case 'timed-out':
      return `${commandName} timed out after ${result.timeoutMs} ms and was killed${formatOutputTail(result)}`;
    case 'killed':
      return `${commandName} was killed by ${result.signal}${formatOutputTail(result)}`;
    case 'exited':
      return `${commandName} exited with code ${result.exitCode}${formatOutputTail(result)}`;
  }
}

function formatOutputTail(output: CommandOutput): string {
  const text = stripAnsi([output.stderr, output.stdout].filter((part) => part.trim() !== '').join('\n'));
  return text.trim() === '' ? ' (no output)' : `; output ends with:\n${tailText(text, 1_500)}`;
}
