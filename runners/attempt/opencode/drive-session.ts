import type { OpencodeClient } from '@opencode-ai/sdk/v2';
import { infraAgentResult } from '../../core/domain/attempt-records.ts';
import type { AgentRunResult, TranscriptEntry } from '../../core/domain/transcript.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import { BUILD_AGENT } from '../../core/domain/variant.ts';
import { truncateText } from '../../core/text.ts';
import { collectTranscript } from './collect-transcript.ts';
import type { OpencodeEvent, SessionEventHub } from './event-hub.ts';
import type { PermissionRule } from './permission-rules.ts';
import { handleEvent, type EventContext, type Stop } from './session-events.ts';
import { COMPACTION_LOOP_ERROR, STEP_LIMIT_ERROR, createStepWatch } from './step-watch.ts';
import { createTurnIdleGate } from './turn-idle-gate.ts';

/** The OpenCode server a session runs on, as the driver needs it. */
export interface SessionHost {
  client: OpencodeClient;
  hub: SessionEventHub;
  /** Settles if the OpenCode server process exits. */
  exited: Promise<unknown>;
  /**
   * Settles if the harness's model proxy gives up on the endpoint during this attempt (no byte
   * back within the stall limit): the attempt then ends as an endpoint infra error.
   */
  endpointFault?: Promise<{ message: string }> | undefined;
  /** The last lines the server printed, for infra-error messages. */
  logTail(): string;
}

/** The agent a session talks to: the variant's agent of the server's config, and its model. */
export interface SessionAgent {
  name: string;
  providerId: string;
  modelId: string;
}

export interface SessionLimits {
  timeoutMs: number;
  /** Give up on the endpoint after this many OpenCode retries. */
  endpointRetryLimit: number;
  /** The agent's step limit (its `steps`): a turn that goes past it is stopped. Unlimited when absent. */
  maxStepsPerTurn?: number | undefined;
}

/** A turn that ended with the session idle (not a timeout or a stop). */
export interface FinishedTurn {
  turnIndex: number;
  /** The agent it went to (`build`, `plan`, …). */
  agent: string;
  isLast: boolean;
}

export interface DriveSessionOptions {
  host: SessionHost;
  directory: string;
  title: string;
  scenario: ResolvedScenario;
  agent: SessionAgent;
  rules: PermissionRule[];
  limits: SessionLimits;
  /** Called after each turn that ended idle, before the next is sent (per-turn checks, change tracking). */
  afterTurn?: ((turn: FinishedTurn) => Promise<void>) | undefined;
}

const IDLE_POLL_MS = 2000;

/**
 * Runs a scenario's turns in one OpenCode session, each sent to the agent it names (the variant's
 * agent for `build`, OpenCode's `plan`, …): answers questions from the script and permission asks
 * from the policy — its subagents' too —, watches retries (an outage is recognised after
 * `endpointRetryLimit` retries instead of OpenCode's ~74 s), step limits and compaction loops,
 * aborts on timeout, and reconciles the transcript from the stored messages at the end.
 */
export async function driveSession(options: DriveSessionOptions): Promise<AgentRunResult> {
  const { directory } = options;
  const { client } = options.host;
  const startedAt = Date.now();
  const recorded: TranscriptEntry[] = [];
  const created = await client.session.create({ directory, title: options.title, permission: options.rules });
  if (created.data === undefined) {
    return infraAgentResult('opencode', `session.create failed: ${describeError(created.error)}`, { transcript: recorded });
  }
  const sessionId = created.data.id;
  let stopSignal: (stop: Stop) => void = () => undefined;
  const context: EventContext = {
    client,
    directory,
    scenario: options.scenario,
    recorded,
    rootSessionId: sessionId,
    endpointRetryLimit: options.limits.endpointRetryLimit,
    stop: (stop) => stopSignal(stop),
    steps: createStepWatch({ maxStepsPerTurn: options.limits.maxStepsPerTurn }),
    idleGate: createTurnIdleGate(),
    children: new Map(),
    verdictNames: { 'step-limit': STEP_LIMIT_ERROR, 'compaction-loop': COMPACTION_LOOP_ERROR },
  };
  const unsubscribe = options.host.hub.subscribe(sessionId, (event: OpencodeEvent) => void handleEvent(event, context));
  let stop: Stop = { kind: 'idle' };
  try {
    for (const [turnIndex, turn] of options.scenario.turns.entries()) {
      const turnDone = new Promise<Stop>((resolve) => {
        stopSignal = resolve;
      });
      stop = await runTurn(options, { sessionId, turnIndex, turn, turnDone, deadline: startedAt + options.limits.timeoutMs, context });
      if (stop.kind !== 'idle') break;
      stopSignal = () => undefined;
      await options.afterTurn?.({ turnIndex, agent: turn.agent, isLast: turnIndex === options.scenario.turns.length - 1 });
    }
    if (stop.kind !== 'idle') await abortSession(client, sessionId, directory, context.children);
  } finally {
    stopSignal = () => undefined;
    unsubscribe();
  }
  const collected = await collectTranscript({ client, directory, rootSessionId: sessionId, recorded, children: context.children });
  const common = { ...collected, sessionId };
  switch (stop.kind) {
    case 'idle':
      return { status: 'completed', ...common };
    case 'model-stop':
      return { status: 'completed', ...common, transcript: [...common.transcript, { type: 'session-error', name: stop.name, message: stop.message, atMs: Date.now() }] };
    case 'timeout':
      // Out of time while OpenCode waited to retry a failing endpoint: the outage's, not the model's.
      if (context.waitingOnEndpoint !== undefined) {
        const { attempt, message } = context.waitingOnEndpoint;
        return infraAgentResult('endpoint', `endpoint failing when the attempt's time ran out (OpenCode retry ${attempt}): ${message}`, common);
      }
      return { status: 'timed-out', ...common, afterMs: Date.now() - startedAt };
    case 'infra':
      return infraAgentResult(stop.source, stop.message, common);
  }
}

