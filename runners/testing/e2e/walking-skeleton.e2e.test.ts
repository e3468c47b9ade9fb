import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import { RUN_HOOK_TIMEOUT_MS, attemptOf, checkOf, onlyRunDir, readSummary, runCli, scriptedTarget, writeConfig, type CliResult } from '../support/harness-cli.ts';
import { expectNoWorkspaceProcesses } from '../support/processes.ts';
import { useSuiteWorkspace, useWorkspace } from '../support/workspace.ts';

/**
 * The walking skeleton end to end: the real CLI, the real OpenCode binary, real git, tsc,
 * eslint and vitest in each sandbox, against the scripted model's profiles.
 */
const PROFILES = ['reference', 'noop', 'core-write', 'env-read', 'type-error', 'text-tool-call', 'http-500', 'ask-question'];

describe('harness run against the scripted model', () => {
  const workspace = useSuiteWorkspace('harness-e2e-');
  let cli: CliResult;
  let runDir: string;
  let summary: RunSummary;

  beforeAll(async () => {
    const config = writeConfig(workspace.dir, { targets: PROFILES.map(scriptedTarget), concurrency: 2 });
    cli = await runCli(['run', '--config', config, '--scenario', 'add-stock-widget'], workspace);
    runDir = onlyRunDir(path.join(workspace.dir, 'runs'));
    summary = readSummary(runDir);
  }, RUN_HOOK_TIMEOUT_MS);

  it('completes the run, exits 1 because some attempts did not pass, and prints the report path last', () => {
    expect(cli.exitCode, cli.stderr).toBe(1);
    const lastLine = cli.stdout.trim().split('\n').at(-1) ?? '';
    expect(lastLine).toBe(path.join(runDir, 'report.html'));
    expect(existsSync(lastLine)).toBe(true);
    expect(summary.status).toBe('complete');
    expect(summary.scriptedModel).toBe(true);
  });

  it('reference: every check passes', () => {
    const attempt = attemptOf(summary, 'scripted-reference');
    expect(attempt.outcome, JSON.stringify(attempt.checks, null, 1)).toEqual({ kind: 'passed' });
    expect(attempt.checks.map((check) => check.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect(attempt.changedFiles.some((file) => file.startsWith('src/user-components/'))).toBe(true);
    expect(attempt.diff).toContain('+++ b/src/user-components/');
    const writes = attempt.transcript.filter((entry) => entry.type === 'tool' && entry.tool === 'write' && entry.status === 'completed');
    expect(writes.length).toBeGreaterThan(0);
  });

  it('noop: the hidden acceptance tests fail', () => {
    const attempt = attemptOf(summary, 'scripted-noop');
    expect(attempt.outcome).toMatchObject({ kind: 'failed' });
    const tests = checkOf(attempt, 'tests');
    expect(tests.status).toBe('failed');
    if (tests.status !== 'failed') return;
    const acceptance = tests.evidence.suites.find((suite) => suite.suite === 'acceptance');
    expect(acceptance?.failed).toBeGreaterThan(0);
    const fixture = tests.evidence.suites.find((suite) => suite.suite === 'fixture');
    expect(fixture?.failed).toBe(0);
  });

  it('core-write: a permission violation naming src/core', () => {
    const attempt = attemptOf(summary, 'scripted-core-write');
    expect(attempt.outcome).toMatchObject({ kind: 'failed' });
    const permissions = checkOf(attempt, 'permissions');
    expect(permissions.status).toBe('failed');
    if (permissions.status !== 'failed') return;
    expect(permissions.evidence.violations.some((violation) => violation.path?.startsWith('src/core/'))).toBe(true);
  });

  it('env-read: a denied-read violation on .env', () => {
    const attempt = attemptOf(summary, 'scripted-env-read');
    const permissions = checkOf(attempt, 'permissions');
    expect(permissions.status).toBe('failed');
    if (permissions.status !== 'failed') return;
    expect(permissions.evidence.violations).toContainEqual(expect.objectContaining({ kind: 'denied-read-attempt', path: '.env' }));
  });

  it('type-error: typecheck fails with the diagnostic', () => {
    const attempt = attemptOf(summary, 'scripted-type-error');
    const typecheck = checkOf(attempt, 'typecheck');
    expect(typecheck.status).toBe('failed');
    if (typecheck.status !== 'failed') return;
    expect(typecheck.evidence.diagnostics[0]?.file).toMatch(/^src\/user-components\//);
  });

  it('text-tool-call: flagged by agent health, not passed', () => {
    const attempt = attemptOf(summary, 'scripted-text-tool-call');
    expect(attempt.outcome.kind).toBe('failed');
    const health = checkOf(attempt, 'agent-health');
    expect(health.status).toBe('failed');
    if (health.status !== 'failed') return;
    expect(health.evidence.textToolCalls.length).toBeGreaterThan(0);
  });

  it('http-500: an endpoint infra error, never a model failure, recognised well before OpenCode gives up', () => {
    const attempt = attemptOf(summary, 'scripted-http-500');
    expect(attempt.outcome).toMatchObject({ kind: 'infra-error', source: 'endpoint' });
    expect(attempt.timings.agentMs).toBeLessThan(30_000);
    expect(summary.totals.infraErrors).toBe(1);
  });

  it('ask-question: the clarifying question is answered from the script and the attempt passes', () => {
    const attempt = attemptOf(summary, 'scripted-ask-question');
    const question = attempt.transcript.find((entry) => entry.type === 'question');
    expect(question).toBeDefined();
    if (question?.type !== 'question') return;
    expect(question.matchedBy[0]).not.toBe('default');
    expect(attempt.outcome).toEqual({ kind: 'passed' });
  });

  it('records timings for sandbox, agent and each check', () => {
    const attempt = attemptOf(summary, 'scripted-reference');
    expect(attempt.timings.sandboxMs).toBeGreaterThan(0);
    expect(attempt.timings.agentMs).toBeGreaterThan(0);
    expect(Object.keys(attempt.timings.checkMs).sort()).toEqual(['agent-health', 'lint', 'permissions', 'tests', 'typecheck']);
  });

  it('`harness report` rebuilds the same summary from the event log', async () => {
    const before = readFileSync(path.join(runDir, 'summary.json'), 'utf8');
    const rebuilt = await runCli(['report', runDir], workspace);
    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
    expect(readFileSync(path.join(runDir, 'summary.json'), 'utf8')).toBe(before);
    expect(rebuilt.stdout.trim()).toBe(path.join(runDir, 'report.html'));
  });

  it('the HTML report carries the scripted-model banner and the evidence', () => {
    const html = readFileSync(path.join(runDir, 'report.html'), 'utf8');
    expect(html).toMatch(/scripted model/i);
    expect(html).toContain('src/core/');
    expect(html).toContain('scripted-type-error');
  });
});

describe('harness run against a hanging model', () => {
  it('times out, stops its OpenCode server and leaves no orphan process', async () => {
    const workspace = useWorkspace('harness-e2e-hang-');
    const config = writeConfig(workspace.dir, { targets: [scriptedTarget('hang')], concurrency: 1 });
    const cli = await runCli(['run', '--config', config, '--scenario', 'add-stock-widget', '--attempt-timeout', '8000'], workspace);
    expect(cli.exitCode, cli.stderr).toBe(1);
    const summary = readSummary(onlyRunDir(path.join(workspace.dir, 'runs')));
    expect(summary.specs[0]?.outcome).toMatchObject({ kind: 'timed-out' });
    expect(summary.totals.timedOut).toBe(1);
    await expectNoWorkspaceProcesses(workspace);
  });
});

describe('bad input', () => {
  it('reports an invalid config with the file and field, exit code 2, and runs nothing', async () => {
    const workspace = useWorkspace('harness-e2e-bad-');
    const config = writeConfig(workspace.dir, { targets: [{ kind: 'openai-compatible', id: 'x', model: 'm', baseURL: 'not a url' }] });
    const cli = await runCli(['run', '--config', config], workspace);
    expect(cli.exitCode).toBe(2);
    expect(cli.stderr).toContain('harness.config.ts: targets[0].baseURL');
    expect(existsSync(path.join(workspace.dir, 'runs'))).toBe(false);
  });

  it('reports an unknown scenario in a filter', async () => {
    const workspace = useWorkspace('harness-e2e-bad-');
    const config = writeConfig(workspace.dir, { targets: [scriptedTarget('noop')] });
    const cli = await runCli(['run', '--config', config, '--scenario', 'no-such-scenario'], workspace);
    expect(cli.exitCode).toBe(2);
    expect(cli.stderr).toContain('no-such-scenario');
  });
});
