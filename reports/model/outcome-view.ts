import type { AttemptOutcome, AttemptRecord } from '../../runners/core/domain/attempt.ts';
import type { InfraSource } from '../../runners/core/domain/transcript.ts';
import type { SpecSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { formatDuration } from './format.ts';
import type { VerdictView } from './attempt-view-types.ts';
import type { OutcomeTone } from './view-primitives.ts';

type SpecOutcome = SpecSummary['outcome'];

const INFRA_SOURCE_LABELS: Record<InfraSource, string> = {
  endpoint: 'model endpoint',
  opencode: 'OpenCode',
  harness: 'harness',
};

export const INFRA_NOTE = 'Not counted against the model: the attempt could not be carried out.';

export function toneOfOutcome(outcome: SpecOutcome): OutcomeTone {
  switch (outcome.kind) {
    case 'passed':
      return 'passed';
    case 'failed':
      return 'failed';
    case 'timed-out':
      return 'timed-out';
    case 'infra-error':
      return 'infra-error';
    case 'pending':
      return 'pending';
  }
}

export function labelOutcome(outcome: SpecOutcome): string {
  switch (outcome.kind) {
    case 'passed':
      return 'Passed';
    case 'failed':
      return 'Failed';
    case 'timed-out':
      return 'Timed out';
    case 'infra-error':
      return 'Infra error';
    case 'pending':
      return 'Pending';
  }
}

/** What an attempt's outcome means, in words: which checks failed, why it could not run. */
export function describeVerdict(outcome: AttemptOutcome, attempt: AttemptRecord): VerdictView {
  switch (outcome.kind) {
    case 'passed':
      return { tone: 'passed', title: 'Passed', detail: 'Every check passed.', note: null };
    case 'failed':
      return { tone: 'failed', title: `Failed: ${outcome.failedChecks.join(', ')}`, detail: describeFailureReasons(attempt), note: null };
    case 'timed-out':
      return { tone: 'timed-out', title: `Timed out after ${formatDuration(outcome.afterMs)}`, detail: null, note: null };
    case 'infra-error':
      return {
        tone: 'infra-error',
        title: `Infra error (${INFRA_SOURCE_LABELS[outcome.source]})`,
        detail: outcome.message,
        note: INFRA_NOTE,
      };
  }
}

function describeFailureReasons(attempt: AttemptRecord): string | null {
  const reasons = attempt.checks.flatMap((check) => {
    switch (check.status) {
      case 'failed':
        return [`${check.check}: ${check.reason}`];
      case 'errored':
        return [`${check.check} errored: ${check.error}`];
      case 'passed':
        return [];
    }
  });
  return reasons.length === 0 ? null : reasons.join('\n');
}

/** Whether the outcome says something about the model (infra errors and pending do not). */
export function isModelAttributable(outcome: SpecOutcome): boolean {
  return outcome.kind === 'passed' || outcome.kind === 'failed' || outcome.kind === 'timed-out';
}
