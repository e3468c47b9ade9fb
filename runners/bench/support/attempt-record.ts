import type { AttemptOutcome, AttemptRecord, AttemptTimings } from '../../core/domain/attempt.ts';
import type { CheckResult } from '../../core/domain/check-result.ts';
import type { TokenUsage, TranscriptEntry } from '../../core/domain/transcript.ts';
import { ZERO_TOKENS } from '../../core/tokens.ts';

/**
 * The one builder of attempt records for synthetic runs and tests: what varies is given, the
 * rest gets a plain default. Timings left out follow from the rest, as a real attempt's do: each
 * check's time from its result, the checks' time the slowest one's, the total the sum.
 */
export interface AttemptParts {
  specId: string;
  /** Default 1. */
  attemptNumber?: number | undefined;
  /** Default `<specId>#<attemptNumber>`. */
  attemptId?: string | undefined;
  outcome: AttemptOutcome;
  checks?: CheckResult[] | undefined;
  transcript?: TranscriptEntry[] | undefined;
  diff?: string | undefined;
  changedFiles?: string[] | undefined;
  tokens?: Partial<TokenUsage> | undefined;
  costUsd?: number | undefined;
  sessionId?: string | undefined;
  timings?: Partial<AttemptTimings> | undefined;
  /** Default 2025-01-01T00:00:00.000Z. */
  startedAt?: string | undefined;
  /** Default: startedAt + the total time. */
  finishedAt?: string | undefined;
  reusedFrom?: AttemptRecord['reusedFrom'];
}

export const DEFAULT_ATTEMPT_START = '2025-01-01T00:00:00.000Z';

export function makeAttempt(parts: AttemptParts): AttemptRecord {
  const attemptNumber = parts.attemptNumber ?? 1;
  const checks = parts.checks ?? [];
  const timings = completeTimings(parts.timings ?? {}, checks);
  const startedAt = parts.startedAt ?? DEFAULT_ATTEMPT_START;
  return {
    specId: parts.specId,
    attemptId: parts.attemptId ?? `${parts.specId}#${attemptNumber}`,
    attemptNumber,
    outcome: parts.outcome,
    checks,
    transcript: parts.transcript ?? [],
    diff: parts.diff ?? '',
    changedFiles: parts.changedFiles ?? [],
    tokens: { ...ZERO_TOKENS, ...parts.tokens },
    costUsd: parts.costUsd ?? 0,
    ...(parts.sessionId === undefined ? {} : { sessionId: parts.sessionId }),
    timings,
    startedAt,
    finishedAt: parts.finishedAt ?? new Date(Date.parse(startedAt) + timings.totalMs).toISOString(),
    ...(parts.reusedFrom === undefined ? {} : { reusedFrom: parts.reusedFrom }),
  };
}

function completeTimings(given: Partial<AttemptTimings>, checks: readonly CheckResult[]): AttemptTimings {
  const sandboxMs = given.sandboxMs ?? 0;
  const agentMs = given.agentMs ?? 0;
  const checksMs = given.checksMs ?? Math.max(0, ...checks.map((check) => check.durationMs));
  return {
    sandboxMs,
    agentMs,
    checksMs,
    totalMs: given.totalMs ?? sandboxMs + agentMs + checksMs,
    checkMs: given.checkMs ?? Object.fromEntries(checks.map((check) => [check.check, check.durationMs])),
  };
}
