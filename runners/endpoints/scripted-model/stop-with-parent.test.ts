import { describe, expect, it } from 'vitest';
import { isAlive, listWatchedAncestors, readProcessInfo, type ProcessInfo } from './stop-with-parent.ts';

/** npm (100) → sh -c (200) → this server; 1 is init. */
const TREE: Record<number, ProcessInfo> = {
  200: { parentPid: 100, command: 'sh -c node runners/endpoints/scripted-model/scripted-model-cli.ts --port 8123', state: 'S' },
  100: { parentPid: 50, command: 'npm run scripted-model --port 8123', state: 'S' },
  50: { parentPid: 1, command: '-bash', state: 'S' },
};
const read = (pid: number) => TREE[pid];

describe('the processes the standalone scripted model stops with', () => {
  it('under npm run: the shell npm started and npm itself', () => {
    expect(listWatchedAncestors(200, true, read)).toEqual([200, 100]);
  });

  it('npm found by its script path too; started otherwise, or npm not found: only the parent', () => {
    const viaCli: Record<number, ProcessInfo> = { ...TREE, 100: { parentPid: 50, command: '/usr/bin/node /usr/lib/node_modules/npm/bin/npm-cli.js run scripted-model', state: 'S' } };
    expect(listWatchedAncestors(200, true, (pid) => viaCli[pid])).toEqual([200, 100]);
    expect(listWatchedAncestors(200, false, read)).toEqual([200]);
    const noNpm: Record<number, ProcessInfo> = { ...TREE, 100: { parentPid: 50, command: 'make serve', state: 'S' } };
    expect(listWatchedAncestors(200, true, (pid) => noNpm[pid])).toEqual([200]);
  });

  it('a zombie (ended, not yet reaped) counts as gone', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(process.pid, () => ({ parentPid: 1, command: 'npm', state: 'Z' }))).toBe(false);
    expect(isAlive(2 ** 22 + 12345)).toBe(false);
  });

  it('reads this process from /proc', () => {
    expect(readProcessInfo(process.pid)).toMatchObject({ parentPid: process.ppid, state: expect.stringMatching(/^[RS]$/) });
    expect(readProcessInfo(2 ** 22 + 12345)).toBeUndefined();
  });
});
