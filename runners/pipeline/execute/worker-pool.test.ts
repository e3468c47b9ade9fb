import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTreeRssMb } from './worker-pool.ts';

function rssMbOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('readTreeRssMb', () => {
  it('sums the resident memory of a process and all its descendants, even one in a session of its own', async () => {
    // One child leaves the process group (setsid), as the server does under bubblewrap's --new-session.
    const child = spawn('/bin/sh', ['-c', 'sleep 30 & setsid sleep 31 & wait'], { detached: true, stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pid = child.pid ?? 0;
    try {
      const tree = [pid, ...childrenOf(pid)];
      expect(tree).toHaveLength(3);
      const expected = tree.reduce((sum, member) => sum + rssMbOf(member), 0);
      expect(readTreeRssMb(pid)).toBeCloseTo(expected, 0);
      expect(readTreeRssMb(pid)).toBeGreaterThan(rssMbOf(pid));
    } finally {
      for (const member of childrenOf(pid)) process.kill(member, 'SIGKILL');
      process.kill(-pid, 'SIGKILL');
    }
  });

  it('is zero for a process that does not exist', () => {
    expect(readTreeRssMb(2 ** 30)).toBe(0);
  });
});
