import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { PROJECT_ROOT, onlyRunDir, readSummary, runCli, writeConfig } from '../support/harness-cli.ts';
import { expectNoWorkspaceProcesses } from '../support/processes.ts';
import { useWorkspace } from '../support/workspace.ts';

const SWITCH_SCRIPT = path.join(PROJECT_ROOT, 'runners', 'endpoints', 'serving', 'test-support', 'switch-scripted-model.ts');

describe('harness run with two models that share one GPU', () => {
  it('brings each model up with its switch command, one group at a time, and measures the server', async () => {
    const workspace = useWorkspace('harness-e2e-switch-');
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const stateDir = path.join(workspace.dir, 'gpu-state');
    // The switch script leaves its last model server running, as a GPU host's would; the test stops it.
    onTestFinished(() => stopLastServer(stateDir));
    const target = (id: string, model: string, profile: string) => ({
      kind: 'openai-compatible',
      id,
      model,
      baseURL,
      quantization: id.endsWith('awq') ? 'awq-int4' : 'gptq-int4',
      serve: { command: [process.execPath, SWITCH_SCRIPT, stateDir, String(port), `${model}=${profile}`, '--load-ms', '300'], readyTimeoutMs: 60_000 },
    });
    const config = writeConfig(workspace.dir, {
      scenarios: ['add-stock-widget'],
      concurrency: 2,
      targets: [
        target('qwen14b-awq', 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ', 'reference'),
        target('qwen14b-gptq', 'Qwen/Qwen2.5-Coder-14B-Instruct-GPTQ-Int4', 'noop'),
      ],
    });
    const cli = await runCli(['run', '--config', config], workspace);
    expect(cli.exitCode, cli.stderr).toBe(1);
    expect(cli.stderr).toMatch(/stopping Qwen\/Qwen2\.5-Coder-14B-Instruct-AWQ/);
    const summary = readSummary(onlyRunDir(path.join(workspace.dir, 'runs')));
    const outcomeOf = (id: string) => summary.specs.find((spec) => spec.spec.targetId === id)?.outcome.kind;
    // Each target was answered by its own model: the reference profile passes, noop fails.
    expect(outcomeOf('qwen14b-awq')).toBe('passed');
    expect(outcomeOf('qwen14b-gptq')).toBe('failed');
    expect(summary.servingMetrics?.map((record) => record.targetIds)).toEqual([['qwen14b-awq'], ['qwen14b-gptq']]);
    stopLastServer(stateDir);
    await expectNoWorkspaceProcesses(workspace);
  });
});

function stopLastServer(stateDir: string): void {
  const pidFile = path.join(stateDir, 'server.pid');
  if (!existsSync(pidFile)) return;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
  } catch {
    // Already gone.
  }
}