interface TurnInput {
  sessionId: string;
  turnIndex: number;
  turn: ResolvedScenario['turns'][number];
  turnDone: Promise<Stop>;
  deadline: number;
  context: EventContext;
}

/** Sends one turn to the agent it names and waits until the session is idle, stopped, out of time or gone. */
async function runTurn(options: DriveSessionOptions, input: TurnInput): Promise<Stop> {
  const { client } = options.host;
  const { sessionId, turnIndex, turn, turnDone } = input;
  input.context.recorded.push({ type: 'user', turnIndex, text: turn.text, agent: turn.agent, atMs: Date.now() });
  input.context.steps.startTurn(turnIndex);
  input.context.idleGate.startTurn();
  const sent = await client.session.promptAsync({
    sessionID: sessionId,
    directory: options.directory,
    agent: turn.agent === BUILD_AGENT ? options.agent.name : turn.agent,
    model: { providerID: options.agent.providerId, modelID: options.agent.modelId },
    parts: [{ type: 'text', text: turn.text }],
  });
  if (sent.error !== undefined) return { kind: 'infra', source: 'opencode', message: `prompt was refused: ${describeError(sent.error)}` };
  return Promise.race([
    turnDone,
    pollUntilIdle(client, sessionId, options.directory, turnDone),
    sleep(Math.max(0, input.deadline - Date.now())).then((): Stop => ({ kind: 'timeout' })),
    options.host.exited.then((): Stop => ({ kind: 'infra', source: 'opencode', message: `OpenCode server exited during the attempt:\n${options.host.logTail()}` })),
    ...(options.host.endpointFault === undefined ? [] : [options.host.endpointFault.then((fault): Stop => ({ kind: 'infra', source: 'endpoint', message: `endpoint hung: ${fault.message}` }))]),
  ]);
}

/** A fallback for a dropped SSE connection: the session counts as idle when two polls miss it. */
async function pollUntilIdle(client: OpencodeClient, sessionId: string, directory: string, done: Promise<Stop>): Promise<Stop> {
  let finished = false;
  void done.then(() => {
    finished = true;
  });
  let idlePolls = 0;
  while (!finished) {
    await sleep(IDLE_POLL_MS);
    if (finished) break;
    const status = await client.session.status({ directory }).catch(() => undefined);
    const map = (status?.data ?? {}) as Record<string, unknown>;
    idlePolls = sessionId in map ? 0 : idlePolls + 1;
    if (idlePolls >= 2) return { kind: 'idle' };
  }
  return done;
}

async function abortSession(client: OpencodeClient, sessionId: string, directory: string, children: ReadonlyMap<string, unknown>): Promise<void> {
  await client.session.abort({ sessionID: sessionId, directory }).catch(() => undefined);
  // Pending asks survive an abort, subagents' too; refuse them so nothing waits forever.
  const sessions = new Set([sessionId, ...children.keys()]);
  const pending = await client.permission.list({ directory }).catch(() => undefined);
  for (const request of pending?.data ?? []) {
    if (sessions.has(request.sessionID)) {
      await client.permission.reply({ requestID: request.id, directory, reply: 'reject', message: 'attempt ended' }).catch(() => undefined);
    }
  }
}

function describeError(error: unknown): string {
  if (error === undefined) return 'no response';
  return truncateText(typeof error === 'string' ? error : JSON.stringify(error), 1000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
