import { describe, expect, it } from 'vitest';
import { FILE_FAILURE_NAME } from '../../attempt/checks/parse-vitest-report.ts';
import type { CheckStatus, TestFailure, TestsEvidence } from '../../core/domain/check-result.ts';
import { classifyFailure, describeCounterexample, isCounterexampleProblem, judgeCounterexample } from './explain-counterexample.ts';

const FILE = 'acceptance/net-worth.test.tsx';
const assertion: TestFailure = { file: FILE, name: 'net worth › shows CHF', message: "AssertionError: expected '€2,300.00' to contain 'CHF'" };
const testingLibrary: TestFailure = { file: FILE, name: 'net worth › is on the dashboard', message: 'TestingLibraryElementError: Unable to find an accessible element with the role "region"' };
const ownThrow: TestFailure = { file: FILE, name: 'net worth › is registered', message: 'Error: no widget with id "net-worth" in userWidgets' };
const loadError: TestFailure = { file: FILE, name: FILE_FAILURE_NAME, message: "Error: Failed to resolve import \"../src/user-components/NetWorth.tsx\" from \"acceptance/net-worth.test.tsx\". Does the file exist?" };
const dynamicImport: TestFailure = { file: FILE, name: 'net worth › loads', message: "Error: Cannot find module '/src/user-pages/targets.ts' imported from acceptance/t.test.tsx" };
const crash: TestFailure = { file: FILE, name: 'net worth › shows CHF', message: "TypeError: Cannot read properties of undefined (reading 'map')" };

function failedWith(failures: TestFailure[], fixtureFailures: TestFailure[] = []): CheckStatus<TestsEvidence> {
  return {
    status: 'failed',
    reason: `${failures.length} acceptance tests failed`,
    evidence: {
      exitCode: 1,
      suites: [
        { suite: 'fixture', total: 10, passed: 10 - fixtureFailures.length, failed: fixtureFailures.length, skipped: 0, failures: fixtureFailures },
        { suite: 'acceptance', total: 3, passed: 3 - failures.length, failed: failures.length, skipped: 0, failures },
      ],
    },
  };
}

describe('classifyFailure', () => {
  it('tells failed assertions (expect, Testing Library, the test’s own throw) from load errors and crashes', () => {
    expect([assertion, testingLibrary, ownThrow].map(classifyFailure)).toEqual(['assertion', 'assertion', 'assertion']);
    expect([loadError, dynamicImport].map(classifyFailure)).toEqual(['load-error', 'load-error']);
    expect(classifyFailure(crash)).toBe('crash');
    expect(classifyFailure({ ...crash, message: 'ReferenceError: NetWorthWidget is not defined' })).toBe('crash');
    expect(classifyFailure({ ...crash, message: 'SyntaxError: Unexpected token' })).toBe('crash');
  });
});

describe('judgeCounterexample', () => {
  it('rejected by failed assertions: names the first and counts the rest, even beside a crash', () => {
    const verdict = judgeCounterexample(failedWith([crash, assertion, testingLibrary]));
    expect(verdict).toEqual({ status: 'rejected', failures: [assertion, testingLibrary], assertionCount: 2 });
    expect(isCounterexampleProblem(verdict)).toBe(false);
    expect(describeCounterexample({ name: 'guess-eur', why: 'guessed euros', verdict })).toBe(
      `counterexample guess-eur (guessed euros): rejected by ${FILE} › net worth › shows CHF — AssertionError: expected '€2,300.00' to contain 'CHF' (and 1 more failed assertion)`,
    );
  });

  it('rejected only by a file that failed to load, or by a crash: INVALID with the reason', () => {
    const byImport = judgeCounterexample(failedWith([loadError]));
    expect(byImport).toMatchObject({ status: 'rejected-by-error', reason: expect.stringMatching(/failed to load \(an import or syntax error\)/) });
    expect(isCounterexampleProblem(byImport)).toBe(true);
    expect(describeCounterexample({ name: 'typo', why: 'x', verdict: byImport })).toMatch(/rejected only by an error outside the assertions — .*Failed to resolve import .*make it load and run/);
    expect(judgeCounterexample(failedWith([crash]))).toMatchObject({ status: 'rejected-by-error', reason: expect.stringMatching(/threw an error the tests do not assert/) });
  });

  it('an import error that also breaks the fixture’s own test files is still a load error, not the fixture’s fault', () => {
    const fixtureLoad: TestFailure = { ...loadError, file: 'src/core/App.test.tsx' };
    expect(judgeCounterexample(failedWith([loadError], [fixtureLoad]))).toMatchObject({ status: 'rejected-by-error', failures: [loadError, fixtureLoad] });
    expect(judgeCounterexample(failedWith([], [fixtureLoad]))).toMatchObject({ status: 'rejected-by-error' });
  });

  it('every test passed but vitest caught an unhandled error: rejected by an error', () => {
    const outcome = failedWith([]);
    if (outcome.status !== 'failed') throw new Error('unreachable');
    outcome.reason = 'every test passed but vitest caught unhandled errors from the code under test:\nTypeError: x';
    expect(judgeCounterexample(outcome)).toMatchObject({ status: 'rejected-by-error', reason: expect.stringMatching(/unhandled errors/) });
  });

  it('accepted, breaking the fixture’s own tests, or not running are named as such', () => {
    const passed: CheckStatus<TestsEvidence> = { status: 'passed', evidence: { exitCode: 0, suites: [] } };
    expect(judgeCounterexample(passed)).toEqual({ status: 'accepted' });
    expect(describeCounterexample({ name: 'x', why: 'y', verdict: { status: 'accepted' } })).toMatch(/the hidden tests pass on it — they accept a wrong solution/);
    expect(judgeCounterexample(failedWith([assertion], [assertion]))).toMatchObject({ status: 'breaks-fixture-tests' });
    expect(judgeCounterexample({ status: 'errored', error: 'vitest timed out' })).toEqual({ status: 'errored', error: 'vitest timed out' });
    expect(isCounterexampleProblem({ status: 'unchanged' })).toBe(true);
  });
});
