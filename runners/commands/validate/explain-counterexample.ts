import { FILE_FAILURE_NAME } from '../../attempt/checks/parse-vitest-report.ts';
import type { CheckStatus, TestFailure, TestsEvidence } from '../../core/domain/check-result.ts';

/**
 * Why a hidden test failed: a failed assertion (expect, Testing Library's queries, or an error
 * the test itself throws), or an error outside the assertions — the test file did not load
 * (import, syntax), or the code under test crashed (TypeError, ReferenceError, …).
 */
export type FailureKind = 'assertion' | 'load-error' | 'crash';

const CRASH = /^(TypeError|ReferenceError|SyntaxError|RangeError|InternalError|EvalError)\b/;
const IMPORT_PROBLEM = /Cannot find module|Failed to (resolve|load) (import|url)|does not provide an export named|Failed to fetch dynamically imported module/i;

export function classifyFailure(failure: TestFailure): FailureKind {
  if (failure.name === FILE_FAILURE_NAME) return 'load-error';
  const firstLine = failure.message.trimStart().split('\n')[0] ?? '';
  if (IMPORT_PROBLEM.test(firstLine)) return 'load-error';
  return CRASH.test(firstLine) ? 'crash' : 'assertion';
}

/** What the hidden tests did with one counterexample. Only `rejected` is what a counterexample is for. */
export type CounterexampleVerdict =
  /** Failed assertions rejected it: the first of them, and how many there were. */
  | { status: 'rejected'; failures: TestFailure[]; assertionCount: number }
  /** It failed only by errors outside the assertions: it proves nothing about the tests. */
  | { status: 'rejected-by-error'; failures: TestFailure[]; reason: string }
  | { status: 'accepted' }
  /** The fixture's own tests fail with it: a failure would not come from the hidden tests. */
  | { status: 'breaks-fixture-tests'; failures: TestFailure[] }
  /** Its files equal the fixture's: it is the untouched fixture again. */
  | { status: 'unchanged' }
  /** The tests could not run (a harness or environment fault). */
  | { status: 'errored'; error: string };

export interface CounterexampleResult {
  /** The folder's name, e.g. `guess-eur`. */
  name: string;
  why: string;
  verdict: CounterexampleVerdict;
}

const SHOWN_FAILURES = 3;

/**
 * Judges the tests' outcome on a counterexample applied to the untouched fixture. Errors outside
 * the assertions come first: an import error in the counterexample breaks every test file that
 * imports it, the fixture's own included, and that is what the author has to fix.
 */
export function judgeCounterexample(outcome: CheckStatus<TestsEvidence>): CounterexampleVerdict {
  if (outcome.status === 'errored') return { status: 'errored', error: outcome.error };
  const fixtureFailures = outcome.evidence.suites.find((suite) => suite.suite === 'fixture')?.failures ?? [];
  const acceptance = outcome.evidence.suites.find((suite) => suite.suite === 'acceptance');
  const failures = acceptance?.failures ?? [];
  const everyFailure = [...failures, ...fixtureFailures];
  if (everyFailure.length > 0 && everyFailure.every((failure) => classifyFailure(failure) !== 'assertion')) {
    const loadError = everyFailure.some((failure) => classifyFailure(failure) === 'load-error');
    const reason = loadError ? 'a test file failed to load (an import or syntax error)' : 'the code under test threw an error the tests do not assert';
    return { status: 'rejected-by-error', failures: everyFailure.slice(0, SHOWN_FAILURES), reason };
  }
  if (fixtureFailures.length > 0) return { status: 'breaks-fixture-tests', failures: fixtureFailures.slice(0, SHOWN_FAILURES) };
  if (failures.length === 0) {
    // Every test passed, yet the run failed: vitest caught an unhandled error from the code under test.
    if (outcome.status === 'failed' && (acceptance?.total ?? 0) > 0) return { status: 'rejected-by-error', failures: [], reason: firstLine(outcome.reason) };
    return { status: 'accepted' };
  }
  const assertions = failures.filter((failure) => classifyFailure(failure) === 'assertion');
  return { status: 'rejected', failures: assertions.slice(0, SHOWN_FAILURES), assertionCount: assertions.length };
}

/** One line per counterexample: what rejected it, or why it proves nothing. */
export function describeCounterexample(result: CounterexampleResult): string {
  const label = `counterexample ${result.name} (${result.why})`;
  const { verdict } = result;
  switch (verdict.status) {
    case 'rejected':
      return `${label}: rejected by ${formatFailure(verdict.failures[0])}${more(verdict.assertionCount)}`;
    case 'rejected-by-error':
      return `${label}: rejected only by an error outside the assertions — ${verdict.reason}${verdict.failures[0] === undefined ? '' : `: ${formatFailure(verdict.failures[0])}`}; make it load and run, so that a failed assertion rejects it`;
    case 'accepted':
      return `${label}: the hidden tests pass on it — they accept a wrong solution`;
    case 'breaks-fixture-tests':
      return `${label}: the fixture's own tests fail on it (${formatFailure(verdict.failures[0])}), so it does not show the hidden tests rejecting it`;
    case 'unchanged':
      return `${label}: its files equal the fixture's, so it is the untouched fixture again; put the wrong solution's files there`;
    case 'errored':
      return `${label}: the tests could not run: ${firstLine(verdict.error)}`;
  }
}

export function isCounterexampleProblem(verdict: CounterexampleVerdict): boolean {
  return verdict.status !== 'rejected' && verdict.status !== 'errored';
}

function formatFailure(failure: TestFailure | undefined): string {
  if (failure === undefined) return '(no failure recorded)';
  return `${failure.file} › ${failure.name} — ${firstLine(failure.message)}`;
}

function more(count: number): string {
  return count > 1 ? ` (and ${count - 1} more failed assertion${count === 2 ? '' : 's'})` : '';
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 240 ? `${line.slice(0, 240)}…` : line;
}
