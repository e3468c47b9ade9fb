import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, onlyRunDir, readSummary, runCli, writeConfig } from './run-harness.ts';

const SWITCH_SCRIPT = path.join(PROJECT_ROOT, 'runners', 'serving', 'test-support', 'switch-scripted-model.ts');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('harness run with two models that share one GPU', () => {
  it('brings each model up with its switch command, one group at a time, and measures the server', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harness-e2e-switch-'));
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const stateDir = path.join(dir, 'gpu-state');
    const target = (id: string, model: string, profile: string) => ({
      kind: 'openai-compatible',
      id,
      model,
      baseURL,
      quantization: id.endsWith('awq') ? 'awq-int4' : 'gptq-int4',
      serve: { command: [process.execPath, SWITCH_SCRIPT, stateDir, String(port), `${model}=${profile}`, '--load-ms', '300'], readyTimeoutMs: 60_000 },
    });
    const config = writeConfig(dir, {
      scenarios: ['add-stock-widget'],
      concurrency: 2,
      targets: [
        target('qwen14b-awq', 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ', 'reference'),
        target('qwen14b-gptq', 'Qwen/Qwen2.5-Coder-14B-Instruct-GPTQ-Int4', 'noop'),
      ],
    });
    const cli = await runCli(['run', '--config', config], dir);
    expect(cli.exitCode, cli.stderr).toBe(1);
    expect(cli.stderr).toMatch(/stopping Qwen\/Qwen2\.5-Coder-14B-Instruct-AWQ/);
    const summary = readSummary(onlyRunDir(path.join(dir, 'runs')));
    const outcomeOf = (id: string) => summary.specs.find((spec) => spec.spec.targetId === id)?.outcome.kind;
    // Each target was answered by its own model: the reference profile passes, noop fails.
    expect(outcomeOf('qwen14b-awq')).toBe('passed');
    expect(outcomeOf('qwen14b-gptq')).toBe('failed');
    expect(summary.servingMetrics?.map((record) => record.targetIds)).toEqual([['qwen14b-awq'], ['qwen14b-gptq']]);
  });
});
