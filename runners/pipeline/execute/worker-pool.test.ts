import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createFakeWorkers } from './test-support.ts';
import { createWorkerPool, readGroupRssMb, type WorkerPoolOptions } from './worker-pool.ts';

const OPTIONS: WorkerPoolOptions = {
  rootDir: '/workers',
  configContent: '{}',
  nodeBinDir: '/node/bin',
  secretEnv: {},
  attemptsPerServer: 3,
  memoryLimitMb: 1000,
  isolation: { kind: 'none', reason: 'a test' },
  maskedPaths: [],
};

describe('createWorkerPool', () => {
  it('starts a worker on demand and hands a released one out again', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const first = await pool.acquire();
    await pool.release(first);
    const again = await pool.acquire();
    expect(again).toBe(first);
    expect(fake.started).toEqual([0]);
  });

  it('starts one worker per concurrent holder, numbered in order', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const held = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    expect(held.map((worker) => worker.id)).toEqual([0, 1, 2]);
    await Promise.all(held.map((worker) => pool.release(worker)));
    expect(fake.stopped).toEqual([]);
  });

  it('recycles a worker once it has run attemptsPerServer attempts', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const worker = await pool.acquire();
    worker.attemptsRun = OPTIONS.attemptsPerServer - 1;
    await pool.release(worker);
    expect(fake.stopped).toEqual([]);
    const same = await pool.acquire();
    same.attemptsRun = OPTIONS.attemptsPerServer;
    await pool.release(same);
    expect(fake.stopped).toEqual([0]);
    expect((await pool.acquire()).id).toBe(1);
  });

  it('recycles a worker whose server uses more than memoryLimitMb, and keeps one at the limit', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const [atLimit, above] = await Promise.all([pool.acquire(), pool.acquire()]);
    fake.memoryMb.set(atLimit?.id ?? -1, OPTIONS.memoryLimitMb);
    fake.memoryMb.set(above?.id ?? -1, OPTIONS.memoryLimitMb + 1);
    if (atLimit === undefined || above === undefined) throw new Error('two workers expected');
    await pool.release(atLimit);
    await pool.release(above);
    expect(fake.stopped).toEqual([above.id]);
    expect(await pool.acquire()).toBe(atLimit);
  });

  it('retires a worker whose server died, and starts a fresh one next', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const worker = await pool.acquire();
    fake.workers.get(worker.id)?.die();
    await pool.release(worker);
    expect(fake.stopped).toEqual([0]);
    expect((await pool.acquire()).id).toBe(1);
    expect(fake.started).toEqual([0, 1]);
  });

  it('close stops every worker it started, idle or still held, once each', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const [idle, held, retired] = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    if (idle === undefined || held === undefined || retired === undefined) throw new Error('three workers expected');
    await pool.release(idle);
    retired.attemptsRun = OPTIONS.attemptsPerServer;
    await pool.release(retired);
    await pool.close();
    expect([...fake.stopped].sort()).toEqual([0, 1, 2]);
  });

  it('a worker that cannot start fails the acquire and is not counted', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    fake.failNextStart(new Error('opencode serve printed no address'));
    await expect(pool.acquire()).rejects.toThrow('opencode serve printed no address');
    expect((await pool.acquire()).id).toBe(1);
    await pool.close();
    expect(fake.stopped).toEqual([1]);
  });
});

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
