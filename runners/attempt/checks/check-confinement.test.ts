import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectIsolation } from '../../platform/confinement/confinement.ts';
import { bubblewrap, describeWith } from '../../testing/support/real-dependencies.ts';
import { runCommand, type CheckConfinement } from './run-check-command.ts';

/**
 * A check command (tsc, eslint, vitest — and so any test file the agent wrote) under the run's
 * bubblewrap isolation: it can write the sandbox and its report, nothing else on the host; it
 * finds the masked paths empty; and nothing it starts outlives it.
 */
const isolation = detectIsolation('auto');
const node = process.execPath;
const env = { PATH: [path.dirname(node), '/usr/bin', '/bin'].join(':'), HOME: '/nonexistent' };
let work: string;
let sandbox: string;
let beside: string;
let secret: string;
let confinement: CheckConfinement;
/** A host path outside /tmp, writable by the test itself. */
const hostFile = path.join('/var/tmp', `check-confinement-${process.pid}-${Date.now()}.txt`);

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'check-confinement-'));
  sandbox = path.join(work, 'repo');
  beside = path.join(work, 'beside.txt');
  secret = path.join(work, 'hidden-tests');
  mkdirSync(sandbox);
  mkdirSync(secret);
  writeFileSync(path.join(secret, 'acceptance.test.ts'), 'the hidden test');
  confinement = { isolation, masked: [secret] };
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(hostFile, { force: true });
});

/** Whether a process still runs (a zombie does not). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describeWith(bubblewrap(), 'check commands under bubblewrap', () => {
  it('write the sandbox and the report, and nothing beside the sandbox or elsewhere on the host', async () => {
    const script = [
      "const fs = require('fs');",
      'const tryWrite = (file) => { try { fs.writeFileSync(file, "x"); return "wrote"; } catch (error) { return error.code; } };',
      `console.log(JSON.stringify({ inside: tryWrite('inside.txt'), beside: tryWrite('../beside.txt'), host: tryWrite(${JSON.stringify(hostFile)}), report: tryWrite(process.argv[1]), hidden: fs.readdirSync(${JSON.stringify(secret)}) }));`,
    ].join('\n');
    const result = await runCommand({ argv: [node, '-e', script, '{outputFile}'], cwd: sandbox, env, timeoutMs: 20_000, confinement });
    expect(result.status).toBe('exited');
    if (result.status !== 'exited') return;
    // Beside the sandbox is under /tmp, which the command sees as a private, empty tmpfs: a write there vanishes with it.
    expect(JSON.parse(result.stdout)).toMatchObject({ inside: 'wrote', host: 'EROFS', report: 'wrote', hidden: [] });
    expect(result.report).toBe('x');
    expect(existsSync(path.join(sandbox, 'inside.txt'))).toBe(true);
    expect(existsSync(beside)).toBe(false);
    expect(existsSync(hostFile)).toBe(false);
  });

  it('ends every process the command started, even one that left its process group', async () => {
    const pidFile = path.join(sandbox, 'daemon.pid');
    const script = [
      "const { spawn } = require('child_process');",
      `const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });`,
      `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));`,
      'child.unref();',
    ].join('\n');
    const result = await runCommand({ argv: [node, '-e', script], cwd: sandbox, env, timeoutMs: 20_000, confinement });
    expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(existsSync(pidFile)).toBe(true);
    // The pid is the daemon's inside its PID namespace; find it on the host by its command line instead.
    const hostPids = () => listProcesses().filter((entry) => entry.cmdline.includes('setInterval(() => {}, 1000)') && entry.cwd === sandbox);
    await expect.poll(() => hostPids().length, { timeout: 5_000 }).toBe(0);
  });
});

describe('check commands without isolation', () => {
  it('still end the process group they leave behind', async () => {
    const pidFile = path.join(sandbox, 'grandchild.pid');
    const script = `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); c.unref();`;
    const result = await runCommand({ argv: [node, '-e', script], cwd: sandbox, env, timeoutMs: 20_000 });
    expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => isAlive(grandchild), { timeout: 5_000 }).toBe(false);
  });
});

function listProcesses(): Array<{ pid: number; cmdline: string; cwd: string }> {
  const entries: Array<{ pid: number; cmdline: string; cwd: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      if (isAlive(Number(name))) entries.push({ pid: Number(name), cmdline, cwd });
    } catch {
      // Gone while being read.
    }
  }
  return entries;
}
