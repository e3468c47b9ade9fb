import type { CheckResult } from '../../core/domain/check-result.ts';
import { finalAttemptOf, isModelAttributable } from './spec-facts.ts';
import type { SpecSummary } from './summary-types.ts';

/**
 * The graded score of a spec's final attempt, in [0, 1] — the tuner's more sensitive instrument
 * beside pass/fail, which stays the headline. Rule, per model-answerable attempt (passed, failed
 * or timed out; infra errors and pending specs have no score):
 * - 0 when the typecheck failed, or when the permissions check failed or found any violation;
 * - otherwise the share of the hidden acceptance test cases that passed (the tests check's
 *   `acceptance` suite: passed / total, skipped cases counting as not passed);
 * - 0 when no acceptance test ran (the tests check errored, never ran, or found none).
 * So a passed attempt scores 1 unless acceptance tests were skipped, and an attempt that fails
 * only lint, or only one of ten acceptance tests, keeps most of its credit.
 */
export function scoreOfSpec(spec: SpecSummary): number | undefined {
  if (!isModelAttributable(spec)) return undefined;
  return scoreOfChecks(finalAttemptOf(spec)?.checks ?? []);
}

/** The rule above on one attempt's check results. */
export function scoreOfChecks(checks: readonly CheckResult[]): number {
  for (const check of checks) {
    if (check.check === 'typecheck' && check.status === 'failed') return 0;
    if (check.check === 'permissions' && (check.status === 'failed' || (check.status === 'passed' && check.evidence.violations.length > 0))) return 0;
  }
  const tests = checks.find((check) => check.check === 'tests');
  if (tests === undefined || tests.status === 'errored') return 0;
  const acceptance = tests.evidence.suites.find((suite) => suite.suite === 'acceptance');
  if (acceptance === undefined || acceptance.total === 0) return 0;
  return Math.min(1, Math.max(0, acceptance.passed / acceptance.total));
}
