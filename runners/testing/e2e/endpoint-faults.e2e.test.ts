import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import { GARBAGE_TOOL_NAME } from '../../endpoints/scripted-model/profiles/fault-profiles.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import { listRunDirs } from '../support/event-logs.ts';
import { freePort } from '../support/free-port.ts';
import { RUN_HOOK_TIMEOUT_MS, checkOf, readSummary, runCli, scriptedTarget, writeConfig, type CliResult } from '../support/harness-cli.ts';
import { expectNoWorkspaceProcesses } from '../support/processes.ts';
import { useSuiteWorkspace } from '../support/workspace.ts';

/**
 * Every way the model endpoint can fail, in one run beside a target that works. Which outcome
 * each must end as (README, "Reliability"):
 * - the endpoint's fault — 5xx, connection refused, a stream dropped midway, malformed SSE, a
 *   malformed JSON body, an endpoint that accepts the request and never sends a byte (stopped by
 *   the model proxy after endpointStallMs) — is an infra error, retried as a new attempt, never
 *   the model's failure;
 * - an endpoint that keeps streaming, but slower than the attempt's time limit, times out;
 * - a well-formed stream whose tool call is nonsense is the model's doing: failed, not infra.
 * And the rest of the run completes: the reference target passes.
 */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** Longer than slow-stream's 2 s between chunks, well within the attempt's time limit. */
const STALL_MS = 4_000;
const INFRA_PROFILES = ['http-500', 'drop-mid-stream', 'malformed-sse', 'malformed-json', 'hang'];
const TIMEOUT_PROFILES = ['slow-stream'];

describe('endpoint faults in one run', () => {
  const workspace = useSuiteWorkspace('harness-e2e-endpoint-faults-');
  let cli: CliResult;
  let summary: RunSummary;
  const attemptsOf = (targetId: string): AttemptRecord[] => summary.specs.find((spec) => spec.spec.targetId === targetId)?.attempts ?? [];

  beforeAll(async () => {
    const refused = { kind: 'openai-compatible', id: 'connection-refused', model: 'Qwen/Qwen2.5-Coder-14B-Instruct', baseURL: `http://127.0.0.1:${await freePort()}/v1` };
    const targets = [scriptedTarget('reference'), refused, ...[...INFRA_PROFILES, ...TIMEOUT_PROFILES, 'garbage-tool-call'].map(scriptedTarget)];
    const config = writeConfig(workspace.dir, { targets, scenarios: ['add-stock-widget'], concurrency: 2, infraRetries: 1, retryBackoffMs: 200, endpointRetryLimit: 1, endpointStallMs: STALL_MS });
    cli = await runCli(['run', '--config', config, '--attempt-timeout', String(ATTEMPT_TIMEOUT_MS)], workspace);
    const [runDir] = listRunDirs(path.join(workspace.dir, 'runs'));
    summary = readSummary(runDir ?? '');
  }, RUN_HOOK_TIMEOUT_MS);

  it('completes the run, and the working target passes', () => {
    expect(cli.exitCode, cli.stderr).toBe(1);
    expect(summary.status).toBe('complete');
    expect(attemptsOf('scripted-reference').map((attempt) => attempt.outcome)).toEqual([{ kind: 'passed' }]);
  });

  it.each(INFRA_PROFILES.map((profile) => [profile]))('%s: an endpoint infra error, retried once as a new attempt', (profile) => {
    const attempts = attemptsOf(`scripted-${profile}`);
    expect(attempts.map((attempt) => attempt.attemptNumber)).toEqual([1, 2]);
    for (const attempt of attempts) {
      expect(attempt.outcome, JSON.stringify(attempt.transcript.slice(0, 6))).toMatchObject({ kind: 'infra-error', source: 'endpoint' });
      expect(attempt.checks).toEqual([]);
    }
  });

  it('malformed JSON: named as answers that could not be read, not left to the time limit', () => {
    const [first] = attemptsOf('scripted-malformed-json');
    expect(first?.outcome).toMatchObject({ message: expect.stringContaining("answers could not be read") });
    expect(first?.timings.agentMs).toBeLessThan(ATTEMPT_TIMEOUT_MS);
  });

  it('hang: stopped by the model proxy at the stall limit and named as a hung endpoint, not left to the time limit', () => {
    const [first] = attemptsOf('scripted-hang');
    expect(first?.outcome).toMatchObject({ kind: 'infra-error', source: 'endpoint', message: expect.stringContaining('endpoint hung: the endpoint of target scripted-hang sent nothing for') });
    expect(first?.timings.agentMs).toBeLessThan(ATTEMPT_TIMEOUT_MS);
  });

  it('connection refused: an endpoint infra error at once, retried', () => {
    const attempts = attemptsOf('connection-refused');
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) expect(attempt.outcome).toMatchObject({ kind: 'infra-error', source: 'endpoint', message: expect.stringContaining('unreachable') });
  });

  it.each(TIMEOUT_PROFILES.map((profile) => [profile]))('%s: timed out at the attempt limit, and not retried', (profile) => {
    const attempts = attemptsOf(`scripted-${profile}`);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.outcome.kind).toBe('timed-out');
  });

  it('a nonsense tool call in a well-formed stream is the model’s: failed, with the call in agent health', () => {
    const attempts = attemptsOf('scripted-garbage-tool-call');
    expect(attempts).toHaveLength(1);
    const [attempt] = attempts;
    expect(attempt?.outcome.kind).toBe('failed');
    if (attempt === undefined) return;
    const health = checkOf(attempt, 'agent-health');
    expect(health.status === 'errored' ? [] : health.evidence.invalidToolCalls).toEqual([expect.objectContaining({ tool: GARBAGE_TOOL_NAME })]);
  });

  it('counts outages apart from the model: six infra errors, one time-out, one failure', () => {
    expect(summary.totals).toMatchObject({ specs: 9, passed: 1, failed: 1, timedOut: 1, infraErrors: 6, pending: 0 });
  });

  it('leaves no process behind', async () => {
    await expectNoWorkspaceProcesses(workspace);
  });
});
