import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from '../../testing/support/wait-for.ts';
import { lifelineWatcher } from './lifeline.ts';

/** The signal that ended `child`; a child still running after 5 s is ended by SIGTERM (never the watcher's SIGKILL). */
async function endingSignal(child: ReturnType<typeof spawn>): Promise<NodeJS.Signals | null> {
  const exited = once(child, 'exit');
  const timer = setTimeout(() => child.kill('SIGTERM'), 5_000);
  const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return signal;
}

/** A shell that watches its stdin (moved to fd 3) and then becomes a long sleep, as the connection recorder becomes conntrack. */
function startWatched(): ReturnType<typeof spawn> {
  return spawn('/bin/sh', ['-c', `exec 3<&0; ${lifelineWatcher(3, '$$')}; exec sleep 300 3<&-`], { stdio: ['pipe', 'ignore', 'ignore'] });
}

describe('a lifeline', () => {
  it('kills the program the shell became once the harness end of the pipe closes', async () => {
    const child = startWatched();
    // Alive while the lifeline is held.
    await sleep(300);
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
    const ended = endingSignal(child);
    child.stdin?.end();
    expect(await ended).toBe('SIGKILL');
  });

  it('kills at once when the pipe had closed before the watcher started', async () => {
    const child = spawn('/bin/sh', ['-c', `exec 3</dev/null; ${lifelineWatcher(3, '$$')}; exec sleep 300 3<&-`], { stdio: 'ignore' });
    expect(await endingSignal(child)).toBe('SIGKILL');
  });

  it('takes only a shell-sized fd beyond stdio', () => {
    for (const fd of [0, 2, 10, 3.5]) expect(() => lifelineWatcher(fd, '$$')).toThrow(/single digit from 3 up/);
  });
});
