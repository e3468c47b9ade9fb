/** What the agent did in its session, and how the agent phase ended. */

export type TranscriptEntry =
  | { type: 'user'; turnIndex: number; text: string; atMs: number }
  | { type: 'assistant-text'; text: string; atMs: number }
  | { type: 'reasoning'; text: string; atMs: number }
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
    }
  | {
      type: 'question';
      /** `header`: the question's short label, when it had one (scripted answers are matched on header and text). */
      questions: Array<{ question: string; header?: string | undefined; options: string[] }>;
      answers: string[][];
      /** Which scripted answer matched each question, or 'default'. */
      matchedBy: string[];
      atMs: number;
    }
  | {
      type: 'permission';
      permission: string;
      patterns: string[];
      decision: 'once' | 'reject';
      reason: string;
      atMs: number;
    }
  | { type: 'retry'; attempt: number; message: string; atMs: number }
  | { type: 'session-error'; name: string; message: string; atMs: number }
  | { type: 'step'; tokens: TokenUsage; atMs: number };

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
