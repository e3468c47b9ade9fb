import type { CheckName, CheckResult } from './check-result.ts';
import type { InfraSource, TokenUsage, TranscriptEntry } from './transcript.ts';

/** One attempt of a spec: its outcome, evidence, transcript, change and timings. */

export type AttemptOutcome =
  | { kind: 'passed' }
  | { kind: 'failed'; failedChecks: CheckName[] }
  | { kind: 'timed-out'; afterMs: number }
  | { kind: 'infra-error'; source: InfraSource; message: string };

export interface AttemptTimings {
  sandboxMs: number;
  agentMs: number;
  checksMs: number;
  totalMs: number;
  /** Wall time of each check, which run at the same time. */
  checkMs: Partial<Record<CheckName, number>>;
}

export interface AttemptRecord {
  specId: string;
  attemptId: string;
  /** 1 for the first attempt of a spec, 2 for its first retry, … */
  attemptNumber: number;
  outcome: AttemptOutcome;
  checks: CheckResult[];
  transcript: TranscriptEntry[];
  /** Unified diff of the agent's change against the baseline commit (truncated). */
  diff: string;
  changedFiles: string[];
  tokens: TokenUsage;
  costUsd: number;
  /** The OpenCode session the attempt ran in, when one was created. */
  sessionId?: string | undefined;
  timings: AttemptTimings;
  startedAt: string;
  finishedAt: string;
  /** Set when the result was reused from an earlier run with identical inputs, not re-run. */
  reusedFrom?: { runId: string; attemptId: string } | undefined;
}
