import path from 'node:path';
import { addPermissionViolations, findSecretExposures } from '../../attempt/checks/find-secret-exposures.ts';
import { runChecks, type CheckContext } from '../../attempt/checks/run-checks.ts';
import { driveSession, type DriveSessionOptions } from '../../attempt/opencode/drive-session.ts';
import { withMcpServers } from '../../attempt/opencode/mcp-connections.ts';
import { scenarioToRules } from '../../attempt/opencode/permission-rules.ts';
import { writeWorkerInstructions } from '../../attempt/opencode/opencode-env.ts';
import { copyHiddenTests, createSandbox, findWritesBesideSandbox, writeSearchExclusions, type Sandbox } from '../../attempt/sandbox/create-sandbox.ts';
import { collectChange } from '../../attempt/sandbox/git.ts';
import { publishChange } from '../../attempt/sandbox/publish-change.ts';
import type { PublishedChange, TurnRecord } from '../../core/domain/attempt.ts';
import { createTurnTracker, type TurnTracker } from './turn-tracker.ts';
import { acquireSandbox } from '../../attempt/sandbox/reset-sandbox.ts';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import { describeFault, infraAgentResult } from '../../core/domain/attempt-records.ts';
import type { CheckResult } from '../../core/domain/check-result.ts';
import type { EgressAttempt } from '../../core/domain/egress.ts';
import { isContainmentError } from '../../core/errors.ts';
import type { EndpointStall } from '../../endpoints/model-proxy/model-proxy.ts';
import type { AgentRunResult } from '../../core/domain/transcript.ts';
import { truncateText } from '../../core/text.ts';
import { deriveOutcome } from './derive-outcome.ts';
import { probeEndpoint } from './probe-endpoint.ts';
import type { ResolvedAttempt, RunEnvironment } from './run-environment.ts';
import { webAllowListOf } from './run-network.ts';
import type { Worker } from './worker-pool.ts';

const MAX_DIFF_CHARS = 200_000;

/** One attempt: fresh sandbox → agent session → checks → teardown. Never throws for outcomes. */
export async function runAttempt(environment: RunEnvironment, attempt: ResolvedAttempt, worker: Worker): Promise<AttemptRecord> {
  const startedAt = new Date();
  const clock = { sandboxMs: 0, agentMs: 0, checksMs: 0 };
  let agent: AgentRunResult;
  let checks: CheckResult[] = [];
  let change = { diff: '', changedFiles: [] as string[] };
  let turns: TurnRecord[] | undefined;
  let published: PublishedChange | undefined;
  try {
    const sandboxStart = Date.now();
    const sandbox = await prepareSandbox(environment, attempt, worker);
    await writeSearchExclusions(sandbox.dir, attempt.scenario.policy.read.deny);
    clock.sandboxMs = Date.now() - sandboxStart;

    const agentStart = Date.now();
    await attempt.hooks.before(sandbox.dir);
    const tracker = createTurnTracker({
      sandboxDir: sandbox.dir,
      baselineCommit: sandbox.baselineCommit,
      env: environment.toolEnv,
      checkContext: attempt.scenario.checksAfterEachTurn && attempt.scenario.turns.length > 1 ? baseCheckContext(environment, attempt, sandbox) : undefined,
    });
    const session = await runContainedAgent(environment, attempt, worker, sandbox, tracker);
    agent = session.agent;
    clock.agentMs = Date.now() - agentStart;
    worker.attemptsRun += 1;
    turns = tracker.turns();

    if (agent.status !== 'infra-error') {
      const checksStart = Date.now();
      change = await collectChange(sandbox.dir, sandbox.baselineCommit, environment.toolEnv);
      published = await publishAttemptChange(environment, attempt, sandbox);
      const outsideWrites = await findWritesBesideSandbox(sandbox);
      await copyHiddenTests(attempt.scenario.hiddenTestsDir, sandbox.dir, attempt.scenario.hiddenTestsTarget);
      const context = { ...baseCheckContext(environment, attempt, sandbox), changedFiles: change.changedFiles, transcript: agent.transcript, outsideWrites, turns, publishedChange: published, agentEgress: session.egress };
      checks = await runChecks(context);
      checks = addPermissionViolations(checks, findSecretExposures(environment.redactor, { transcript: agent.transcript, diff: change.diff }));
      clock.checksMs = Date.now() - checksStart;
    }
  } catch (error) {
    // The run cannot go on unprotected: a containment failure stops it.
    if (isContainmentError(error)) throw error;
    // The sandbox may be in any state: never reuse it.
    worker.sandboxes.delete(attempt.fixture.name);
    agent = infraAgentResult('harness', describeFault(error, true));
  }
  const finishedAt = new Date();
  // Whatever secret the agent came across is recorded as a marker naming it, never as its value.
  return attempt.hooks.after(environment.redactor.redactValue({
    specId: attempt.spec.id,
    attemptId: attempt.attemptId,
    attemptNumber: attempt.attemptNumber,
    outcome: deriveOutcome(agent, checks),
    checks,
    transcript: agent.transcript,
    diff: truncateText(change.diff, MAX_DIFF_CHARS),
    changedFiles: change.changedFiles,
    tokens: agent.tokens,
    costUsd: agent.costUsd,
    sessionId: agent.sessionId,
    ...(turns === undefined ? {} : { turns }),
    ...(published === undefined ? {} : { change: published }),
    timings: {
      ...clock,
      totalMs: finishedAt.getTime() - startedAt.getTime(),
      checkMs: Object.fromEntries(checks.map((check) => [check.check, check.durationMs])),
    },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
  }));
}

