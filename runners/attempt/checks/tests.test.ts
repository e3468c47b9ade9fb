import { describe, expect, it } from 'vitest';
import { CAPTURE_ROOT, VITEST_REPORT } from './captured-outputs.ts';
import { FILE_FAILURE_NAME, parseVitestReport } from './parse-vitest-report.ts';
import { exited } from './test-support.ts';
import { judgeTests } from './tests.ts';

const roots = [CAPTURE_ROOT];
const options = { sandboxRoots: roots, changedFiles: [], hiddenTestsTarget: 'src/__acceptance__' };

/** A vitest JSON report with one assertion per status given, per file. */
function buildReport(files: Record<string, string[]>): string {
  const testResults = Object.entries(files).map(([name, statuses]) => ({
    name: `${CAPTURE_ROOT}/${name}`,
    status: statuses.includes('failed') ? 'failed' : 'passed',
    message: '',
    assertionResults: statuses.map((status, index) => ({ fullName: `test ${index}`, status, failureMessages: status === 'failed' ? ['AssertionError: nope'] : [] })),
  }));
  const all = Object.values(files).flat();
  return JSON.stringify({ numFailedTests: all.filter((status) => status === 'failed').length, numTotalTests: all.length, success: !all.includes('failed'), testResults });
}

describe('parseVitestReport', () => {
  it('splits the fixture tests from the acceptance tests and counts load failures', () => {
    const parsed = parseVitestReport(VITEST_REPORT, options);
    if (parsed.status !== 'parsed') throw new Error(parsed.error);
    const { fixture, acceptance, fileFailures } = parsed.run;
    expect(fixture).toMatchObject({ total: 4, passed: 1, failed: 1, skipped: 2 });
    expect(fixture.failures).toEqual([{ file: 'src/sum.test.ts', name: 'sum fails on purpose', message: 'AssertionError: expected 3 to be 4 // Object.is equality' }]);
    expect(acceptance).toMatchObject({ total: 3, passed: 1, failed: 2, skipped: 0 });
    expect(fileFailures).toBe(2);
    expect(acceptance.failures).toContainEqual({ file: 'src/__acceptance__/widget.test.ts', name: FILE_FAILURE_NAME, message: "Cannot find module '../Widget.tsx' imported from /tmp/capture/src/__acceptance__/widget.test.ts" });
    expect(acceptance.failures).toContainEqual({ file: 'src/__acceptance__/throws.test.ts', name: FILE_FAILURE_NAME, message: 'boom at load' });
  });

  it('accepts the target written as ./folder/', () => {
    const parsed = parseVitestReport(VITEST_REPORT, { ...options, hiddenTestsTarget: './src/__acceptance__/' });
    expect(parsed.status === 'parsed' && parsed.run.acceptance.total).toBe(3);
  });

  it('rejects a report that is not JSON or not a vitest report', () => {
    expect(parseVitestReport('JSON report written to', options).status).toBe('invalid');
    expect(parseVitestReport('{"testResults": "no"}', options).status).toBe('invalid');
  });
});

describe('judgeTests', () => {
  const passing = buildReport({ 'src/sum.test.ts': ['passed', 'skipped'], 'src/__acceptance__/widget.test.ts': ['passed', 'passed'] });

  it('passes when every fixture and acceptance test passes', () => {
    const result = judgeTests(exited(0, { report: passing }), options);
    expect(result.status).toBe('passed');
    expect(result.status === 'passed' && result.evidence.suites.map((suite) => [suite.suite, suite.total, suite.passed])).toEqual([['fixture', 2, 1], ['acceptance', 2, 2]]);
  });

  it('fails naming the failing tests of each suite, with load failures of hidden tests', () => {
    const result = judgeTests(exited(1, { report: VITEST_REPORT }), options);
    if (result.status !== 'failed') throw new Error(`expected failed, got ${result.status}`);
    expect(result.reason).toContain('1 fixture test failed: src/sum.test.ts › sum fails on purpose');
    expect(result.reason).toContain(`2 acceptance tests failed: src/__acceptance__/throws.test.ts › ${FILE_FAILURE_NAME}`);
  });

  it('fails when only a fixture test fails', () => {
    const report = buildReport({ 'src/sum.test.ts': ['failed'], 'src/__acceptance__/widget.test.ts': ['passed'] });
    expect(judgeTests(exited(1, { report }), options)).toMatchObject({ status: 'failed', reason: '1 fixture test failed: src/sum.test.ts › test 0 (AssertionError: nope)' });
  });

  it('fails when no acceptance test ran', () => {
    const report = buildReport({ 'src/sum.test.ts': ['passed'] });
    expect(judgeTests(exited(0, { report }), options)).toMatchObject({ status: 'failed', reason: 'no acceptance test ran (expected test files under src/__acceptance__)' });
  });

  it('fails when every test passed but vitest caught unhandled errors', () => {
    const stderr = '⎯⎯ Unhandled Errors ⎯⎯\nVitest caught 1 unhandled error during the test run.\nError: late boom';
    expect(judgeTests(exited(1, { report: passing, stderr }), options)).toMatchObject({ status: 'failed', reason: expect.stringContaining('late boom') });
  });

  it('errors when the exit code contradicts the report', () => {
    expect(judgeTests(exited(1, { report: passing }), options)).toMatchObject({ status: 'errored', error: expect.stringContaining('exit code is unexplained') });
    const failing = buildReport({ 'src/__acceptance__/widget.test.ts': ['failed'] });
    expect(judgeTests(exited(0, { report: failing }), options)).toMatchObject({ status: 'errored', error: expect.stringContaining('exited 0') });
  });

  it('errors without a report, unless the agent changed the vitest config', () => {
    expect(judgeTests(exited(1, { stderr: 'failed to load config from vitest.config.ts' }), options)).toMatchObject({ status: 'errored', error: expect.stringContaining('failed to load config') });
    expect(judgeTests(exited(1), { ...options, changedFiles: ['vitest.config.ts'] })).toMatchObject({ status: 'failed', reason: expect.stringContaining('vitest.config.ts') });
  });

  it('errors when vitest timed out', () => {
    expect(judgeTests({ status: 'timed-out', timeoutMs: 100, stdout: '', stderr: '', report: undefined, durationMs: 100 }, options).status).toBe('errored');
  });
});
