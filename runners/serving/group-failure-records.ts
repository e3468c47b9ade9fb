import type { AttemptRecord, RunSpec } from '../domain.ts';

export interface GroupFailureInput {
  spec: RunSpec;
  attemptId: string;
  attemptNumber: number;
  /** Why the group's model server could not be brought up (BringUpResult.message). */
  message: string;
  at: Date;
}

/**
 * The attempt record of a spec whose model server never came up: an endpoint infra error
 * naming the reason, with nothing run. Execution appends one per attempt of the group
 * (attempt.started then attempt.finished), so the model is never blamed for it.
 */
export function buildGroupFailureRecord(input: GroupFailureInput): AttemptRecord {
  const at = input.at.toISOString();
  return {
    specId: input.spec.id,
    attemptId: input.attemptId,
    attemptNumber: input.attemptNumber,
    outcome: { kind: 'infra-error', source: 'endpoint', message: input.message },
    checks: [],
    transcript: [],
    diff: '',
    changedFiles: [],
    tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
    costUsd: 0,
    timings: { sandboxMs: 0, agentMs: 0, checksMs: 0, totalMs: 0, checkMs: {} },
    startedAt: at,
    finishedAt: at,
  };
}
