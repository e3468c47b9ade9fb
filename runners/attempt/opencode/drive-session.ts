import type { OpencodeClient } from '@opencode-ai/sdk/v2';
import { infraAgentResult } from '../../core/domain/attempt-records.ts';
import type { AgentRunResult, InfraSource, TranscriptEntry } from '../../core/domain/transcript.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import { answerQuestions, type QuestionAsked } from './answer-questions.ts';
import { classifySessionError, type SessionErrorLike } from './classify-session-error.ts';
import type { OpencodeEvent, SessionEventHub } from './event-hub.ts';
import type { PermissionRule } from './permission-rules.ts';
import { truncateText } from '../../core/text.ts';
import { digestMessages, mergeTranscript } from './transcript.ts';
import { STEP_LIMIT_ERROR, createStepWatch, type StepPartLike, type StepWatch } from './step-watch.ts';
import { createTurnIdleGate, type TurnIdleGate } from './turn-idle-gate.ts';

/** The OpenCode server a session runs on, as the driver needs it. */
export interface SessionHost {
  client: OpencodeClient;
  hub: SessionEventHub;
  /** Settles if the OpenCode server process exits. */
  exited: Promise<unknown>;
  /** The last lines the server printed, for infra-error messages. */
  logTail(): string;
}

/** The agent a session talks to: an agent of the server's config and its model. */
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

export interface DriveSessionOptions {
  host: SessionHost;
  directory: string;
  title: string;
  scenario: ResolvedScenario;
  agent: SessionAgent;
  rules: PermissionRule[];
  limits: SessionLimits;
}

type Stop =
  | { kind: 'idle' }
  | { kind: 'timeout' }
  /** The model went on past the step limit: the turn is stopped, and the model is to blame. */
  | { kind: 'step-limit'; message: string }
  | { kind: 'infra'; source: InfraSource; message: string };

const IDLE_POLL_MS = 2000;

