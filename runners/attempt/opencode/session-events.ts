import type { InfraSource, TodoItem, TranscriptEntry } from '../../core/domain/transcript.ts';
import { truncateText } from '../../core/text.ts';
import { classifySessionError, type SessionErrorLike } from './classify-session-error.ts';
import type { OpencodeEvent } from './event-hub.ts';
import { answerPermission, replyToQuestion, sessionTag, type AskContext } from './session-asks.ts';
import type { StepPartLike, StepWatch } from './step-watch.ts';
import type { TurnIdleGate } from './turn-idle-gate.ts';

/** Why a turn stopped waiting. */
export type Stop =
  | { kind: 'idle' }
  | { kind: 'timeout' }
  /** The model went on past a limit (steps, a compaction loop): the turn is stopped, and the model is to blame. */
  | { kind: 'model-stop'; name: string; message: string }
  | { kind: 'infra'; source: InfraSource; message: string };

export interface EventContext extends AskContext {
  endpointRetryLimit: number;
  stop: (stop: Stop) => void;
  steps: StepWatch;
  /** Whether an idle event of the root session ends the current turn (not a late one of the previous turn). */
  idleGate: TurnIdleGate;
  /** Child sessions seen starting, with when. */
  children: Map<string, { atMs: number }>;
  /** The names of the session-error entries a step verdict becomes. */
  verdictNames: { 'step-limit': string; 'compaction-loop': string };
  /**
   * Set while OpenCode waits to retry a failing endpoint (a `retry` status with no model output
   * since): time that runs out then was lost to the endpoint, not spent by the model.
   */
  waitingOnEndpoint?: { attempt: number; message: string } | undefined;
}

/**
 * One event of the session or of one of its subagents' sessions. Only the root session going
 * idle ends a turn (a subagent finishing does not); errors, retries, questions, permission asks,
 * steps and TODO lists are handled wherever they come from.
 */
export async function handleEvent(event: OpencodeEvent, context: EventContext): Promise<void> {
  const properties = event.properties;
  const isRoot = properties.sessionID === context.rootSessionId || sessionOfPart(properties) === context.rootSessionId;
  switch (event.type) {
    case 'session.idle':
      if (isRoot && context.idleGate.endsTurn()) context.stop({ kind: 'idle' });
      return;
    case 'session.status':
      handleStatus(properties, isRoot, context);
      return;
    case 'session.created':
      if (!isRoot && typeof properties.sessionID === 'string') context.children.set(properties.sessionID, { atMs: Date.now() });
      return;
    case 'session.error':
      handleError(properties, context);
      return;
    case 'message.updated':
      markSummary(properties, context);
      return;
    case 'message.part.updated': {
      const part = properties.part as StepPartLike | undefined;
      if (part !== undefined && part.type !== 'retry') context.waitingOnEndpoint = undefined;
      const verdict = part === undefined ? undefined : context.steps.observe(part);
      if (verdict?.kind === 'unreadable-answers') context.stop({ kind: 'infra', source: 'endpoint', message: verdict.message });
      if (verdict?.kind === 'step-limit' || verdict?.kind === 'compaction-loop') context.stop({ kind: 'model-stop', name: context.verdictNames[verdict.kind], message: verdict.message });
      return;
    }
    case 'todo.updated':
      context.recorded.push({ type: 'todos', todos: readTodos(properties.todos), atMs: Date.now(), ...sessionTag(properties, context) });
      return;
    case 'question.asked':
      await replyToQuestion(properties, context);
      return;
    case 'permission.asked':
      await answerPermission(properties, context);
      return;
    default:
      return;
  }
}

function handleStatus(properties: Record<string, unknown>, isRoot: boolean, context: EventContext): void {
  const status = properties.status as { type?: string; attempt?: number; message?: string } | undefined;
  if (status?.type === 'busy' && isRoot) context.idleGate.sawBusy();
  if (status?.type === 'idle' && isRoot && context.idleGate.endsTurn()) context.stop({ kind: 'idle' });
  if (status?.type !== 'retry') return;
  const attempt = status.attempt ?? 1;
  const message = truncateText(status.message ?? 'retrying', 1000);
  context.recorded.push({ type: 'retry', attempt, message, atMs: Date.now() });
  context.waitingOnEndpoint = { attempt, message };
  if (attempt > context.endpointRetryLimit) context.stop({ kind: 'infra', source: 'endpoint', message: `endpoint failing, OpenCode retry ${attempt}: ${message}` });
}

function handleError(properties: Record<string, unknown>, context: EventContext): void {
  const error = properties.error as SessionErrorLike | undefined;
  if (error === undefined) return;
  const verdict = classifySessionError(error);
  if (verdict.kind === 'aborted') return;
  const entry: TranscriptEntry = { type: 'session-error', name: error.name, message: verdict.message, atMs: Date.now(), ...sessionTag(properties, context) };
  context.recorded.push(entry);
  if (verdict.kind === 'infra') context.stop(verdict);
}

/** OpenCode's compaction summaries are model calls, but not agent steps. */
function markSummary(properties: Record<string, unknown>, context: EventContext): void {
  const info = properties.info as { id?: unknown; role?: unknown; summary?: unknown; mode?: unknown } | undefined;
  if (info?.role === 'assistant' && typeof info.id === 'string' && (info.summary === true || info.mode === 'compaction')) context.steps.markSummaryMessage(info.id);
}

function sessionOfPart(properties: Record<string, unknown>): unknown {
  const part = properties.part;
  return typeof part === 'object' && part !== null && 'sessionID' in part ? part.sessionID : undefined;
}

export function readTodos(value: unknown): TodoItem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const record = item as Record<string, unknown>;
    return [{ content: truncateText(String(record.content ?? ''), 500), status: String(record.status ?? ''), priority: String(record.priority ?? '') }];
  });
}
