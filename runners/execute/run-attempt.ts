import path from 'node:path';
import { runChecks } from '../checks/run-checks.ts';
import type { CheckConfinement } from '../checks/run-command.ts';
import type { AgentRunResult, AttemptRecord, CheckResult, ResolvedScenario, ResolvedTarget, RunSpec } from '../domain.ts';
import type { LoadedFixture } from '../fixtures/load-fixture.ts';
import { driveSession } from '../opencode/drive-session.ts';
import { withMcpServers } from '../opencode/mcp-connections.ts';
import { scenarioToRules } from '../opencode/permission-rules.ts';
import { truncateText } from '../opencode/transcript.ts';
import { ZERO_TOKENS } from '../tokens.ts';
import { copyHiddenTests, createSandbox, findWritesBesideSandbox, writeSearchExclusions, type Sandbox } from '../sandbox/create-sandbox.ts';
import { acquireSandbox } from '../sandbox/reset-sandbox.ts';
import { collectChange } from '../sandbox/git.ts';
import { deriveOutcome } from './derive-outcome.ts';
import type { SessionHooks } from './endpoint-services.ts';
import { probeEndpoint } from './probe-endpoint.ts';
import type { Worker } from './worker-pool.ts';

export interface AttemptInputs {
  spec: RunSpec;
  attemptNumber: number;
  attemptId: string;
  scenario: ResolvedScenario;
  fixture: LoadedFixture;
  target: ResolvedTarget;
  agentName: string;
  providerId: string;
  /** The target's OpenAI-compatible base URL, probed before the agent starts. */
  endpointBaseURL: string;
  timeoutMs: number;
  checkTimeoutMs: number;
  endpointRetryLimit: number;
  /** The agent's step limit per user turn; a turn that goes past it is stopped (the model's fault). */
  maxStepsPerTurn?: number | undefined;
  /** Keep the sandbox on disk after the attempt (for debugging). */
  keepSandbox: boolean;
  /** Environment for git and the checks: no host secrets. */
  toolEnv: Record<string, string>;
  /** How the checks' subprocesses are confined (the run's isolation); unconfined when absent. */
  checkConfinement?: CheckConfinement | undefined;
  /** Recording and replay bind to the session through these. */
  hooks: SessionHooks;
}

const MAX_DIFF_CHARS = 200_000;

/** One attempt: fresh sandbox → agent session → checks → teardown. Never throws for outcomes. */
export async function runAttempt(inputs: AttemptInputs, worker: Worker): Promise<AttemptRecord> {
  const startedAt = new Date();
  const { attemptId } = inputs;
  const clock = { sandboxMs: 0, agentMs: 0, checksMs: 0 };
  let sandbox: Sandbox | undefined;
  let agent: AgentRunResult;
  let checks: CheckResult[] = [];
  let change = { diff: '', changedFiles: [] as string[] };
  try {
    const sandboxStart = Date.now();
    sandbox = await prepareSandbox(inputs, worker);
    await writeSearchExclusions(sandbox.dir, inputs.scenario.policy.read.deny);
    clock.sandboxMs = Date.now() - sandboxStart;

    const agentStart = Date.now();
    await inputs.hooks.before(sandbox.dir);
    agent = await runAgent(inputs, worker, sandbox);
    clock.agentMs = Date.now() - agentStart;
    worker.attemptsRun += 1;

    if (agent.status !== 'infra-error') {
      const checksStart = Date.now();
      change = await collectChange(sandbox.dir, sandbox.baselineCommit, inputs.toolEnv);
      const outsideWrites = await findWritesBesideSandbox(sandbox);
      await copyHiddenTests(inputs.scenario.hiddenTestsDir, sandbox.dir, inputs.scenario.hiddenTestsTarget);
      checks = await runChecks({
        sandboxDir: sandbox.dir,
        fixture: inputs.fixture,
        scenario: inputs.scenario,
        changedFiles: change.changedFiles,
        transcript: agent.transcript,
        outsideWrites,
        env: inputs.toolEnv,
        timeoutMs: inputs.checkTimeoutMs,
        confinement: inputs.checkConfinement,
      });
      clock.checksMs = Date.now() - checksStart;
    }
  } catch (error) {
    // The sandbox may be in any state: never reuse it.
    worker.sandboxes.delete(inputs.fixture.name);
    agent = {
      status: 'infra-error',
      transcript: [],
      tokens: ZERO_TOKENS,
      costUsd: 0,
      source: 'harness',
      message: truncateText(error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error), 4000),
    };
  }
  const finishedAt = new Date();
  return inputs.hooks.after({
    specId: inputs.spec.id,
    attemptId,
    attemptNumber: inputs.attemptNumber,
    outcome: deriveOutcome(agent, checks),
    checks,
    transcript: agent.transcript,
    diff: truncateText(change.diff, MAX_DIFF_CHARS),
    changedFiles: change.changedFiles,
    tokens: agent.tokens,
    costUsd: agent.costUsd,
    sessionId: agent.sessionId,
    timings: {
      ...clock,
      totalMs: finishedAt.getTime() - startedAt.getTime(),
      checkMs: Object.fromEntries(checks.map((check) => [check.check, check.durationMs])),
    },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
  });
}

