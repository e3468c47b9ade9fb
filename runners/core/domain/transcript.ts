/** What the agent did in its session, and how the agent phase ended. */

/**
 * Entries made in a subagent's (child) session carry its session id in `session`; entries of the
 * session the user talks to have none. A `subagent` entry marks where a child session started.
 */
export type TranscriptEntry =
  | { type: 'user'; turnIndex: number; text: string; atMs: number; /** The agent the turn went to (`build`, `plan`, …); absent in older logs. */ agent?: string | undefined }
  | { type: 'assistant-text'; text: string; atMs: number; session?: string | undefined }
  | { type: 'reasoning'; text: string; atMs: number; session?: string | undefined }
  | {
      type: 'tool';
      tool: string;
      callId: string;
      status: 'pending' | 'running' | 'completed' | 'error';
      input: unknown;
      output?: string | undefined;
      error?: string | undefined;
      atMs: number;
      durationMs?: number | undefined;
      session?: string | undefined;
      /** `task` calls: the child session the subagent ran in. */
      subagentSession?: string | undefined;
    }
  | {
      type: 'question';
      /** `header`: the question's short label, when it had one (scripted answers are matched on header and text). */
      questions: Array<{ question: string; header?: string | undefined; options: string[] }>;
      answers: string[][];
      /** Which scripted answer matched each question, or 'default'. */
      matchedBy: string[];
      atMs: number;
      session?: string | undefined;
    }
  | {
      type: 'permission';
      permission: string;
      patterns: string[];
      decision: 'once' | 'reject';
      reason: string;
      atMs: number;
      session?: string | undefined;
    }
  | { type: 'retry'; attempt: number; message: string; atMs: number }
  | { type: 'session-error'; name: string; message: string; atMs: number; session?: string | undefined }
  | { type: 'step'; tokens: TokenUsage; atMs: number; session?: string | undefined; /** The model call was OpenCode's compaction (a summary), not an agent step. */ compaction?: boolean | undefined }
  /** The TODO list as the agent (re)wrote it with `todowrite`: the whole list each time. */
  | { type: 'todos'; todos: TodoItem[]; atMs: number; session?: string | undefined }
  /** OpenCode compacted the conversation: it summarised it and went on from the summary. */
  | {
      type: 'compaction';
      /** Triggered by OpenCode itself (the context passed its threshold), not asked for. */
      auto: boolean;
      /** Triggered by an overflow error from the endpoint rather than by the token count. */
      overflow: boolean;
      /** Context size (prompt + output tokens) of the last model call before it. */
      tokensBefore: number | null;
      /** Prompt tokens of the first model call after it. */
      tokensAfter: number | null;
      /** The summary the conversation went on from (truncated). */
      summary: string;
      atMs: number;
      session?: string | undefined;
    }
  /** A subagent (OpenCode's task tool) ran in a child session; its entries follow with `session` set. */
  | {
      type: 'subagent';
      session: string;
      agent: string;
      description: string;
      /** The parent's `task` call that started it, when known. */
      callId?: string | undefined;
      /** Model calls the subagent made. */
      steps: number;
      toolCalls: number;
      atMs: number;
      endedAtMs?: number | undefined;
    };

export interface TodoItem {
  content: string;
  /** pending, in_progress, completed or cancelled (OpenCode does not enforce the set). */
  status: string;
  priority: string;
}

export interface TokenUsage {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

/** What the agent phase produced: the transcript and how it ended. */
export type AgentRunResult =
  | { status: 'completed'; transcript: TranscriptEntry[]; tokens: TokenUsage; costUsd: number; sessionId: string }
  | { status: 'timed-out'; transcript: TranscriptEntry[]; tokens: TokenUsage; costUsd: number; sessionId: string; afterMs: number }
  | { status: 'infra-error'; transcript: TranscriptEntry[]; tokens: TokenUsage; costUsd: number; sessionId?: string | undefined; source: InfraSource; message: string };

export type InfraSource = 'endpoint' | 'opencode' | 'harness';
