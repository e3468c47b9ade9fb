/**
 * A lifeline is a pipe whose writing end only the harness holds and never writes to: it closes
 * when the harness ends, however it ends (SIGKILL included), and then never before. A process
 * started through a shell can watch it without help from its program: `lifelineWatcher` is a
 * shell fragment that starts a watcher (detached from the shell by a double fork, so no program
 * finds an unexpected child) which waits for the end of the pipe on `fd` and then sends SIGKILL
 * to `target`: `$$`, the shell itself (and so the program it `exec`s), or `-1`, every process
 * the shell may signal (inside a PID namespace of its own, everything in it and nothing else).
 *
 * Unlike a parent-death signal it cannot be set too late: a pipe that closed before the watcher
 * started reads as ended at once.
 */
export function lifelineWatcher(fd: number, target: '$$' | '-1'): string {
  if (!Number.isInteger(fd) || fd < 3 || fd > 9) throw new Error(`internal: a lifeline fd is a single digit from 3 up (the shell's own syntax), got ${fd}`);
  return `( ( while read -r _ <&${fd}; do :; done; kill -KILL ${target} ) </dev/null >/dev/null 2>&1 & )`;
}