/**
 * A sandbox identical to a fresh fixture copy. By default the worker's sandbox of this fixture is
 * reset and reused, which keeps OpenCode's per-directory instance warm (its boot is the largest
 * fixed cost of an attempt); with keepSandbox each attempt gets its own folder, left on disk.
 */
async function prepareSandbox(inputs: AttemptInputs, worker: Worker): Promise<Sandbox> {
  if (inputs.keepSandbox) return createSandbox(inputs.fixture, path.join(worker.root, 'attempts', inputs.attemptId), inputs.toolEnv);
  const previous = worker.sandboxes.get(inputs.fixture.name);
  const reuse = await acquireSandbox(previous, inputs.fixture, path.join(worker.root, 'sandboxes', inputs.fixture.name), inputs.toolEnv);
  if (reuse.kind === 'created' && previous !== undefined) {
    await worker.server.client.instance.dispose({ directory: previous.dir }).catch(() => undefined);
  }
  worker.sandboxes.set(inputs.fixture.name, reuse.sandbox);
  return reuse.sandbox;
}

async function runAgent(inputs: AttemptInputs, worker: Worker, sandbox: Sandbox): Promise<AgentRunResult> {
  const probe = await probeEndpoint(inputs.endpointBaseURL, inputs.target);
  if (probe.status === 'down') {
    return { status: 'infra-error', transcript: [], tokens: ZERO_TOKENS, costUsd: 0, source: 'endpoint', message: probe.message };
  }
  if (!worker.server.isAlive()) {
    return { status: 'infra-error', transcript: [], tokens: ZERO_TOKENS, costUsd: 0, source: 'opencode', message: `OpenCode server is not running:\n${worker.server.logTail()}` };
  }
  const session = () =>
    driveSession({
      client: worker.server.client,
      hub: worker.hub,
      serverExited: worker.server.exited,
      serverLogTail: worker.server.logTail,
      directory: sandbox.dir,
      title: `${inputs.spec.scenarioId} · ${inputs.spec.targetId} · ${inputs.spec.promptVariantId} · #${inputs.spec.repeatIndex}`,
      scenario: inputs.scenario,
      agentName: inputs.agentName,
      providerId: inputs.providerId,
      modelId: inputs.target.model,
      rules: scenarioToRules(inputs.scenario, sandbox.dir),
      timeoutMs: inputs.timeoutMs,
      endpointRetryLimit: inputs.endpointRetryLimit,
      maxStepsPerTurn: inputs.maxStepsPerTurn,
    });
  const mcpFailed = (message: string): AgentRunResult => ({ status: 'infra-error', transcript: [], tokens: ZERO_TOKENS, costUsd: 0, source: 'harness', message });
  return withMcpServers(worker.server.client, sandbox.dir, inputs.scenario.mcpServers, session, mcpFailed);
}

/** The record of an attempt that could not even start (e.g. no OpenCode server could be had). */
export function buildInfraAttempt(spec: RunSpec, attemptNumber: number, attemptId: string, error: unknown): AttemptRecord {
  const now = new Date().toISOString();
  const message = truncateText(error instanceof Error ? error.message : String(error), 4000);
  return {
    specId: spec.id,
    attemptId,
    attemptNumber,
    outcome: { kind: 'infra-error', source: 'opencode', message: `could not start an OpenCode server: ${message}` },
    checks: [],
    transcript: [],
    diff: '',
    changedFiles: [],
    tokens: ZERO_TOKENS,
    costUsd: 0,
    timings: { sandboxMs: 0, agentMs: 0, checksMs: 0, totalMs: 0, checkMs: {} },
    startedAt: now,
    finishedAt: now,
  };
}
