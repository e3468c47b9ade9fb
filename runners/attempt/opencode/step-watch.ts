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
 *   limit the harness stops the turn, and the model is to blame.
 */

/** Consecutive unreadable answers after which the endpoint is blamed. */
export const UNREADABLE_ANSWER_LIMIT = 3;

/** Finish reasons a real stream ends with (the AI SDK's names). */
const READABLE_FINISHES: ReadonlySet<string> = new Set(['stop', 'tool-calls', 'length', 'content-filter', 'error']);

/** The name of the transcript's session-error entry when the harness stopped a turn at its step limit. */
export const STEP_LIMIT_ERROR = 'StepLimitExceeded';

export interface StepPartLike {
  type: string;
  id?: unknown;
  reason?: unknown;
  tokens?: { output?: unknown; reasoning?: unknown } | undefined;
}

export type StepVerdict =
  | { kind: 'unreadable-answers'; message: string }
  | { kind: 'step-limit'; message: string };

export interface StepWatch {
  /** Call when a user turn is sent: the step limit counts per turn. */
  startTurn(turnIndex: number): void;
  /** Looks at a part of the session; returns a verdict once a limit is passed. */
  observe(part: StepPartLike): StepVerdict | undefined;
}

export interface StepWatchOptions {
  /** The agent's `steps`; the turn is stopped at the first step beyond it. Unlimited when absent. */
  maxStepsPerTurn?: number | undefined;
  unreadableLimit?: number | undefined;
}

export function createStepWatch(options: StepWatchOptions = {}): StepWatch {
  const unreadableLimit = options.unreadableLimit ?? UNREADABLE_ANSWER_LIMIT;
  const seen = new Set<unknown>();
  let unreadableInARow = 0;
  let stepsThisTurn = 0;
  let turn = 0;
  return {
    startTurn(turnIndex) {
      turn = turnIndex;
      stepsThisTurn = 0;
    },
    observe(part) {
      if (part.type !== 'step-finish' || (part.id !== undefined && seen.has(part.id))) return undefined;
      seen.add(part.id);
      stepsThisTurn += 1;
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
