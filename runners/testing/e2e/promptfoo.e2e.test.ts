import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { execa } from 'execa';
import type { EvaluateResult, EvaluateSummaryV3 } from 'promptfoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventLog } from '../../pipeline/events/event-log.ts';
import type { HarnessAttemptMetadata } from '../../commands/promptfoo/attempt-metadata.ts';
import { PROMPTFOO_PRIVATE_ENV } from '../../commands/promptfoo/promptfoo-env.ts';
import { PROJECT_ROOT, RUN_HOOK_TIMEOUT_MS, runCli, scriptedTarget, writeConfig } from '../support/harness-cli.ts';
import { expectNoWorkspaceProcesses, listWorkspaceOpencode } from '../support/processes.ts';
import { waitFor } from '../support/wait-for.ts';
import { useSuiteWorkspace, useWorkspace } from '../support/workspace.ts';

/**
 * promptfoo drives the harness: `promptfoo eval` with the example config, restricted to one
 * scenario and two scripted targets, two repeats each. Real promptfoo, OpenCode, git and checks.
 */
const PROMPTFOO_CLI = path.join(PROJECT_ROOT, 'node_modules', 'promptfoo', 'dist', 'src', 'entrypoint.js');
const EXAMPLE_CONFIG = path.join(PROJECT_ROOT, 'runners', 'commands', 'promptfoo', 'promptfooconfig.yaml');

interface PromptfooOutput {
  evalId: string;
  results: EvaluateSummaryV3;
}

