/**
 * Every long-lived child process the harness starts (OpenCode servers) is registered here
 * and killed — its whole process group — when the harness exits for any reason, so no
 * server outlives the run (OpenCode otherwise keeps running, re-parented to PID 1).
 */
const groups = new Set<number>();
let installed = false;

export function registerChildGroup(pid: number): void {
  groups.add(pid);
  installExitHook();
}

export function unregisterChildGroup(pid: number): void {
  groups.delete(pid);
}

/** Sends `signal` to a process group, ignoring groups that are already gone. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already exited.
  }
}

export function killAllChildGroups(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const pid of groups) killGroup(pid, signal);
  groups.clear();
}

function installExitHook(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => killAllChildGroups('SIGKILL'));
}
