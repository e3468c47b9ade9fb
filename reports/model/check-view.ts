import type { CheckResult } from '../../runners/core/domain/check-result.ts';
import { CHECK_NAMES } from '../../runners/core/domain/check-result.ts';
import { formatDuration } from './format.ts';
import { viewEvidence } from './evidence-view.ts';
import type { CheckView } from './attempt-view-types.ts';

/** Every check of an attempt, in the canonical check order. */
export function buildCheckViews(checks: CheckResult[]): CheckView[] {
  const rank = (check: CheckResult): number => CHECK_NAMES.indexOf(check.check);
  return [...checks].sort((left, right) => rank(left) - rank(right)).map(buildCheckView);
}

function buildCheckView(check: CheckResult): CheckView {
  const base = { name: check.check, duration: formatDuration(check.durationMs), isOpen: check.status !== 'passed' };
  switch (check.status) {
    case 'passed':
      return { ...base, status: 'passed', statusLabel: 'Passed', reason: null, ...viewEvidence(check.check, check.evidence) };
    case 'failed':
      return { ...base, status: 'failed', statusLabel: 'Failed', reason: check.reason, ...viewEvidence(check.check, check.evidence) };
    case 'errored':
      return { ...base, status: 'errored', statusLabel: 'Could not run', reason: check.error, facts: [], blocks: [] };
  }
}
