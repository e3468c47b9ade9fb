import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readGroupRssMb } from './worker-pool.ts';

describe('readGroupRssMb', () => {
  it('sums the resident memory of a whole process group', async () => {
    const child = spawn('/bin/sh', ['-c', 'sleep 30 & sleep 30 & wait'], { detached: true, stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pid = child.pid ?? 0;
    try {
      const total = readGroupRssMb(pid);
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThan(100);
    } finally {
      process.kill(-pid, 'SIGKILL');
    }
  });

  it('is zero for a group that does not exist', () => {
    expect(readGroupRssMb(2 ** 30)).toBe(0);
  });
});
