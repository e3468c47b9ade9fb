import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { HarnessEvent } from '../../pipeline/events/event-types.ts';
import { PROJECT_ROOT, type CliResult } from './run-harness.ts';

/**
 * Helpers for the reliability end-to-end tests. Each test gives the harness a private TMPDIR, so
 * that the processes and files of its run can be told apart from those of any other run on the
 * machine (other tests, other people): every OpenCode server, sandbox and check of the run lives
 * under it.
 */

const CLI = path.join(PROJECT_ROOT, 'runners', 'cli.ts');

export interface Workspace {
  /** The test's folder: config, runs. */
  dir: string;
  /** The TMPDIR the harness gets. */
  tmp: string;
}

export function createWorkspace(prefix: string): Workspace {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp);
  return { dir, tmp };
}

/** Starts the real CLI with the workspace's TMPDIR (and `env` on top of the test's own); the caller awaits or signals it. */
export function startCli(args: string[], workspace: Workspace, timeoutMs = 300_000, env: Record<string, string> = {}): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [CLI, ...args], {
    cwd: workspace.dir,
    reject: false,
    timeout: timeoutMs,
    env: { FORCE_COLOR: '0', TMPDIR: workspace.tmp, ...env },
  }) as ResultPromise<{ reject: false }>;
}

/** Runs the real CLI to its end. */
export async function runCliIn(args: string[], workspace: Workspace, timeoutMs = 300_000, env: Record<string, string> = {}): Promise<CliResult> {
  const result = await startCli(args, workspace, timeoutMs, env);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export interface ProcessInfo {
  pid: number;
  name: string;
  cmdline: string;
}

/**
 * Live processes that belong to the workspace: their working folder, command line or
 * environment names its TMPDIR (OpenCode servers, their watchdogs and bubblewrap, checks).
 */
export function listWorkspaceProcesses(workspace: Workspace): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      const cwd = safeReadlink(`/proc/${entry}/cwd`);
      if ([cmdline, environ, cwd].some((text) => text.includes(workspace.tmp))) found.push({ pid: Number(entry), name, cmdline: cmdline.slice(0, 200) });
    } catch {
      // Gone while being read, or not ours to read.
    }
  }
  return found;
}

function safeReadlink(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}

/** The OpenCode server processes of the workspace's run (the binary itself, not its wrappers). */
export function listWorkspaceOpencode(workspace: Workspace): ProcessInfo[] {
  return listWorkspaceProcesses(workspace).filter((info) => info.name === 'opencode.exe');
}

export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Waits until no process of the workspace is left (the watchdog may take a few seconds). */
export async function expectNoWorkspaceProcesses(workspace: Workspace, timeoutMs = 8_000): Promise<void> {
  await waitFor(() => listWorkspaceProcesses(workspace).length === 0, timeoutMs, `no processes left, still: ${JSON.stringify(listWorkspaceProcesses(workspace))}`).catch((error: unknown) => {
    throw new Error(`orphan processes: ${JSON.stringify(listWorkspaceProcesses(workspace), null, 1)}`, { cause: error });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The whole events of a run's log (a torn last line is left out), and whether one was torn. */
export function readLogLines(runDir: string): { events: HarnessEvent[]; torn: boolean; text: string } {
  const file = path.join(runDir, 'events.jsonl');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const events = lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as HarnessEvent);
  return { events, torn: last !== '', text };
}

/** Run folders under an output folder (those holding an event log). */
export function listRunDirs(outputDir: string): string[] {
  if (!existsSync(outputDir)) return [];
  return readdirSync(outputDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(outputDir, entry.name))
    .sort();
}

/** A small seeded generator (mulberry32), so that a random schedule can be replayed. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
