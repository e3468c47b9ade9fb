import { truncateText } from '../text.ts';
import { ZERO_TOKENS } from '../tokens.ts';
import type { AttemptRecord } from './attempt.ts';
import type { AgentRunResult, InfraSource, TokenUsage, TranscriptEntry } from './transcript.ts';

/** How much of an error message a record keeps. */
export const MAX_ERROR_CHARS = 4000;

/** An error as one message: its text and, for a harness fault, its stack. */
export function describeFault(error: unknown, withStack = false): string {
  if (!(error instanceof Error)) return String(error);
  return withStack ? `${error.message}\n${error.stack ?? ''}` : error.message;
}

/** What the agent phase left when it ended on infrastructure: whatever it recorded before. */
export interface PartialSession {
  transcript?: TranscriptEntry[] | undefined;
  tokens?: TokenUsage | undefined;
  costUsd?: number | undefined;
  sessionId?: string | undefined;
}

/** The agent phase ended on infrastructure (the endpoint, OpenCode or the harness), never the model. */
export function infraAgentResult(source: InfraSource, message: string, partial: PartialSession = {}): AgentRunResult {
  return {
    status: 'infra-error',
    transcript: partial.transcript ?? [],
    tokens: partial.tokens ?? ZERO_TOKENS,
    costUsd: partial.costUsd ?? 0,
    sessionId: partial.sessionId,
    source,
    message: truncateText(message, MAX_ERROR_CHARS),
  };
}

/** An attempt's evidence when nothing ran: no checks, transcript, change, tokens or time. */
export function emptyAttemptEvidence(): Pick<AttemptRecord, 'checks' | 'transcript' | 'diff' | 'changedFiles' | 'tokens' | 'costUsd' | 'timings'> {
  return {
    checks: [],
    transcript: [],
    diff: '',
    changedFiles: [],
    tokens: ZERO_TOKENS,
    costUsd: 0,
    timings: { sandboxMs: 0, agentMs: 0, checksMs: 0, totalMs: 0, checkMs: {} },
  };
}

export interface InfraErrorRecordInput {
  specId: string;
  attemptId: string;
  attemptNumber: number;
  source: InfraSource;
  message: string;
  at?: Date | undefined;
}

/**
 * The record of an attempt that ended on infrastructure before anything ran (no OpenCode
 * server could be had, the model server never came up): an infra error, never the model's.
 */
export function buildInfraErrorRecord(input: InfraErrorRecordInput): AttemptRecord {
  const at = (input.at ?? new Date()).toISOString();
  return {
    specId: input.specId,
    attemptId: input.attemptId,
    attemptNumber: input.attemptNumber,
    outcome: { kind: 'infra-error', source: input.source, message: truncateText(input.message, MAX_ERROR_CHARS) },
    ...emptyAttemptEvidence(),
    startedAt: at,
    finishedAt: at,
  };
}
