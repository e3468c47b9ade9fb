import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { execaSync } from 'execa';
import type { Isolation, IsolationMode } from '../../core/domain/isolation.ts';
import { UserError } from '../../core/errors.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';


export interface Confinement {
  /** The only host paths the confined processes may write (bound read-write at the same path). */
  writable: readonly string[];
  /** Host paths replaced by an empty folder (e.g. hidden tests, the host's home). */
  masked: readonly string[];
  /** Host paths under /tmp the process must still read (the project is always included). */
  readable?: readonly string[] | undefined;
}


const BWRAP_CANDIDATES = ['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap'];

/**
 * Decides the isolation level: bubblewrap when asked for or, with `auto`, when it is installed
 * and works on this machine (user namespaces may be off); otherwise none, with the reason.
 */
export function detectIsolation(mode: IsolationMode): Isolation {
  if (mode === 'none') return { kind: 'none', reason: 'isolation: none in the config' };
  const binary = BWRAP_CANDIDATES.find((candidate) => isExecutable(candidate));
  if (binary === undefined) {
    const reason = 'bubblewrap is not installed (Debian package bubblewrap)';
    if (mode === 'bubblewrap') throw new UserError('CONFIG_INVALID', `isolation: 'bubblewrap' was asked for, but ${reason}; install it or use isolation: 'auto'`);
    return { kind: 'none', reason };
  }
  const probe = execaSync(binary, ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--die-with-parent', '--unshare-pid', '--cap-drop', 'ALL', '/bin/true'], { reject: false, timeout: 10_000 });
  if (probe.exitCode !== 0) {
    const reason = `bubblewrap cannot create a sandbox here: ${String(probe.stderr).trim().slice(0, 200)}`;
    if (mode === 'bubblewrap') throw new UserError('CONFIG_INVALID', `isolation: 'bubblewrap' was asked for, but ${reason}; use isolation: 'auto'`);
    return { kind: 'none', reason };
  }
  return { kind: 'bubblewrap', binary };
}

/**
 * Wraps a command so that it sees the host read-only, writes only to `writable`, and finds the
 * `masked` paths empty. It runs with no capabilities at all (the harness runs as root: without
 * `--cap-drop ALL` the command could unmount the masks, remount `/` writable and read host
 * processes' environments), in a PID namespace of its own (it cannot see or signal host
 * processes, and when it exits every process it left behind — even one that escaped its process
 * group with setsid — is killed with it).
 */
export function confineCommand(isolation: Isolation, argv: readonly string[], confinement: Confinement): string[] {
  if (isolation.kind === 'none') return [...argv];
  // A private /tmp hides other workers' sandboxes; what the confined process needs from under
  // /tmp (the project itself when it was cloned there) is bound back read-only.
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--die-with-parent', '--new-session'];
  for (const dir of [PROJECT_ROOT, path.dirname(process.execPath), ...(confinement.readable ?? [])]) {
    if (isInside('/tmp', dir) && existsSync(dir)) args.push('--ro-bind', dir, dir);
  }
  args.push('--unshare-pid', '--cap-drop', 'ALL');
  for (const dir of confinement.masked) {
    if (existsSync(dir) && !confinement.writable.some((writable) => isInside(writable, dir) || isInside(dir, writable))) args.push('--tmpfs', dir);
  }
  for (const dir of confinement.writable) args.push('--bind', dir, dir);
  return [isolation.binary, ...args, '--', ...argv];
}

/** Whether `inner` is `outer` or lies inside it. */
export function isInside(outer: string, inner: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