/**
 * A sandbox identical to a fresh fixture copy. By default the worker's sandbox of this fixture is
 * reset and reused, which keeps OpenCode's per-directory instance warm (its boot is the largest
 * fixed cost of an attempt); with keepSandboxes each attempt gets its own folder, left on disk.
 */
async function prepareSandbox(environment: RunEnvironment, attempt: ResolvedAttempt, worker: Worker): Promise<Sandbox> {
  const { fixture } = attempt;
  if (environment.settings.keepSandboxes) return createSandbox(fixture, path.join(worker.root, 'attempts', attempt.attemptId), environment.toolEnv);
  const previous = worker.sandboxes.get(fixture.name);
  const reuse = await acquireSandbox(previous, fixture, path.join(worker.root, 'sandboxes', fixture.name), environment.toolEnv);
  if (reuse.kind === 'created' && previous !== undefined) {
    await worker.server.client.instance.dispose({ directory: previous.dir }).catch(() => undefined);
  }
  worker.sandboxes.set(fixture.name, reuse.sandbox);
  return reuse.sandbox;
}

/** A flow the sandbox opened in its last moments shows in the recorder a moment later. */
const EGRESS_SETTLE_MS = 100;

/**
 * The agent's session inside the worker's network scope: the proxy applies the scenario's
 * allow-list and the MCP sockets its servers; a hung endpoint ends the session as infra; what
 * the sandbox tried and the containment refused is collected at the end.
 */
async function runContainedAgent(environment: RunEnvironment, attempt: ResolvedAttempt, worker: Worker, sandbox: Sandbox, tracker: TurnTracker): Promise<{ agent: AgentRunResult; egress: EgressAttempt[] }> {
  // Whatever the sandbox tried between attempts belongs to none of them.
  worker.server.takeEgress(Date.now());
  const network = worker.network.beginAttempt({ allow: webAllowListOf(attempt.scenario), mcpServers: attempt.scenario.mcpServers });
  let agent: AgentRunResult;
  try {
    agent = await runAgent(environment, attempt, worker, sandbox, network.endpointFault, tracker);
  } finally {
    await new Promise((resolve) => setTimeout(resolve, EGRESS_SETTLE_MS));
  }
  return { agent, egress: network.finish(worker.server.takeEgress(Date.now())) };
}

async function runAgent(environment: RunEnvironment, attempt: ResolvedAttempt, worker: Worker, sandbox: Sandbox, endpointFault: Promise<EndpointStall>, tracker: TurnTracker): Promise<AgentRunResult> {
  const probe = await probeEndpoint(attempt.endpointBaseURLs ?? attempt.endpointBaseURL, attempt.target);
  if (probe.status === 'down') return infraAgentResult('endpoint', probe.message);
  if (!worker.server.isAlive()) return infraAgentResult('opencode', `OpenCode server is not running:\n${worker.server.logTail()}`);
  const options = { ...sessionOptionsOf(environment, attempt, worker, sandbox.dir, endpointFault), afterTurn: tracker.afterTurn };
  writeWorkerInstructions(worker.env, attempt.instructions);
  return withMcpServers(worker.server.client, sandbox.dir, attempt.scenario.mcpServers, () => driveSession(options), (message) => infraAgentResult('harness', message));
}

function sessionOptionsOf(environment: RunEnvironment, attempt: ResolvedAttempt, worker: Worker, directory: string, endpointFault: Promise<EndpointStall>): DriveSessionOptions {
  const { spec } = attempt;
  return {
    host: { client: worker.server.client, hub: worker.hub, exited: worker.server.exited, logTail: worker.server.logTail, endpointFault },
    directory,
    title: `${spec.scenarioId} · ${spec.targetId} · ${spec.promptVariantId} · #${spec.repeatIndex}`,
    scenario: attempt.scenario,
    agent: { name: attempt.agent.name, providerId: attempt.providerId, modelId: attempt.target.model },
    rules: scenarioToRules(attempt.scenario, directory),
    limits: { timeoutMs: attempt.timeoutMs, endpointRetryLimit: environment.settings.endpointRetryLimit, maxStepsPerTurn: attempt.maxStepsPerTurn },
  };
}

/** What every check of the attempt looks at besides the agent's session and change. */
function baseCheckContext(environment: RunEnvironment, attempt: ResolvedAttempt, sandbox: Sandbox): Omit<CheckContext, 'changedFiles' | 'transcript' | 'outsideWrites'> {
  return {
    sandboxDir: sandbox.dir,
    fixture: attempt.fixture,
    scenario: attempt.scenario,
    env: environment.toolEnv,
    timeoutMs: environment.settings.checkTimeoutMs,
    confinement: environment.checkConfinement,
  };
}

/** The change as a commit and a patch in the run folder; a failure to publish is recorded, never the model's. */
async function publishAttemptChange(environment: RunEnvironment, attempt: ResolvedAttempt, sandbox: Sandbox): Promise<PublishedChange> {
  try {
    return await publishChange({
      sandboxDir: sandbox.dir,
      baselineCommit: sandbox.baselineCommit,
      runDir: environment.runDir,
      scenarioId: attempt.scenario.id,
      scenarioTitle: attempt.scenario.title,
      fixtureName: attempt.fixture.name,
      attemptId: attempt.attemptId,
      env: environment.toolEnv,
    });
  } catch (error) {
    return { status: 'errored', error: truncateText(describeFault(error), 2000) };
  }
}
