/**
 * Watches the steps (model calls) of a session as they finish, for two ways a turn can go on
 * forever that OpenCode does not stop by itself:
 *
 * - **Unreadable answers** — a 200 response that is not an OpenAI-compatible stream (e.g. a
 *   cut-off JSON body) parses as a step with no output and no finish reason (`unknown`), and
 *   OpenCode asks again, forever. After a few in a row the endpoint is to blame: an infra error,
 *   never the model's timeout.
 * - **The step limit** — OpenCode's agent `steps` only *asks* the model for a text answer at the
 *   limit (the tools stay offered); a model that keeps calling tools is never stopped. Past the
 *   limit the harness stops the turn, and the model is to blame. Subagents' steps count too.
 * - **A compaction loop** — when the prompt alone is above OpenCode's compaction threshold, every
 *   step overflows and is compacted again, forever (OpenCode has no breaker). Compactions in a row
 *   with at most one agent step between them are a loop: the harness stops it, and it counts as
 *   the conversation overflowing the context (agent health), never as a hang.
 */

/** Consecutive unreadable answers after which the endpoint is blamed. */
export const UNREADABLE_ANSWER_LIMIT = 3;

/** Finish reasons a real stream ends with (the AI SDK's names). */
const READABLE_FINISHES: ReadonlySet<string> = new Set(['stop', 'tool-calls', 'length', 'content-filter', 'error']);

/** The name of the transcript's session-error entry when the harness stopped a turn at its step limit. */
export const STEP_LIMIT_ERROR = 'StepLimitExceeded';

/** Compactions in a row, each with at most one agent step before it, after which the loop is stopped. */
export const COMPACTION_LOOP_LIMIT = 3;

/** The name of the session-error entry when the harness stopped a compaction loop. */
export const COMPACTION_LOOP_ERROR = 'CompactionLoop';

export interface StepPartLike {
  type: string;
  id?: unknown;
  messageID?: unknown;
  reason?: unknown;
  tokens?: { output?: unknown; reasoning?: unknown } | undefined;
}

export type StepVerdict =
  | { kind: 'unreadable-answers'; message: string }
  | { kind: 'step-limit'; message: string }
  | { kind: 'compaction-loop'; message: string };

export interface StepWatch {
  /** Call when a user turn is sent: the step limit counts per turn. */
  startTurn(turnIndex: number): void;
  /** Looks at a part of the session; returns a verdict once a limit is passed. */
  observe(part: StepPartLike): StepVerdict | undefined;
  /** Marks an assistant message as OpenCode's compaction summary: its steps are not agent steps. */
  markSummaryMessage(messageId: string): void;
}

export interface StepWatchOptions {
  /** The agent's `steps`; the turn is stopped at the first step beyond it. Unlimited when absent. */
  maxStepsPerTurn?: number | undefined;
  unreadableLimit?: number | undefined;
}

export function createStepWatch(options: StepWatchOptions = {}): StepWatch {
  const unreadableLimit = options.unreadableLimit ?? UNREADABLE_ANSWER_LIMIT;
  const seen = new Set<unknown>();
  const summaryMessages = new Set<unknown>();
  let unreadableInARow = 0;
  let stepsThisTurn = 0;
  let turn = 0;
  let stepsSinceCompaction: number | undefined;
  let compactionsInARow = 0;
  const observeCompaction = (part: StepPartLike): StepVerdict | undefined => {
    if (seen.has(part.id)) return undefined;
    seen.add(part.id);
    compactionsInARow = stepsSinceCompaction !== undefined && stepsSinceCompaction <= 1 ? compactionsInARow + 1 : 1;
    stepsSinceCompaction = 0;
    if (compactionsInARow < COMPACTION_LOOP_LIMIT) return undefined;
    const message = `turn ${turn + 1}: context overflow — OpenCode compacted the conversation ${compactionsInARow} times in a row with at most one step between (the prompt alone is over the compaction threshold); the harness stopped the loop`;
    return { kind: 'compaction-loop', message };
  };
  return {
    markSummaryMessage(messageId) {
      summaryMessages.add(messageId);
    },
    startTurn(turnIndex) {
      turn = turnIndex;
      stepsThisTurn = 0;
    },
    observe(part) {
      if (part.type === 'compaction') return observeCompaction(part);
      if (part.type !== 'step-finish' || (part.id !== undefined && seen.has(part.id))) return undefined;
      seen.add(part.id);
      stepsThisTurn += 1;
      if (stepsSinceCompaction !== undefined && !summaryMessages.has(part.messageID)) stepsSinceCompaction += 1;
      const reason = typeof part.reason === 'string' ? part.reason : 'none';
      const output = Number(part.tokens?.output ?? 0) + Number(part.tokens?.reasoning ?? 0);
      unreadableInARow = READABLE_FINISHES.has(reason) || output > 0 ? 0 : unreadableInARow + 1;
      if (unreadableInARow >= unreadableLimit) {
        const message = `the endpoint's answers could not be read: ${unreadableInARow} model calls in a row ended with no output and no finish reason ("${reason}"), as when a response is not an OpenAI-compatible stream`;
        return { kind: 'unreadable-answers', message };
      }
      const limit = options.maxStepsPerTurn;
      if (limit !== undefined && stepsThisTurn > limit) {
        const message = `turn ${turn + 1}: the model kept calling tools past the step limit (${limit} model calls per turn; it was asked to answer in text at the limit); the harness stopped it after ${stepsThisTurn}`;
        return { kind: 'step-limit', message };
      }
      return undefined;
    },
  };
}
