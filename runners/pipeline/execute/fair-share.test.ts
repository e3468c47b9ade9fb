import { describe, expect, it } from 'vitest';
import { createFairShare } from './fair-share.ts';

/** Tasks that run until the test finishes them, recording the order they got a slot in. */
function createTasks() {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const task = (name: string) => () =>
    new Promise<string>((resolve) => {
      started.push(name);
      finishers.set(name, () => resolve(name));
    });
  // Lets a task start, or its slot be handed on.
  const settle = async () => {
    for (let tick = 0; tick < 5; tick += 1) await Promise.resolve();
  };
  const finish = async (name: string) => {
    await settle();
    const done = finishers.get(name);
    if (done === undefined) throw new Error(`${name} has not started`);
    done();
    await settle();
  };
  return { started, task, finish, settle };
}

describe('createFairShare', () => {
  it('never runs more tasks than it has slots', async () => {
    const share = createFairShare(2);
    const { started, task, finish, settle } = createTasks();
    const all = ['a1', 'a2', 'a3'].map((name) => share.run('a', task(name)));
    await settle();
    expect(started).toEqual(['a1', 'a2']);
    await finish('a1');
    expect(started).toEqual(['a1', 'a2', 'a3']);
    await finish('a2');
    await finish('a3');
    expect(await Promise.all(all)).toEqual(['a1', 'a2', 'a3']);
  });

  it('lets a lone lane use every slot, then hands freed slots to a lane that has fewer running', async () => {
    const share = createFairShare(4);
    const { started, task, finish, settle } = createTasks();
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) void share.run('a', task(name));
    await settle();
    expect(started).toEqual(['a1', 'a2', 'a3', 'a4']);
    // Server b's model is up now: its attempts queue behind a's in time, but get the next slots.
    for (const name of ['b1', 'b2', 'b3']) void share.run('b', task(name));
    await finish('a1');
    await finish('a2');
    expect(started.slice(4)).toEqual(['b1', 'b2']);
    // a has 1 running, b 2: a's turn.
    await finish('a3');
    expect(started.slice(6)).toEqual(['a5']);
    await finish('b1');
    expect(started.slice(7)).toEqual(['b3']);
  });

  it('takes turns between lanes with as many running, the one served longest ago first', async () => {
    const share = createFairShare(1);
    const { started, task, finish } = createTasks();
    for (const name of ['a1', 'a2', 'a3']) void share.run('a', task(name));
    for (const name of ['b1', 'b2']) void share.run('b', task(name));
    for (const name of ['a1', 'b1', 'a2', 'b2']) await finish(name);
    expect(started).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
  });

  it('frees the slot of a task that fails, and passes the failure on', async () => {
    const share = createFairShare(1);
    const failing = share.run('a', () => Promise.reject(new Error('server gone')));
    await expect(failing).rejects.toThrow('server gone');
    await expect(share.run('b', async () => 'ran')).resolves.toBe('ran');
  });

  it('keeps a lane within its own limit, gives its unused slots to the others, and follows a changed limit at once', async () => {
    const share = createFairShare(4);
    const { started, task, finish, settle } = createTasks();
    share.setLaneLimit('a', 1);
    for (const name of ['a1', 'a2', 'a3']) void share.run('a', task(name));
    for (const name of ['b1', 'b2', 'b3', 'b4']) void share.run('b', task(name));
    await settle();
    expect(started).toEqual(['a1', 'b1', 'b2', 'b3']);
    expect(share.laneLoad('a')).toEqual({ running: 1, queued: 2 });
    share.setLaneLimit('a', 2);
    await settle();
    // No free slot yet: the raise takes the next one.
    expect(started).toHaveLength(4);
    await finish('b1');
    expect(started.slice(4)).toEqual(['a2']);
    // Lowered below what runs: nothing is stopped, a waits until it is under its limit.
    share.setLaneLimit('a', 1);
    await finish('b2');
    expect(started.slice(5)).toEqual(['b4']);
    await finish('a1');
    await finish('b3');
    expect(started.slice(6)).toEqual([]);
    await finish('a2');
    expect(started.slice(6)).toEqual(['a3']);
    share.setLaneLimit('a', undefined);
    expect(() => share.setLaneLimit('a', 0)).toThrow('whole number');
  });
});
