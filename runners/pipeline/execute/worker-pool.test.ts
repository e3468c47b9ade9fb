import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createFakeWorkers, makeFakeWorkerNetwork } from './test-support.ts';
import { createWorkerPool, readTreeRssMb, type WorkerPoolOptions } from './worker-pool.ts';

const OPTIONS: WorkerPoolOptions = {
  rootDir: '/workers',
  configFor: () => '{}',
  maxWorkers: 8,
  startsAtOnce: 8,
  nodeBinDir: '/node/bin',
  network: { openWorker: () => Promise.resolve(makeFakeWorkerNetwork()) },
  attemptsPerServer: 3,
  memoryLimitMb: 1000,
  isolation: { kind: 'none', reason: 'a test' },
  maskedPaths: [],
};

describe('createWorkerPool', () => {
  it('starts a worker on demand and hands a released one out again', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const first = await pool.acquire('p');
    await pool.release(first);
    const again = await pool.acquire('p');
    expect(again).toBe(first);
    expect(fake.started).toEqual([0]);
  });

  it('starts one worker per concurrent holder, numbered in order', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const held = await Promise.all([pool.acquire('p'), pool.acquire('p'), pool.acquire('p')]);
    expect(held.map((worker) => worker.id)).toEqual([0, 1, 2]);
    await Promise.all(held.map((worker) => pool.release(worker)));
    expect(fake.stopped).toEqual([]);
  });

  it('starts servers ahead of need, hands them out without starting more, and never passes its maximum', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool({ ...OPTIONS, maxWorkers: 3 }, fake.lifecycle);
    pool.prewarm('p', 5);
    // Asked while the warm-up is under way: waits for a warmed server rather than starting a fourth.
    const held = await Promise.all([pool.acquire('p'), pool.acquire('p'), pool.acquire('p')]);
    expect(fake.started).toEqual([0, 1, 2]);
    expect(new Set(held.map((worker) => worker.id))).toEqual(new Set([0, 1, 2]));
    await Promise.all(held.map((worker) => pool.release(worker)));
    pool.prewarm('p', 2);
    await pool.close();
    expect(fake.started).toEqual([0, 1, 2]);
    expect([...fake.stopped].sort()).toEqual([0, 1, 2]);
  });

  it('starts at most startsAtOnce servers at the same time, on demand and ahead of need', async () => {
    const fake = createFakeWorkers();
    let starting = 0;
    let most = 0;
    const start = fake.lifecycle.start;
    const slow = {
      ...fake.lifecycle,
      async start(id: number, profileKey: string) {
        starting += 1;
        most = Math.max(most, starting);
        await new Promise((resolve) => setTimeout(resolve, 5));
        starting -= 1;
        return start(id, profileKey);
      },
    };
    const pool = createWorkerPool({ ...OPTIONS, maxWorkers: 6, startsAtOnce: 2 }, slow);
    pool.prewarm('p', 3);
    const held = await Promise.all([pool.acquire('p'), pool.acquire('p'), pool.acquire('p'), pool.acquire('p'), pool.acquire('p'), pool.acquire('p')]);
    expect(most).toBe(2);
    expect(new Set(held.map((worker) => worker.id)).size).toBe(6);
    await pool.close();
  });

  it('counts idle servers of the profile as warm, and a failed warm start is met again by the acquire that needs it', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    await pool.release(await pool.acquire('p'));
    pool.prewarm('p', 1);
    expect(fake.started).toEqual([0]);
    fake.failNextStart(new Error('no port'));
    pool.prewarm('q', 1);
    const worker = await pool.acquire('q');
    expect(worker.profileKey).toBe('q');
    expect(fake.started).toEqual([0, 2]);
    await pool.close();
  });

  it('recycles a worker once it has run attemptsPerServer attempts', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const worker = await pool.acquire('p');
    worker.attemptsRun = OPTIONS.attemptsPerServer - 1;
    await pool.release(worker);
    expect(fake.stopped).toEqual([]);
    const same = await pool.acquire('p');
    same.attemptsRun = OPTIONS.attemptsPerServer;
    await pool.release(same);
    expect(fake.stopped).toEqual([0]);
    expect((await pool.acquire('p')).id).toBe(1);
  });

  it('recycles a worker whose server uses more than memoryLimitMb, and keeps one at the limit', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const [atLimit, above] = await Promise.all([pool.acquire('p'), pool.acquire('p')]);
    fake.memoryMb.set(atLimit?.id ?? -1, OPTIONS.memoryLimitMb);
    fake.memoryMb.set(above?.id ?? -1, OPTIONS.memoryLimitMb + 1);
    if (atLimit === undefined || above === undefined) throw new Error('two workers expected');
    await pool.release(atLimit);
    await pool.release(above);
    expect(fake.stopped).toEqual([above.id]);
    expect(await pool.acquire('p')).toBe(atLimit);
  });

  it('retires a worker whose server died, and starts a fresh one next', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const worker = await pool.acquire('p');
    fake.workers.get(worker.id)?.die();
    await pool.release(worker);
    expect(fake.stopped).toEqual([0]);
    expect((await pool.acquire('p')).id).toBe(1);
    expect(fake.started).toEqual([0, 1]);
  });

  it('close stops every worker it started, idle or still held, once each', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(OPTIONS, fake.lifecycle);
    const [idle, held, retired] = await Promise.all([pool.acquire('p'), pool.acquire('p'), pool.acquire('p')]);
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
    await expect(pool.acquire('p')).rejects.toThrow('opencode serve printed no address');
    expect((await pool.acquire('p')).id).toBe(1);
    await pool.close();
    expect(fake.stopped).toEqual([1]);
  });
});

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

describe('createWorkerPool: server profiles', () => {
  const twoAtMost: WorkerPoolOptions = { ...OPTIONS, maxWorkers: 2 };
  const profilesStarted = (fake: ReturnType<typeof createFakeWorkers>) => fake.started.map((id) => fake.workers.get(id)?.profileKey);

  it('reuses an idle server of the same profile, and stops an idle server of another profile only to make room', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(twoAtMost, fake.lifecycle);
    const a = await pool.acquire('A');
    await pool.release(a);
    expect(await pool.acquire('A')).toBe(a);
    const b = await pool.acquire('B');
    await pool.release(a);
    await pool.release(b);
    const c = await pool.acquire('C');
    expect(c.profileKey).toBe('C');
    expect(fake.stopped).toEqual([a.id]);
    expect(await pool.acquire('B')).toBe(b);
    expect(profilesStarted(fake)).toEqual(['A', 'B', 'C']);
  });

  it('starts another server while below the limit instead of stopping an idle one', async () => {
    const fake = createFakeWorkers();
    const pool = createWorkerPool(twoAtMost, fake.lifecycle);
    await pool.release(await pool.acquire('A'));
    const b = await pool.acquire('B');
    expect(b.profileKey).toBe('B');
    expect(fake.stopped).toEqual([]);
  });
});
