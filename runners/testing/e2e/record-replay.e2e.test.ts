import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import { PROJECT_ROOT, RUN_HOOK_TIMEOUT_MS, onlyRunDir, readSummary, runCli, writeConfig, type CliResult } from '../support/harness-cli.ts';
import { expectNoWorkspaceProcesses } from '../support/processes.ts';
import { useSuiteWorkspace, type Workspace } from '../support/workspace.ts';
import { loadScenario } from '../../inputs/scenarios/load-scenarios.ts';
import { startScriptedModelServer, type CapturedRequest, type ScriptedModelServer } from '../../endpoints/scripted-model/scripted-model-server.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import { linkSessionCassettes, listCassetteIds, readCassette } from '../../endpoints/replay/cassette.ts';
import { startRecordingProxy, type RecordingProxy } from '../../endpoints/replay/recording-proxy.ts';
import { startReplayServer, type ReplayServer } from '../../endpoints/replay/replay-server.ts';

/**
 * The live path without a GPU: the real CLI drives the real OpenCode against an emulated vLLM
 * behind the recording proxy; the cassettes are then replayed to a second run, which must
 * reach the same outcomes and check results, and a changed request must be a replay miss.
 */
const QWEN = 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ';
const QWEN_TEXT = 'Qwen/Qwen2.5-Coder-7B-Instruct';
const SAMPLING = { temperature: 0.2, topP: 0.9, seed: 7 };
const OUTPUT_LIMIT = 3000;

function targets(baseURL: string, sampling: Record<string, number> = SAMPLING): Array<Record<string, unknown>> {
  return [
    { kind: 'openai-compatible', id: 'qwen14b-awq', model: QWEN, baseURL, quantization: 'awq-int4', limits: { context: 32768, output: OUTPUT_LIMIT }, sampling },
    { kind: 'openai-compatible', id: 'qwen7b-text', model: QWEN_TEXT, baseURL, quantization: 'fp16', limits: { context: 32768, output: OUTPUT_LIMIT }, sampling },
  ];
}

interface RunResult {
  cli: CliResult;
  summary: RunSummary;
}

/** A run of its own (config and runs in `<workspace>/<name>`), with the workspace's TMPDIR. */
async function runHarness(workspace: Workspace, name: string, runTargets: Array<Record<string, unknown>>, extra: string[] = []): Promise<RunResult> {
  const dir = path.join(workspace.dir, name);
  mkdirSync(dir);
  const config = writeConfig(dir, { targets: runTargets, concurrency: 2 });
  const cli = await runCli(['run', '--config', config, '--scenario', 'add-stock-widget', ...extra], workspace);
  const summary = readSummary(onlyRunDir(path.join(dir, 'runs')));
  return { cli, summary };
}

function attemptsOf(summary: RunSummary): AttemptRecord[] {
  return summary.specs.flatMap((spec) => spec.attempts);
}

/**
 * What a re-check must reproduce: per spec, the outcome and each check's status and findings.
 * Evidence can quote the run's own temporary sandbox path (under the TMPDIR the harness got),
 * which differs between any two runs.
 */
function verdicts(summary: RunSummary, tmp: string): unknown {
  const temporaryRoot = new RegExp(`${tmp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/harness-[^/"\\\\]*`, 'g');
  return JSON.parse(JSON.stringify(verdictsOf(summary)).replace(temporaryRoot, '<run temp>')) as unknown;
}

function verdictsOf(summary: RunSummary): unknown[] {
  return summary.specs.map((spec) => ({
    spec: spec.spec,
    outcome: spec.outcome,
    attempts: spec.attempts.map((attempt) => ({
      attemptId: attempt.attemptId,
      outcome: attempt.outcome,
      checks: attempt.checks.map((check) => (check.status === 'errored' ? { check: check.check, status: check.status } : { check: check.check, status: check.status, evidence: check.evidence })),
      changedFiles: attempt.changedFiles,
      diff: attempt.diff,
    })),
  }));
}

