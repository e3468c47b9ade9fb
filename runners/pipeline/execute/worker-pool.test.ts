import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createWorkerPool, readGroupRssMb, type Worker, type WorkerLifecycle } from './worker-pool.ts';

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

describe('createWorkerPool', () => {
  function fakeLifecycle() {
    const started: Array<{ id: number; profileKey: string }> = [];
    const stopped: number[] = [];
    const lifecycle: WorkerLifecycle = {
      async start(id, profileKey) {
        started.push({ id, profileKey });
        const server = { isAlive: () => true } as unknown as Worker['server'];
        return { id, profileKey, server, hub: {} as Worker['hub'], env: {}, root: `/w/${id}`, attemptsRun: 0, sandboxes: new Map() };
      },
      async stop(worker) {
        stopped.push(worker.id);
      },
      memoryMb: () => 0,
    };
    return { lifecycle, started, stopped };
  }
  const options = { rootDir: '/w', configFor: () => '{}', maxWorkers: 2, nodeBinDir: '/n', secretEnv: {}, attemptsPerServer: 50, memoryLimitMb: 1000, isolation: { kind: 'none', reason: 'test' } as const, maskedPaths: [] };

  it('reuses an idle server of the same profile, and stops an idle server of another profile only to make room', async () => {
    const { lifecycle, started, stopped } = fakeLifecycle();
    const pool = createWorkerPool(options, lifecycle);
    const a = await pool.acquire('A');
    await pool.release(a);
    expect(await pool.acquire('A')).toBe(a);
    const b = await pool.acquire('B');
    await pool.release(a);
    await pool.release(b);
    const c = await pool.acquire('C');
    expect(c.profileKey).toBe('C');
    expect(stopped).toEqual([a.id]);
    expect(await pool.acquire('B')).toBe(b);
    expect(started.map((entry) => entry.profileKey)).toEqual(['A', 'B', 'C']);
  });

  it('starts another server while below the limit instead of stopping an idle one', async () => {
    const { lifecycle, stopped } = fakeLifecycle();
    const pool = createWorkerPool(options, lifecycle);
    await pool.release(await pool.acquire('A'));
    const b = await pool.acquire('B');
    expect(b.profileKey).toBe('B');
    expect(stopped).toEqual([]);
  });
});
