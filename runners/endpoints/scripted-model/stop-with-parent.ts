import { readFileSync } from 'node:fs';

/** What /proc says about a process: its parent, its command line and its state letter (`Z`: ended, not yet reaped). */
export interface ProcessInfo {
  parentPid: number;
  command: string;
  state: string;
}

/** Reads /proc/<pid>; undefined when the process is gone or /proc is unavailable (not Linux). */
export function readProcessInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const [state = '', parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parentPid = Number(parent);
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return Number.isInteger(parentPid) ? { parentPid, command, state } : undefined;
  } catch {
    return undefined;
  }
}

const NPM_COMMAND = /(^|[\s/])npm(-cli\.js)?(\s|$)/;
const MAX_DEPTH = 4;

/**
 * The processes whose end must end this one: the parent, and, when started by `npm run`, every
 * ancestor up to and including npm. npm runs a script through `sh -c`; a signal to npm reaches
 * the shell, which dies without passing it on, and npm killed with SIGKILL tells nobody — either
 * way the server would be left listening on its port.
 */
export function listWatchedAncestors(parentPid: number, startedByNpm: boolean, read: (pid: number) => ProcessInfo | undefined = readProcessInfo): number[] {
  if (!startedByNpm) return [parentPid];
  const chain: number[] = [];
  let pid = parentPid;
  for (let depth = 0; depth < MAX_DEPTH && pid > 1; depth += 1) {
    const info = read(pid);
    if (info === undefined) break;
    chain.push(pid);
    if (NPM_COMMAND.test(info.command)) return chain;
    pid = info.parentPid;
  }
  return [parentPid];
}

/** Whether a process still runs: it exists and, where /proc tells, is not a zombie (ended, not yet reaped by its parent). */
export function isAlive(pid: number, read: (pid: number) => ProcessInfo | undefined = readProcessInfo): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = read(pid)?.state;
  return state !== 'Z' && state !== 'X';
}

/**
 * Calls `onGone` once, when the parent (or, under `npm run`, any process up to npm) has ended
 * or this process was handed to another parent. Returns a function that stops watching.
 */
export function stopWithParent(onGone: () => void, options: { intervalMs?: number; env?: NodeJS.ProcessEnv } = {}): () => void {
  const parentPid = process.ppid;
  const watched = listWatchedAncestors(parentPid, (options.env ?? process.env).npm_lifecycle_event !== undefined);
  const timer = setInterval(() => {
    if (process.ppid === parentPid && watched.every((pid) => isAlive(pid))) return;
    clearInterval(timer);
    onGone();
  }, options.intervalMs ?? 500);
  timer.unref();
  return () => clearInterval(timer);
}
