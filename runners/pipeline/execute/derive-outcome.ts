import type { AgentRunResult } from '../../core/domain/transcript.ts';
import type { AttemptOutcome } from '../../core/domain/attempt.ts';
import type { CheckResult } from '../../core/domain/check-result.ts';

/**
 * Decides an attempt's single outcome. Order matters: an infra fault (the endpoint, OpenCode
 * or the harness, including a check that could not run) is never reported as the model failing.
 */
export function deriveOutcome(agent: AgentRunResult, checks: readonly CheckResult[]): AttemptOutcome {
  if (agent.status === 'infra-error') return { kind: 'infra-error', source: agent.source, message: agent.message };
  const errored = checks.filter((check) => check.status === 'errored');
  if (errored.length > 0) {
    const message = errored.map((check) => `${check.check}: ${check.status === 'errored' ? check.error : ''}`).join('; ');
    return { kind: 'infra-error', source: 'harness', message: `check could not run — ${message}` };
  }
  if (agent.status === 'timed-out') return { kind: 'timed-out', afterMs: agent.afterMs };
  const failedChecks = checks.filter((check) => check.status === 'failed').map((check) => check.check);
  if (failedChecks.length > 0) return { kind: 'failed', failedChecks };
  return { kind: 'passed' };
}
