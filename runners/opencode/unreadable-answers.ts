/**
 * Recognises an endpoint whose answers OpenCode cannot read. A 200 response that is not an
 * OpenAI-compatible stream (e.g. a cut-off JSON body) parses as a step with no output and no
 * finish reason (`unknown`), and OpenCode then asks again, forever: without this watch the
 * attempt would run into its time limit and count as the model's timeout.
 */

/** Consecutive unreadable answers after which the endpoint is blamed. */
export const UNREADABLE_ANSWER_LIMIT = 3;

/** Finish reasons a real stream ends with (the AI SDK's names). */
const READABLE_FINISHES: ReadonlySet<string> = new Set(['stop', 'tool-calls', 'length', 'content-filter', 'error']);

export interface StepFinishLike {
  type: string;
  id?: unknown;
  reason?: unknown;
  tokens?: { output?: unknown; reasoning?: unknown } | undefined;
}

export interface UnreadableAnswerWatch {
  /** Looks at a part of the session; returns the problem once the limit is reached. */
  observe(part: StepFinishLike): string | undefined;
}

export function createUnreadableAnswerWatch(limit = UNREADABLE_ANSWER_LIMIT): UnreadableAnswerWatch {
  let inARow = 0;
  const seen = new Set<unknown>();
  return {
    observe(part) {
      if (part.type !== 'step-finish' || (part.id !== undefined && seen.has(part.id))) return undefined;
      seen.add(part.id);
      const reason = typeof part.reason === 'string' ? part.reason : 'none';
      const output = Number(part.tokens?.output ?? 0) + Number(part.tokens?.reasoning ?? 0);
      if (READABLE_FINISHES.has(reason) || output > 0) {
        inARow = 0;
        return undefined;
      }
      inARow += 1;
      if (inARow < limit) return undefined;
      return `the endpoint's answers could not be read: ${inARow} model calls in a row ended with no output and no finish reason ("${reason}"), as when a response is not an OpenAI-compatible stream`;
    },
  };
}
