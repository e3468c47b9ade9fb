import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../endpoints/scripted-model/stop-with-parent.ts';
import { freePort } from '../support/free-port.ts';
import { PROJECT_ROOT } from '../support/harness-cli.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * `npm run scripted-model` as a user starts it: stopping the npm process — by SIGTERM, or by
 * SIGKILL, which npm cannot pass on — stops the server too, leaving nothing on its port.
 */

/** Direct children of a process, from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function descendantsOf(pid: number): number[] {
  return childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)]);
}

async function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/v1/models`, { signal: AbortSignal.timeout(1_000) }).then(
    (response) => response.ok,
    () => false,
  );
}

const started: number[] = [];

afterEach(() => {
  // Whatever the test started and is still there (only if the behaviour under test failed).
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

async function startNpm(port: number): Promise<{ npm: ChildProcess; server: number }> {
  const npm = spawn('npm', ['run', 'scripted-model', '--', '--port', String(port)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    stdio: 'ignore',
  });
  if (npm.pid === undefined) throw new Error('npm did not start');
  started.push(npm.pid);
  let ready = false;
  const deadline = Date.now() + 60_000;
  while (!ready && Date.now() < deadline) {
    ready = await answers(port);
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!ready) throw new Error(`the scripted model did not answer on port ${port}`);
  const descendants = descendantsOf(npm.pid);
  started.push(...descendants);
  const server = descendants.find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('scripted-model-cli.ts') && readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('node'));
  if (server === undefined) throw new Error(`no node child of npm found among ${descendants.join(', ')}`);
  return { npm, server };
}

describe('npm run scripted-model', () => {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`stops with its npm parent (${signal}): no node child left on the port`, async () => {
      const port = await freePort();
      const { npm, server } = await startNpm(port);
      expect(isAlive(server)).toBe(true);
      npm.kill(signal);
      await waitFor(() => !isAlive(server), { timeoutMs: 10_000, what: `the server (pid ${server}) to stop after npm got ${signal}` });
      expect(await answers(port)).toBe(false);
    });
  }
});
