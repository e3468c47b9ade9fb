import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { execaSync } from 'execa';
import type { IsolationMode, RunIsolation } from '../../core/domain/isolation.ts';
import { UserError } from '../../core/errors.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { findEgressRecorder, findNamespaceTools } from '../network/namespace-tools.ts';
import { lifelineWatcher } from '../processes/lifeline.ts';


export interface Confinement {
  /** The only host paths the confined processes may write (bound read-write at the same path). */
  writable: readonly string[];
  /** Host paths replaced by an empty folder (e.g. hidden tests, the host's home). */
  masked: readonly string[];
  /** Host paths under /tmp the process must still read (the project is always included). */
  readable?: readonly string[] | undefined;
  /**
   * The command's private network is prepared by the harness before it starts (see
   * prepareNetwork): bwrap reports its child's pid on `infoFd` and waits for a byte on
   * `blockFd`; `resolvConf` replaces /etc/resolv.conf. Without it the command finds a network of
   * loopback only, prepared by nobody.
   */
  preparedNetwork?: { infoFd: number; blockFd: number; resolvConf?: string | undefined } | undefined;
  /**
   * An fd of the command holding the read end of a pipe whose other end only the harness holds
   * (see lifelineGuard). Every caller that spawns a confined command passes one; without it a
   * command released after the harness died (by SIGKILL, during the network handshake) would
   * run on with nobody to stop it.
   */
  lifelineFd?: number | undefined;
}

const BWRAP_CANDIDATES = ['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap'];

/**
 * Decides the isolation level: bubblewrap when asked for or, with `auto`, when it is installed
 * and works on this machine (user namespaces may be off) together with the tools that prepare
 * its private network; otherwise none, with the reason. `auto` accepts a machine without the
 * connection recorder (nftables, conntrack) and records that it lost that guarantee; an explicit
 * `bubblewrap` does not.
 */
export function detectIsolation(mode: IsolationMode): RunIsolation {
  if (mode === 'none') return { kind: 'none', reason: 'isolation: none in the config' };
  const refuse = (reason: string, fix: string): RunIsolation => {
    if (mode === 'bubblewrap') throw new UserError('CONFIG_INVALID', `isolation: 'bubblewrap' was asked for, but ${reason}; ${fix}`);
    return { kind: 'none', reason };
  };
  const binary = BWRAP_CANDIDATES.find((candidate) => isExecutable(candidate));
  if (binary === undefined) return refuse('bubblewrap is not installed (Debian package bubblewrap)', "install it (npm run setup) or use isolation: 'auto'");
  const probe = execaSync(binary, [...BASE_ARGS, '--unshare-net', '/bin/true'], { reject: false, timeout: 10_000 });
  if (probe.exitCode !== 0) return refuse(`bubblewrap cannot create a sandbox here: ${String(probe.stderr).trim().slice(0, 200)}`, "use isolation: 'auto'");
  const namespace = findNamespaceTools();
  if ('missing' in namespace) return refuse(`${namespace.missing}, so the sandbox's network cannot be prepared`, 'install it (npm run setup)');
  const egressRecorder = findEgressRecorder();
  if (egressRecorder.kind === 'none' && mode === 'bubblewrap') {
    throw new UserError('CONFIG_INVALID', `isolation: 'bubblewrap' was asked for, but refused connections cannot be recorded: ${egressRecorder.reason}; install them (npm run setup) or use isolation: 'auto' to run without the recording`);
  }
  return { kind: 'bubblewrap', binary, namespace, egressRecorder };
}

/** Read-only host, private /dev, /proc and /tmp, no capabilities, own PID namespace, own session. */
const BASE_ARGS = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--die-with-parent', '--new-session', '--unshare-pid', '--cap-drop', 'ALL'];

/**
 * Ties the confined command to the harness's life. bwrap's --die-with-parent sets the sandbox's
 * parent-death signal only once it is released, after the --block-fd wait: when the harness is
 * killed while it prepares the network, the sandbox is released by the closing pipe with nobody
 * left to signal it, and would run on. So the command runs with a watcher of its lifeline
 * inside the sandbox's PID namespace, which kills every process there when the lifeline ends
 * (kill -1 reaches nothing outside the namespace); the namespace's init then ends too. The
 * command does not inherit the lifeline, and `exec` keeps its stdin, its output and its exit
 * status as they were.
 */
export function lifelineGuard(fd: number): string[] {
  return ['/bin/sh', '-c', `${lifelineWatcher(fd, '-1')}; exec "$@" ${fd}<&-`, 'harness-lifeline'];
}

/**
 * Wraps a command so that it sees the host read-only, writes only to `writable`, and finds the
 * `masked` paths empty. It runs with no capabilities at all (the harness runs as root: without
 * `--cap-drop ALL` the command could unmount the masks, remount `/` writable and read host
 * processes' environments), in a PID namespace of its own (it cannot see or signal host
 * processes, and when it exits every process it left behind — even one that escaped its process
 * group with setsid — is killed with it), and in a network namespace of its own: nothing on the
 * host, its loopback included, is reachable but what the harness bridges in (preparedNetwork).
 */
export function confineCommand(isolation: RunIsolation, argv: readonly string[], confinement: Confinement): string[] {
  if (isolation.kind === 'none') return [...argv];
  // A private /tmp hides other workers' sandboxes; what the confined process needs from under
  // /tmp (the project itself when it was cloned there) is bound back read-only.
  const args = [...BASE_ARGS, '--unshare-net'];
  for (const dir of [PROJECT_ROOT, path.dirname(process.execPath), ...(confinement.readable ?? [])]) {
    if (isInside('/tmp', dir) && existsSync(dir)) args.push('--ro-bind', dir, dir);
  }
  // A mask may hold a writable folder (bound back after it), never lie inside one.
  for (const dir of confinement.masked) {
    if (existsSync(dir) && !confinement.writable.some((writable) => isInside(writable, dir))) args.push('--tmpfs', dir);
  }
  for (const dir of confinement.writable) args.push('--bind', dir, dir);
  const network = confinement.preparedNetwork;
  if (network !== undefined) {
    if (network.resolvConf !== undefined && existsSync('/etc/resolv.conf')) args.push('--ro-bind', network.resolvConf, '/etc/resolv.conf');
    args.push('--info-fd', String(network.infoFd), '--block-fd', String(network.blockFd));
  }
  const guarded = confinement.lifelineFd === undefined ? argv : [...lifelineGuard(confinement.lifelineFd), ...argv];
  return [isolation.binary, ...args, '--', ...guarded];
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
