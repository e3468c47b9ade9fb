import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Isolation } from '../../core/domain/isolation.ts';
import { confineCommand } from '../../platform/confinement/confinement.ts';
import { stripAnsi, tailText } from './format-text.ts';

export const OUTPUT_FILE_PLACEHOLDER = '{outputFile}';

export interface CommandOptions {
  /** The command as an argv list; `{outputFile}` is replaced by a fresh report path. */
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** How to confine the command: it may then write only `cwd` (the sandbox) and its report folder. */
  confinement?: CheckConfinement | undefined;
}

/** The run's isolation, and the host paths a check must find empty (hidden tests, reference solutions, the host's home). */
export interface CheckConfinement {
  isolation: Isolation;
  masked: readonly string[];
}

interface CommandOutput {
  stdout: string;
  stderr: string;
  /** The report the command wrote to `{outputFile}`, or undefined when it wrote none. */
  report: string | undefined;
  durationMs: number;
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
  const argv = confine([file, ...args.map((argument) => argument.replaceAll(OUTPUT_FILE_PLACEHOLDER, reportFile))], options, reportDir);
  try {
    const started = performance.now();
    const subprocess = execa(argv[0] ?? file, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: options.timeoutMs,
      killDescendants: true,
      forceKillAfterDelay: 2_000,
      cleanup: true,
      maxBuffer: 20_000_000,
    });
    const result = await subprocess;
    // Whatever the command left running in its process group (a server a test started) goes with it.
    subprocess.kill('SIGKILL');
    const durationMs = Math.round(performance.now() - started);
    if (result.timedOut) return { status: 'timed-out', timeoutMs: options.timeoutMs, ...(await readOutput(result, reportFile, durationMs)) };
    if (typeof result.exitCode === 'number') return { status: 'exited', exitCode: result.exitCode, ...(await readOutput(result, reportFile, durationMs)) };
    if (result.signal !== undefined) return { status: 'killed', signal: result.signal, ...(await readOutput(result, reportFile, durationMs)) };
    return { status: 'not-started', error: result.shortMessage ?? 'the command did not run', durationMs };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

/**
 * Under bubblewrap the command sees the host read-only, can write only the sandbox (its working
 * directory) and its report folder, finds the masked paths empty, and runs in a PID namespace of
 * its own, so nothing it starts outlives it.
 */
function confine(argv: string[], options: CommandOptions, reportDir: string): string[] {
  if (options.confinement === undefined) return argv;
  return confineCommand(options.confinement.isolation, argv, { writable: [options.cwd, reportDir], masked: options.confinement.masked });
}

async function readOutput(result: { stdout: unknown; stderr: unknown }, reportFile: string, durationMs: number): Promise<CommandOutput> {
  return {
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    report: await readFile(reportFile, 'utf8').catch(() => undefined),
    durationMs,
  };
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