describe('record a live run, replay it without the model', () => {
  const workspace = useSuiteWorkspace('harness-e2e-replay-');
  let upstream: ScriptedModelServer;
  let proxy: RecordingProxy;
  let cassettesDir: string;
  const captured: CapturedRequest[] = [];
  let recorded: RunResult;

  beforeAll(async () => {
    cassettesDir = path.join(workspace.dir, 'cassettes');
    upstream = await startScriptedModelServer({
      scenarios: [loadScenario(path.join(PROJECT_ROOT, 'scenarios'), 'add-stock-widget')],
      servedModels: { [QWEN]: 'reference', [QWEN_TEXT]: 'qwen-like' },
      textToolCallRate: 1,
      onRequest: (request) => captured.push(request),
    });
    proxy = await startRecordingProxy({ upstreamBaseURL: upstream.baseURL, cassettesDir });
    recorded = await runHarness(workspace, 'record', targets(proxy.baseURL));
  }, RUN_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('the recorded run completes: the reference model passes, the text-tool-call model fails agent health', () => {
    expect(recorded.summary.status, recorded.cli.stderr).toBe('complete');
    const byTarget = new Map(recorded.summary.specs.map((spec) => [spec.spec.targetId, spec.outcome]));
    expect(byTarget.get('qwen14b-awq')).toEqual({ kind: 'passed' });
    expect(byTarget.get('qwen7b-text')).toMatchObject({ kind: 'failed', failedChecks: expect.arrayContaining(['agent-health']) });
  });

  it('OpenCode sends max_tokens = limits.output and the configured sampling, and makes no title-generation request', () => {
    const chats = captured.filter((request) => request.path === '/v1/chat/completions');
    expect(chats.length).toBeGreaterThanOrEqual(3);
    for (const request of chats) {
      const body = JSON.parse(request.body) as Record<string, unknown>;
      expect(body).toMatchObject({ max_tokens: OUTPUT_LIMIT, temperature: SAMPLING.temperature, top_p: SAMPLING.topP, seed: SAMPLING.seed, tool_choice: 'auto', stream: true });
      expect((body.tools as unknown[]).length).toBeGreaterThan(0);
      expect(request.body).not.toMatch(/title generator/i);
      expect(request.headers['x-session-id']).toMatch(/^ses_/);
    }
  });

  it('writes one cassette per attempt (per OpenCode session), holding each of its exchanges', () => {
    const attempts = attemptsOf(recorded.summary);
    const cassettes = listCassetteIds(cassettesDir);
    expect(cassettes).toHaveLength(attempts.length);
    expect(readdirSync(cassettesDir)).not.toContain('unattributed.jsonl');
    const exchanges = cassettes.reduce((sum, id) => {
      const read = readCassette(cassettesDir, id);
      return sum + (read.status === 'read' ? read.entries.length : 0);
    }, 0);
    expect(exchanges).toBe(captured.filter((request) => request.path === '/v1/chat/completions').length);
    // Cassettes of sessions whose attempt records carry the session id are renamed to the attempt id.
    const { linked, leftOver } = linkSessionCassettes(cassettesDir, attempts);
    expect(linked.length + leftOver.length).toBe(attempts.length);
  });

  describe('replaying the cassettes', () => {
    let replay: ReplayServer;
    let replayed: RunResult;

    beforeAll(async () => {
      await upstream.close();
      replay = await startReplayServer({ cassettesDir });
      replayed = await runHarness(workspace, 'replay', targets(replay.baseURL));
    }, RUN_HOOK_TIMEOUT_MS);

    afterAll(async () => {
      await replay.close();
    });

    it('reaches the same outcomes, check results, changed files and diffs, with no miss', () => {
      expect(replay.misses()).toEqual([]);
      expect(replayed.summary.status, replayed.cli.stderr).toBe('complete');
      expect(verdicts(replayed.summary, workspace.tmp)).toEqual(verdicts(recorded.summary, workspace.tmp));
      expect(replayed.summary.totals).toEqual(recorded.summary.totals);
      expect(replayed.cli.exitCode).toBe(recorded.cli.exitCode);
    });

    it('played every cassette to its end', () => {
      const played = replay.playedCassettes();
      expect(played).toHaveLength(attemptsOf(recorded.summary).length);
      for (const cassette of played) expect(cassette, cassette.cassetteId).toMatchObject({ unused: 0 });
    });
  });

  describe('a replay that departs from the recording', () => {
    let replay: ReplayServer;
    let missed: RunResult;

    beforeAll(async () => {
      replay = await startReplayServer({ cassettesDir });
      missed = await runHarness(workspace, 'miss', targets(replay.baseURL, { ...SAMPLING, temperature: 0.7 }), ['--target', 'qwen14b-awq']);
    }, RUN_HOOK_TIMEOUT_MS);

    afterAll(async () => {
      await replay.close();
    });

    it('is an endpoint infra error naming the miss, never a pass or a model failure', () => {
      const attempt = attemptsOf(missed.summary)[0];
      expect(attempt?.outcome).toMatchObject({ kind: 'infra-error', source: 'endpoint', message: expect.stringContaining('replay miss') });
      expect(attempt?.outcome.kind === 'infra-error' ? attempt.outcome.message : '').toContain('temperature');
      expect(missed.summary.totals.passed).toBe(0);
      expect(replay.misses()[0]?.reason).toMatch(/differs from recorded exchange #0 at temperature: recorded 0\.2, requested 0\.7/);
    });

    it('leaves no process behind', async () => {
      await expectNoWorkspaceProcesses(workspace);
    });
  });
});
