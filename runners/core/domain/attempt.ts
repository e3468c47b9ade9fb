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

/** An attempt's change as the platform's Publish produces it (runners/attempt/sandbox/publish-change.ts). */
export type PublishedChange =
  | {
      status: 'published';
      /** `harness/<scenario>/<attempt id>` in `<run dir>/changes.git`. */
      branch: string;
      commit: string;
      /** The patch, relative to the run folder: `patches/<attempt id>.patch`. */
      patch: string;
      /** Files the commit changes, against the fixture's baseline. */
      files: string[];
    }
  | { status: 'empty' }
  /** Publishing failed: a harness fault, never the model's. */
  | { status: 'errored'; error: string };

/** One user turn of the attempt, as the harness saw it end. */
export interface TurnRecord {
  turnIndex: number;
  /** The agent the turn went to: `build`, `plan`, or a variant's agent. */
  agent: string;
  /** Files whose content changed during the turn (relative paths). */
  changedFiles: string[];
  /** Typecheck, lint and the fixture's tests right after the turn (every turn but the last, when the scenario asks). */
  checks?: CheckResult[] | undefined;
  checksMs?: number | undefined;
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
  /** The turns that ended (absent in older logs). */
  turns?: TurnRecord[] | undefined;
  /** The change published as a commit and a patch (absent in older logs, and when the agent phase failed on infrastructure). */
  change?: PublishedChange | undefined;
  /** Set when the result was reused from an earlier run with identical inputs, not re-run. */
  reusedFrom?: { runId: string; attemptId: string } | undefined;
}
