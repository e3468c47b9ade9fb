import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { waitFor } from './wait-for.ts';

/** What marks a test's processes: its workspace's `tmp` (a `Workspace` is one). */
export interface ProcessMarker {
  readonly tmp: string;
}

/**
 * The processes a test started, told apart from every other process on the machine (other
 * tests, other people's runs) by its workspace: the harness runs with TMPDIR inside it, so each
 * OpenCode server's HOME, each sandbox (the checks' working folder) and each bubblewrap command
 * line names the workspace's `tmp`.
 */
export interface ProcessInfo {
  pid: number;
  /** The executable's name as the kernel knows it (`opencode.exe`, `node`, `bwrap`). */
  name: string;
  cmdline: string;
}

/** Live processes whose working folder, command line or environment names the workspace's `tmp`. */
export function listWorkspaceProcesses(workspace: ProcessMarker): ProcessInfo[] {
  const marker = workspace.tmp;
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if ([cmdline, environ, readLinkQuietly(`/proc/${entry}/cwd`)].some((text) => text.includes(marker))) {
        found.push({ pid: Number(entry), name, cmdline: cmdline.slice(0, 200) });
      }
    } catch {
      // Gone while being read, or not ours to read.
    }
  }
  return found;
}

/** The OpenCode servers of the workspace's runs (the binary itself, not its wrappers). */
export function listWorkspaceOpencode(workspace: ProcessMarker): ProcessInfo[] {
  return listWorkspaceProcesses(workspace).filter((info) => info.name === 'opencode.exe');
}

/** Waits until no process of the workspace is left (a server's watchdog may take a few seconds). */
export async function expectNoWorkspaceProcesses(workspace: ProcessMarker, timeoutMs = 15_000): Promise<void> {
  await waitFor(() => listWorkspaceProcesses(workspace).length === 0, { timeoutMs, what: 'the workspace to have no process left' }).catch((error: unknown) => {
    throw new Error(`orphan processes: ${JSON.stringify(listWorkspaceProcesses(workspace), null, 1)}`, { cause: error });
  });
}

/**
 * Kills whatever the workspace still runs: a test that timed out or failed may leave its harness
 * run going. Called before a workspace is removed; a test that passed has nothing left here.
 */
export function stopWorkspaceProcesses(workspace: ProcessMarker): void {
  for (const { pid } of listWorkspaceProcesses(workspace)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

function readLinkQuietly(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}
