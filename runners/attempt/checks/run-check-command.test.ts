import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCommandProblem, runCommand } from './run-check-command.ts';

const node = process.execPath;
const env = { PATH: process.env.PATH ?? '' };
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'run-command-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Whether a process still runs; a zombie waiting for PID 1 to reap it does not. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat');
  }
}

describe('runCommand', () => {
  it('keeps the exit code, the output and the report written to {outputFile}', async () => {
    const script = "require('fs').writeFileSync(process.argv[1], '[1]'); console.log('out:' + process.cwd()); console.error('err'); process.exit(3)";
    const result = await runCommand({ argv: [node, '-e', script, '{outputFile}'], cwd: dir, env, timeoutMs: 10_000 });
    expect(result).toMatchObject({ status: 'exited', exitCode: 3, stdout: `out:${dir}`, stderr: 'err', report: '[1]' });
  });

  it('uses only the environment it is given', async () => {
    const result = await runCommand({ argv: [node, '-e', 'console.log(Object.keys(process.env).sort().join(","))'], cwd: dir, env: { ...env, ONLY_THIS: '1' }, timeoutMs: 10_000 });
    expect(result.status === 'exited' && result.stdout).toBe('ONLY_THIS,PATH');
  });

  it('reports a missing report as undefined', async () => {
    const result = await runCommand({ argv: [node, '-e', '0'], cwd: dir, env, timeoutMs: 10_000 });
    expect(result).toMatchObject({ status: 'exited', exitCode: 0, report: undefined });
  });

  it('reports a command that cannot start', async () => {
    const result = await runCommand({ argv: ['/nonexistent/tsc'], cwd: dir, env, timeoutMs: 10_000 });
    expect(result.status).toBe('not-started');
    expect(describeCommandProblem(result, 'typecheck')).toMatch(/^typecheck could not be started: .*ENOENT/);
  });

  it('kills the whole process tree on timeout', async () => {
    const pidFile = path.join(dir, 'grandchild.pid');
    const parent = `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1000);`;
    const result = await runCommand({ argv: [node, '-e', parent], cwd: dir, env, timeoutMs: 1_000 });
    expect(result).toMatchObject({ status: 'timed-out', timeoutMs: 1_000 });
    expect(describeCommandProblem(result, 'tests')).toContain('timed out after 1000 ms');
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    await expect.poll(() => isAlive(grandchild), { timeout: 3_000 }).toBe(false);
  });

  it('removes its report folder afterwards', async () => {
    const result = await runCommand({ argv: [node, '-e', 'console.log(process.argv[1])', '{outputFile}'], cwd: dir, env, timeoutMs: 10_000 });
    const reportFile = result.status === 'exited' ? result.stdout : '';
    expect(reportFile).toMatch(/report\.json$/);
    expect(existsSync(path.dirname(reportFile))).toBe(false);
  });
});