/** An HTTP proxy that refuses everything and remembers where promptfoo tried to go. */
async function startRefusingProxy(): Promise<{ url: string; attempted: string[]; close: () => Promise<void> }> {
  const attempted: string[] = [];
  const server = http.createServer((request, response) => {
    attempted.push(request.headers.host ?? request.url ?? '?');
    response.writeHead(403).end();
  });
  server.on('connect', (request: http.IncomingMessage, socket: Duplex) => {
    attempted.push(request.url ?? '?');
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, attempted, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('promptfoo eval with the harness provider and assertion', () => {
  const workspace = useSuiteWorkspace('harness-e2e-promptfoo-');
  let workDir: string;
  let proxy: Awaited<ReturnType<typeof startRefusingProxy>>;
  let env: Record<string, string>;
  let evalRun: { exitCode: number; stderr: string };
  let output: PromptfooOutput;

  async function promptfoo(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const result = await execa(process.execPath, [PROMPTFOO_CLI, ...args], { cwd: workDir, env, extendEnv: false, reject: false, timeout: 480_000 });
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  }

  function resultsOf(label: string): EvaluateResult[] {
    return output.results.results.filter((result) => result.provider.label === label);
  }

  function harnessOf(result: EvaluateResult): HarnessAttemptMetadata {
    return result.response?.metadata?.harness as HarnessAttemptMetadata;
  }

  beforeAll(async () => {
    workDir = workspace.dir;
    mkdirSync(path.join(workDir, 'home'));
    // The example config reads harness.config.ts from the working directory: this one writes runs here.
    writeConfig(workDir, { targets: [scriptedTarget('reference'), scriptedTarget('core-write')], concurrency: 2 });
    proxy = await startRefusingProxy();
    env = {
      ...PROMPTFOO_PRIVATE_ENV,
      PROMPTFOO_CONFIG_DIR: path.join(workDir, 'promptfoo'),
      HOME: path.join(workDir, 'home'),
      PATH: [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
      NO_PROXY: '127.0.0.1,localhost',
      NO_COLOR: '1',
      ...workspace.env,
    };
    evalRun = await promptfoo([
      'eval', '-c', EXAMPLE_CONFIG,
      '--filter-pattern', '^add-stock-widget$',
      '--filter-providers', '^scripted-(reference|core-write)/',
      '--repeat', '2', '--no-cache', '--no-progress-bar', '--no-table',
      '-o', path.join(workDir, 'out.json'),
    ]);
    output = JSON.parse(readFileSync(path.join(workDir, 'out.json'), 'utf8')) as PromptfooOutput;
  }, RUN_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await proxy.close();
  });

  it('completes, with promptfoo’s failed-tests exit code: one profile passes, the other fails', () => {
    expect(evalRun.exitCode, evalRun.stderr).toBe(100);
    expect(output.results.results).toHaveLength(4);
    expect(output.results.stats).toMatchObject({ successes: 2, failures: 2, errors: 0 });
  });

  it('scripted-reference: passes, every check a passing component result', () => {
    const results = resultsOf('scripted-reference/default');
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result.success, result.error ?? '').toBe(true);
      const components = result.gradingResult?.componentResults?.filter((item) => item.assertion?.metric !== undefined) ?? [];
      expect(components.map((item) => [item.assertion?.metric, item.pass])).toEqual(
        expect.arrayContaining([['typecheck', true], ['lint', true], ['tests', true], ['permissions', true], ['agent-health', true]]),
      );
      expect(result.namedScores).toEqual({ typecheck: 1, lint: 1, tests: 1, permissions: 1, 'agent-health': 1 });
      expect(result.response?.output).toContain('+++ b/src/user-components/');
      expect(result.response?.tokenUsage?.total).toBeGreaterThan(0);
    }
  });

  it('scripted-core-write: fails on an assertion (not an error), naming the violation', () => {
    const results = resultsOf('scripted-core-write/default');
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result.success).toBe(false);
      expect(result.failureReason).toBe(1);
      const permissions = result.gradingResult?.componentResults?.find((item) => item.assertion?.metric === 'permissions');
      expect(permissions?.pass).toBe(false);
      expect(permissions?.reason).toMatch(/permissions failed: 1 violation — \S+ src\/core\/\S+/);
      expect(result.gradingResult?.reason).toContain('src/core/');
      expect(harnessOf(result).outcome).toMatchObject({ kind: 'failed', failedChecks: expect.arrayContaining(['permissions']) });
    }
  });

  it('runs each repeat as its own attempt, in its own run folder with an event log', () => {
    const attempts = output.results.results.map(harnessOf);
    expect(new Set(attempts.map((attempt) => attempt.runDir)).size).toBe(4);
    expect(attempts.map((attempt) => `${attempt.targetId}#${attempt.repeatIndex}`).sort()).toEqual([
      'scripted-core-write#0', 'scripted-core-write#1', 'scripted-reference#0', 'scripted-reference#1',
    ]);
    for (const attempt of attempts) {
      expect(path.dirname(attempt.runDir)).toBe(path.join(workDir, 'runs'));
      const { events } = readEventLog(attempt.runDir);
      expect(events.map((event) => event.type)).toEqual(['run.started', 'attempt.started', 'attempt.finished', 'run.finished']);
    }
  });

  it('keeps telemetry and update checks off: the only request promptfoo attempts is its known opt-out event, refused', () => {
    expect(proxy.attempted.filter((host) => !host.startsWith('r.promptfoo.app'))).toEqual([]);
  });

  it('`harness export --format promptfoo` writes a file `promptfoo import` accepts and `promptfoo list evals` shows', async () => {
    const coreWrite = resultsOf('scripted-core-write/default')[0];
    if (coreWrite === undefined) throw new Error('no core-write result');
    const runDir = harnessOf(coreWrite).runDir;
    const exportFile = path.join(workDir, 'harness-export.json');
    const exported = await runCli(['export', '--format', 'promptfoo', runDir, '--out', exportFile], workspace);
    expect(exported.exitCode, exported.stderr).toBe(0);
    expect(exported.stdout.trim()).toBe(exportFile);
    const { evalId } = JSON.parse(readFileSync(exportFile, 'utf8')) as PromptfooOutput;

    const imported = await promptfoo(['import', exportFile]);
    expect(imported.exitCode, imported.stderr).toBe(0);
    const listed = await promptfoo(['list', 'evals', '--ids-only']);
    expect(listed.stdout.split('\n').map((line) => line.trim())).toContain(evalId);

    const backFile = path.join(workDir, 'back.json');
    const back = await promptfoo(['export', 'eval', evalId, '-o', backFile]);
    expect(back.exitCode, back.stderr).toBe(0);
    expect(existsSync(backFile)).toBe(true);
    const [row] = (JSON.parse(readFileSync(backFile, 'utf8')) as PromptfooOutput).results.results;
    expect(row?.success).toBe(false);
    expect(row?.gradingResult?.componentResults?.find((item) => item.assertion?.metric === 'permissions')?.reason).toMatch(/src\/core\//);
  });
});

describe('Ctrl+C during a promptfoo eval', () => {
  it('leaves no OpenCode server running, even without promptfoo’s own handler (--no-write)', async () => {
    const workspace = useWorkspace('harness-e2e-promptfoo-int-');
    const workDir = workspace.dir;
    mkdirSync(path.join(workDir, 'home'));
    writeConfig(workDir, { targets: [scriptedTarget('reference')], concurrency: 1 });
    const env = {
      ...PROMPTFOO_PRIVATE_ENV,
      PROMPTFOO_CONFIG_DIR: path.join(workDir, 'promptfoo'),
      HOME: path.join(workDir, 'home'),
      PATH: [path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
      ...workspace.env,
    };
    const args = ['eval', '-c', EXAMPLE_CONFIG, '--filter-pattern', '^add-stock-widget$', '--filter-providers', '^scripted-reference/', '--no-cache', '--no-write', '--no-progress-bar', '--no-table'];
    const child = execa(process.execPath, [PROMPTFOO_CLI, ...args], { cwd: workDir, env, extendEnv: false, reject: false, timeout: 120_000 });
    await waitFor(() => listWorkspaceOpencode(workspace).length > 0, { timeoutMs: 60_000, what: 'an OpenCode server of the eval', intervalMs: 200 });
    child.kill('SIGINT');
    await child;
    await expectNoWorkspaceProcesses(workspace);
  });
});
