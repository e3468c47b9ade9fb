import type { AttemptOutcome } from '../domain.ts';
import type { ProgressSink } from '../execute/execute-plan.ts';

export function describeOutcome(outcome: AttemptOutcome): string {
  switch (outcome.kind) {
    case 'passed':
      return 'passed';
    case 'failed':
      return `failed (${outcome.failedChecks.join(', ')})`;
    case 'timed-out':
      return `timed out after ${(outcome.afterMs / 1000).toFixed(1)} s`;
    case 'infra-error':
      return `infra error [${outcome.source}]: ${outcome.message.split('\n')[0] ?? ''}`;
  }
}

/** One line per finished attempt, on stderr, so stdout stays for the report path. */
export function createLineProgress(write: (line: string) => void): ProgressSink {
  return {
    attemptStarted() {},
    attemptFinished(spec, attempt, { done, total }) {
      const cell = `${spec.scenarioId} × ${spec.targetId} × ${spec.promptVariantId} #${spec.repeatIndex}`;
      write(`[${done}/${total}] ${describeOutcome(attempt.outcome)} — ${cell} (${(attempt.timings.totalMs / 1000).toFixed(1)} s)`);
    },
  };
}