/**
 * Runs a scenario's turns in one OpenCode session: sends each turn, answers questions from the
 * script and permission asks from the policy, watches retries (an outage is recognised after
 * `endpointRetryLimit` retries instead of OpenCode's ~74 s), aborts on timeout, and reconciles
 * the transcript from the stored messages at the end (SSE events are not replayed).
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
  const steps = createStepWatch({ maxStepsPerTurn: options.limits.maxStepsPerTurn });
  const idleGate = createTurnIdleGate();
  const onEvent = (event: OpencodeEvent) => {
    void handleEvent(event, { options, sessionId, recorded, stop: (stop) => stopSignal(stop), steps, idleGate });
  };
  const unsubscribe = options.host.hub.subscribe(sessionId, onEvent);
  let stop: Stop = { kind: 'idle' };
  try {
    for (const [turnIndex, turn] of options.scenario.turns.entries()) {
      const remainingMs = startedAt + options.limits.timeoutMs - Date.now();
      const turnDone = new Promise<Stop>((resolve) => {
        stopSignal = resolve;
      });
      recorded.push({ type: 'user', turnIndex, text: turn.text, atMs: Date.now() });
      steps.startTurn(turnIndex);
      idleGate.startTurn();
      const sent = await client.session.promptAsync({
        sessionID: sessionId,
        directory,
        agent: options.agent.name,
        model: { providerID: options.agent.providerId, modelID: options.agent.modelId },
        parts: [{ type: 'text', text: turn.text }],
      });
      if (sent.error !== undefined) {
        stop = { kind: 'infra', source: 'opencode', message: `prompt was refused: ${describeError(sent.error)}` };
        break;
      }
      stop = await Promise.race([
        turnDone,
        pollUntilIdle(client, sessionId, directory, turnDone),
        sleep(Math.max(0, remainingMs)).then((): Stop => ({ kind: 'timeout' })),
        options.host.exited.then((): Stop => ({ kind: 'infra', source: 'opencode', message: `OpenCode server exited during the attempt:\n${options.host.logTail()}` })),
      ]);
      if (stop.kind !== 'idle') break;
    }
    if (stop.kind !== 'idle') await abortSession(client, sessionId, directory);
  } finally {
    stopSignal = () => undefined;
    unsubscribe();
  }
  const messages = await client.session.messages({ sessionID: sessionId, directory }).catch(() => undefined);
  const digest = digestMessages(messages?.data ?? []);
  const transcript = mergeTranscript(recorded, digest.entries);
  const common = { transcript, tokens: digest.tokens, costUsd: digest.costUsd, sessionId };
  switch (stop.kind) {
    case 'idle':
      return { status: 'completed', ...common };
    case 'step-limit':
      return { status: 'completed', ...common, transcript: [...transcript, { type: 'session-error', name: STEP_LIMIT_ERROR, message: stop.message, atMs: Date.now() }] };
    case 'timeout':
      return { status: 'timed-out', ...common, afterMs: Date.now() - startedAt };
    case 'infra':
      return infraAgentResult(stop.source, stop.message, common);
  }
}

interface EventContext {
  options: DriveSessionOptions;
  sessionId: string;
  recorded: TranscriptEntry[];
  stop: (stop: Stop) => void;
  steps: StepWatch;
  idleGate: TurnIdleGate;
}

async function handleEvent(event: OpencodeEvent, context: EventContext): Promise<void> {
  const { options, recorded } = context;
  const properties = event.properties;
  switch (event.type) {
    case 'session.idle':
      if (context.idleGate.endsTurn()) context.stop({ kind: 'idle' });
      return;
    case 'session.status': {
      const status = properties.status as { type?: string; attempt?: number; message?: string } | undefined;
      if (status?.type === 'busy') context.idleGate.sawBusy();
      if (status?.type === 'idle' && context.idleGate.endsTurn()) context.stop({ kind: 'idle' });
      if (status?.type === 'retry') {
        const attempt = status.attempt ?? 1;
        const message = truncateText(status.message ?? 'retrying', 1000);
        recorded.push({ type: 'retry', attempt, message, atMs: Date.now() });
        if (attempt > options.limits.endpointRetryLimit) {
          context.stop({ kind: 'infra', source: 'endpoint', message: `endpoint failing, OpenCode retry ${attempt}: ${message}` });
        }
      }
      return;
    }
    case 'session.error': {
      const error = properties.error as SessionErrorLike | undefined;
      if (error === undefined) return;
      const verdict = classifySessionError(error);
      if (verdict.kind === 'aborted') return;
      recorded.push({ type: 'session-error', name: error.name, message: verdict.message, atMs: Date.now() });
      if (verdict.kind === 'infra') context.stop(verdict);
      return;
    }
    case 'message.part.updated': {
      const part = properties.part as StepPartLike | undefined;
      const verdict = part === undefined ? undefined : context.steps.observe(part);
      if (verdict?.kind === 'unreadable-answers') context.stop({ kind: 'infra', source: 'endpoint', message: verdict.message });
      if (verdict?.kind === 'step-limit') context.stop({ kind: 'step-limit', message: verdict.message });
      return;
    }
    case 'question.asked':
      await replyToQuestion(properties, context);
      return;
    case 'permission.asked':
      await refusePermission(properties, context);
      return;
    default:
      return;
  }
}

async function replyToQuestion(properties: Record<string, unknown>, context: EventContext): Promise<void> {
  const requestId = String(properties.id);
  const questions = (Array.isArray(properties.questions) ? properties.questions : []) as QuestionAsked[];
  const { answers, matchedBy } = answerQuestions(context.options.scenario, questions);
  context.recorded.push({
    type: 'question',
    questions: questions.map((asked) => ({
      question: truncateText(asked.question, 2000),
      ...(asked.header === undefined || asked.header === '' ? {} : { header: truncateText(asked.header, 200) }),
      options: asked.options.map((option) => option.label),
    })),
    answers,
    matchedBy,
    atMs: Date.now(),
  });
  await context.options.host.client.question.reply({ requestID: requestId, directory: context.options.directory, answers });
}

/**
 * Every ask that reaches the harness is outside the policy's allow rules (e.g. a path outside
 * the sandbox): it is refused WITH a message, so the agent is told and the loop continues.
 */
async function refusePermission(properties: Record<string, unknown>, context: EventContext): Promise<void> {
  const permission = String(properties.permission);
  const patterns = Array.isArray(properties.patterns) ? properties.patterns.map(String) : [];
  const reason = `Refused by the platform policy: ${permission} ${patterns.join(', ')} is not allowed. Stay inside the project and its allowed folders.`;
  context.recorded.push({ type: 'permission', permission, patterns, decision: 'reject', reason, atMs: Date.now() });
  await context.options.host.client.permission.reply({ requestID: String(properties.id), directory: context.options.directory, reply: 'reject', message: reason });
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

async function abortSession(client: OpencodeClient, sessionId: string, directory: string): Promise<void> {
  await client.session.abort({ sessionID: sessionId, directory }).catch(() => undefined);
  // Pending asks survive an abort; refuse them so nothing waits forever.
  const pending = await client.permission.list({ directory }).catch(() => undefined);
  for (const request of pending?.data ?? []) {
    if (request.sessionID === sessionId) {
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
