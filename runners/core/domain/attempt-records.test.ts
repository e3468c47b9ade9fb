import { describe, expect, it } from 'vitest';
import { buildInfraErrorRecord, emptyAttemptEvidence, infraAgentResult } from './attempt-records.ts';

describe('attempt records', () => {
  it('an attempt that could not run is an infra error with no evidence, never a model failure', () => {
    const record = buildInfraErrorRecord({ specId: 'abcdefabcdef', attemptId: 'abcdefabcdef-a1', attemptNumber: 1, source: 'endpoint', message: 'model server for broken did not come up', at: new Date(0) });
    expect(record.outcome).toEqual({ kind: 'infra-error', source: 'endpoint', message: 'model server for broken did not come up' });
    expect(record).toMatchObject({ ...emptyAttemptEvidence(), startedAt: '1970-01-01T00:00:00.000Z', finishedAt: '1970-01-01T00:00:00.000Z' });
  });

  it('keeps what the session recorded before the infrastructure failed, and bounds the message', () => {
    const transcript = [{ type: 'user' as const, turnIndex: 0, text: 'hi', atMs: 1 }];
    const result = infraAgentResult('opencode', 'x'.repeat(10_000), { transcript, sessionId: 'ses_1' });
    expect(result).toMatchObject({ status: 'infra-error', source: 'opencode', transcript, sessionId: 'ses_1', costUsd: 0 });
    expect(result.status === 'infra-error' && result.message.length).toBeLessThan(4100);
    expect(result.status === 'infra-error' && result.message).toContain('[truncated 6000 chars]');
  });
});
