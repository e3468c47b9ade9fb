import { describe, expect, it } from 'vitest';
import type { AgentRunResult } from '../../core/domain/transcript.ts';
import type { CheckResult } from '../../core/domain/check-result.ts';
import { deriveOutcome } from './derive-outcome.ts';

const tokens = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
const completed: AgentRunResult = { status: 'completed', transcript: [], tokens, costUsd: 0, sessionId: 's' };
const lintPassed: CheckResult = { check: 'lint', durationMs: 1, status: 'passed', evidence: { exitCode: 0, errorCount: 0, warningCount: 0, findings: [] } };
const typecheckFailed: CheckResult = {
  check: 'typecheck',
  durationMs: 1,
  status: 'failed',
  reason: '1 error',
  evidence: { exitCode: 2, diagnosticCount: 1, diagnostics: [] },
};
const testsErrored: CheckResult = { check: 'tests', durationMs: 1, status: 'errored', error: 'vitest crashed' };

describe('deriveOutcome', () => {
  it('passes only when every check passed', () => {
    expect(deriveOutcome(completed, [lintPassed])).toEqual({ kind: 'passed' });
  });

  it('fails naming the failed checks', () => {
    expect(deriveOutcome(completed, [lintPassed, typecheckFailed])).toEqual({ kind: 'failed', failedChecks: ['typecheck'] });
  });

  it('never counts an agent infra error as a model failure, even with failed checks', () => {
    const agent: AgentRunResult = { status: 'infra-error', transcript: [], tokens, costUsd: 0, source: 'endpoint', message: 'HTTP 500' };
    expect(deriveOutcome(agent, [typecheckFailed])).toEqual({ kind: 'infra-error', source: 'endpoint', message: 'HTTP 500' });
  });

  it('turns a check that could not run into a harness infra error, not a failure', () => {
    const outcome = deriveOutcome(completed, [typecheckFailed, testsErrored]);
    expect(outcome.kind).toBe('infra-error');
    expect(outcome).toMatchObject({ source: 'harness' });
  });

  it('reports a timeout as timed out whatever the checks say', () => {
    const agent: AgentRunResult = { status: 'timed-out', transcript: [], tokens, costUsd: 0, sessionId: 's', afterMs: 5000 };
    expect(deriveOutcome(agent, [typecheckFailed])).toEqual({ kind: 'timed-out', afterMs: 5000 });
  });
});
