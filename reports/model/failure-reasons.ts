import type { AttemptRecord } from '../../runners/core/domain/attempt.ts';
import type { CheckResult } from '../../runners/core/domain/check-result.ts';
import type { InfraSource } from '../../runners/core/domain/transcript.ts';
import type { CohortKey, RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { truncateText } from './format.ts';
import { cohortIdOf } from './run-index.ts';

/**
 * Why attempts fail, as countable signatures: the same failing acceptance test, type error,
 * lint rule or violated path across many attempts is one row, not many.
 */
export interface FailureSignature {
  check: string;
  text: string;
}

export interface CountedSignature extends FailureSignature {
  /** Distinct attempts showing it. */
  attempts: number;
  cohorts: CohortKey[];
  exampleAttemptId: string;
}

const MAX_SIGNATURE_CHARS = 240;
const PER_CHECK_LIMIT = 3;

/** Signatures of one attempt's failure; the same signature counts once per attempt. */
export function listFailureSignatures(attempt: AttemptRecord): FailureSignature[] {
  if (attempt.outcome.kind === 'timed-out') return [{ check: 'timeout', text: 'The attempt hit its time limit' }];
  if (attempt.outcome.kind !== 'failed') return [];
  const signatures = attempt.checks.flatMap((check) => (check.status === 'failed' ? signaturesOfCheck(check) : []));
  const unique = new Map(signatures.map((signature) => [`${signature.check}\u0000${signature.text}`, signature]));
  return [...unique.values()];
}

function signaturesOfCheck(check: Extract<CheckResult, { status: 'failed' }>): FailureSignature[] {
  const make = (texts: string[]): FailureSignature[] => {
    const kept = texts.length === 0 ? [check.reason] : texts.slice(0, PER_CHECK_LIMIT);
    return kept.map((text) => ({ check: check.check, text: truncateText(text.replace(/\s+/g, ' ').trim(), MAX_SIGNATURE_CHARS) }));
  };
  switch (check.check) {
    case 'typecheck':
      return make(check.evidence.diagnostics.map((diagnostic) => `${diagnostic.code}: ${diagnostic.message}`));
    case 'lint':
      return make(check.evidence.findings.filter((finding) => finding.severity === 'error').map((finding) => `${finding.ruleId ?? 'parse error'}: ${finding.message}`));
    case 'tests':
      return make(check.evidence.suites.flatMap((suite) => suite.failures.map((failure) => `${suite.suite} › ${failure.name}`)));
    case 'permissions':
      return make(check.evidence.violations.map((violation) => `${violation.kind}: ${violation.path ?? violation.tool ?? violation.detail}`));
    case 'agent-health':
      return make([
        ...check.evidence.textToolCalls.map((call) => `tool call written as text (${call.pattern})`),
        ...check.evidence.invalidToolCalls.map((call) => `invalid call to ${call.tool}`),
        ...check.evidence.sessionErrors.map((error) => `session error: ${error.name}`),
        ...(check.evidence.contextOverflow ? ['context overflow'] : []),
      ]);
  }
}

/** The most frequent signatures over the final attempts of every spec, most frequent first. */
export function countFailureSignatures(summary: RunSummary, limit: number): CountedSignature[] {
  const counted = new Map<string, CountedSignature>();
  for (const spec of summary.specs) {
    const attempt = spec.attempts.at(-1);
    if (attempt === undefined) continue;
    const cohort = { targetId: spec.spec.targetId, promptVariantId: spec.spec.promptVariantId };
    for (const signature of listFailureSignatures(attempt)) {
      const id = `${signature.check}\u0000${signature.text}`;
      const entry = counted.get(id) ?? { ...signature, attempts: 0, cohorts: [], exampleAttemptId: attempt.attemptId };
      entry.attempts += 1;
      if (!entry.cohorts.some((known) => cohortIdOf(known) === cohortIdOf(cohort))) entry.cohorts.push(cohort);
      counted.set(id, entry);
    }
  }
  return [...counted.values()].sort((left, right) => right.attempts - left.attempts || left.text.localeCompare(right.text)).slice(0, limit);
}

export interface CountedInfraError {
  source: InfraSource;
  message: string;
  attempts: number;
  /** Of those, attempts a retry later replaced. */
  retried: number;
  cohorts: CohortKey[];
  exampleAttemptId: string;
}

/** Every attempt that ended in an infra error, retried ones included, grouped by source and message. */
export function countInfraErrors(summary: RunSummary, limit: number): { total: number; retried: number; rows: CountedInfraError[] } {
  const counted = new Map<string, CountedInfraError>();
  let total = 0;
  let retried = 0;
  for (const spec of summary.specs) {
    const cohort = { targetId: spec.spec.targetId, promptVariantId: spec.spec.promptVariantId };
    spec.attempts.forEach((attempt, position) => {
      if (attempt.outcome.kind !== 'infra-error') return;
      total += 1;
      const message = truncateText(attempt.outcome.message.trim(), MAX_SIGNATURE_CHARS);
      const id = `${attempt.outcome.source}\u0000${message}`;
      const entry = counted.get(id) ?? { source: attempt.outcome.source, message, attempts: 0, retried: 0, cohorts: [], exampleAttemptId: attempt.attemptId };
      entry.attempts += 1;
      if (position < spec.attempts.length - 1) {
        entry.retried += 1;
        retried += 1;
      }
      if (!entry.cohorts.some((known) => cohortIdOf(known) === cohortIdOf(cohort))) entry.cohorts.push(cohort);
      counted.set(id, entry);
    });
  }
  return { total, retried, rows: [...counted.values()].sort((left, right) => right.attempts - left.attempts).slice(0, limit) };
}
