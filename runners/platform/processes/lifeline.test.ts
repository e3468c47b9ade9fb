import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { lifelineWatcher } from './lifeline.ts';

/** A shell that watches its stdin (moved to fd 3) and then becomes a long sleep, as the connection recorder becomes conntrack. */
function startWatched(): ReturnType<typeof spawn> {
  return spawn('/bin/sh', ['-c', `exec 3<&0; ${lifelineWatcher(3, '$$')}; exec sleep 300 3<&-`], { stdio: ['pipe', 'ignore', 'ignore'] });
}

describe('a lifeline', () => {
  it('kills the program the shell became once the harness end of the pipe closes', async () => {
    const child = startWatched();
    const exited = once(child, 'exit');
    // Alive while the lifeline is held.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(child.exitCode).toBeNull();
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGTERM'), 5_000);
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    clearTimeout(timer);
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('kills at once when the pipe had closed before the watcher started', async () => {
    const child = spawn('/bin/sh', ['-c', `exec 3</dev/null; ${lifelineWatcher(3, '$$')}; exec sleep 300 3<&-`], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGTERM'), 5_000);
    const [, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    clearTimeout(timer);
    expect(signal).toBe('SIGKILL');
  });

  it('takes only a shell-sized fd beyond stdio', () => {
    for (const fd of [0, 2, 10, 3.5]) expect(() => lifelineWatcher(fd, '$$')).toThrow(/single digit from 3 up/);
  });
});
