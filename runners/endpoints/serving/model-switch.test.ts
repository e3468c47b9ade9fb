import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EndpointTarget } from '../../core/domain/target.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { freePort } from '../../testing/support/free-port.ts';
import { createWorkspace, removeWorkspace } from '../../testing/support/workspace.ts';
import { bringUpTarget } from './bring-up-target.ts';
import { fetchModelList } from './fetch-model-list.ts';
import { createModelSwitcher } from './model-switcher.ts';

const SWITCH_SCRIPT = path.join(import.meta.dirname, 'test-support', 'switch-scripted-model.ts');
const SCRIPTED_CLI = path.join(import.meta.dirname, '..', 'scripted-model', 'scripted-model-cli.ts');
const workspace = createWorkspace('model-switch-');
const stateDir = workspace.dir;
const log: string[] = [];
const options = { configDir: stateDir, log: (line: string) => log.push(line), pollMs: 100, maxPollMs: 300 };

afterAll(() => {
  const pidFile = path.join(stateDir, 'server.pid');
  if (existsSync(pidFile)) killQuietly(Number(readFileSync(pidFile, 'utf8')));
  removeWorkspace(workspace);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

function target(id: string, model: string, port: number, serve: EndpointTarget['serve']): EndpointTarget {
  return {
    kind: 'openai-compatible',
    id,
    model,
    baseURL: `http://127.0.0.1:${port}/v1`,
    quantization: 'awq-int4',
    limits: { context: 32768, output: 4096 },
    sampling: { temperature: 0 },
    serve,
  };
}

async function listedModels(baseURL: string): Promise<string[] | 'unreachable'> {
  const listing = await fetchModelList(baseURL, { timeoutMs: 1000 });
  return listing.status === 'listed' ? listing.models.map((model) => model.id) : 'unreachable';
}

describe('model switching with a switch script (one GPU, one model at a time)', () => {
  it('brings up model A, switches to B (the script stops A), and back to A', async () => {
    const port = await freePort();
    const switchTo = (model: string, profile: string) => ({
      command: [process.execPath, SWITCH_SCRIPT, stateDir, String(port), `${model}=${profile}`, '--load-ms', '400'],
      readyTimeoutMs: 30_000,
    });
    const qwenA = target('qwen-a-awq', 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ', port, switchTo('Qwen/Qwen2.5-Coder-14B-Instruct-AWQ', 'reference'));
    const qwenB = target('qwen-b-gptq', 'Qwen/Qwen2.5-Coder-14B-Instruct-GPTQ-Int4', port, switchTo('Qwen/Qwen2.5-Coder-14B-Instruct-GPTQ-Int4', 'noop'));
    const switcher = createModelSwitcher(options);
    try {
      const first = await switcher.switchTo(qwenA);
      expect(first.status, JSON.stringify(first)).toBe('ready');
      expect(await listedModels(qwenA.baseURL)).toEqual([qwenA.model]);

      expect(await switcher.switchTo(qwenA)).toMatchObject({ status: 'already-serving' });

      const second = await switcher.switchTo(qwenB);
      expect(second.status, JSON.stringify(second)).toBe('ready');
      expect(await listedModels(qwenB.baseURL)).toEqual([qwenB.model]);

      expect((await switcher.switchTo(qwenA)).status).toBe('ready');
      expect(await listedModels(qwenA.baseURL)).toEqual([qwenA.model]);
      expect(log.some((line) => line.includes(`stopping ${qwenB.model}`))).toBe(true);
    } finally {
      await switcher.close();
    }
  });

  it('stops a foreground server (e.g. `vllm serve`) by its process group when switching away', async () => {
    const port = await freePort();
    const foreground = target('fg', 'fg-model', port, {
      command: [process.execPath, SCRIPTED_CLI, '--port', String(port), '--served-model-name', 'fg-model=reference', '--scenarios', path.join(PROJECT_ROOT, 'scenarios')],
      readyTimeoutMs: 30_000,
    });
    const switcher = createModelSwitcher(options);
    const result = await switcher.switchTo(foreground);
    expect(result.status, JSON.stringify(result)).toBe('ready');
    expect(await listedModels(foreground.baseURL)).toEqual(['fg-model']);
    await switcher.close();
    expect(await listedModels(foreground.baseURL)).toBe('unreachable');
  });
});

describe('bring-up failures are infra errors for the whole group', () => {
  it('fails with the command output when the command exits non-zero before the model is listed', async () => {
    const port = await freePort();
    // A time limit far beyond the test's own: only noticing the exit can end the wait in time.
    const broken = target('broken', 'm', port, {
      command: [process.execPath, '-e', 'console.error("torch.OutOfMemoryError: CUDA out of memory"); process.exit(1)'],
      readyTimeoutMs: 3_600_000,
    });
    const result = await bringUpTarget(broken, options);
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.message).toContain('exited with code 1');
    expect(result.message).toContain('CUDA out of memory');
  });

  it('fails after readyTimeoutMs when the model never appears, and stops the command', async () => {
    const port = await freePort();
    const pidFile = path.join(stateDir, 'slow.pid');
    const code = `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`;
    const slow = target('slow', 'never-listed', port, { command: [process.execPath, '-e', code], readyTimeoutMs: 1200 });
    const result = await bringUpTarget(slow, options);
    expect(result).toMatchObject({ status: 'failed', message: expect.stringContaining('was not listed at') });
    expect(result).toMatchObject({ message: expect.stringContaining('(serve.readyTimeoutMs)') });
    expect(isAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('does nothing for a target without serve', async () => {
    expect(await bringUpTarget(target('plain', 'm', 9, undefined), options)).toEqual({ status: 'not-configured' });
  });
});
