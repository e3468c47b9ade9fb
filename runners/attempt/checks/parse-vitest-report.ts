import { z } from 'zod';
import type { TestFailure, TestSuiteEvidence } from '../../core/domain/check-result.ts';
import { stripAnsi, stripStackTrace, truncateText } from './format-text.ts';
import { isUnderFolder, toReportPath } from './sandbox-paths.ts';

/** Failures kept per suite; the counts cover all of them. */
export const MAX_FAILURES = 20;
const MAX_MESSAGE_CHARS = 600;
/** The name given to a test file that failed as a whole (e.g. an import of a missing module). */
export const FILE_FAILURE_NAME = '(test file failed to load or run)';

/** The parts of vitest's `json` reporter output the check reads (Jest-compatible shape). */
const vitestReportSchema = z.object({
  numFailedTests: z.number(),
  numTotalTests: z.number(),
  success: z.boolean(),
  testResults: z.array(
    z.object({
      name: z.string(),
      /** `passed` | `failed`; a file that failed to load is `failed` with no assertions. */
      status: z.string(),
      message: z.string().default(''),
      assertionResults: z.array(
        z.object({
          fullName: z.string(),
          /** `passed` | `failed` | `skipped` | `pending` | `todo` | `disabled`. */
          status: z.string(),
          failureMessages: z.array(z.string()).default([]),
        }),
      ),
    }),
  ),
});

export interface ParsedTestRun {
  fixture: TestSuiteEvidence;
  acceptance: TestSuiteEvidence;
  /** Test files that failed as a whole, counted as one failure each. */
  fileFailures: number;
}

export type ParsedVitestReport = { status: 'parsed'; run: ParsedTestRun } | { status: 'invalid'; error: string };

export interface ParseVitestOptions {
  sandboxRoots: readonly string[];
  /** Folder (relative to the sandbox) holding the hidden acceptance tests. */
  hiddenTestsTarget: string;
}

/** Splits a vitest JSON report into the fixture's own tests and the hidden acceptance tests. */
export function parseVitestReport(text: string, options: ParseVitestOptions): ParsedVitestReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { status: 'invalid', error: `the vitest report is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = vitestReportSchema.safeParse(json);
  if (!parsed.success) return { status: 'invalid', error: `the vitest report has an unexpected shape: ${parsed.error.issues[0]?.message ?? 'unknown'}` };
  const fixture = createSuite('fixture');
  const acceptance = createSuite('acceptance');
  let fileFailures = 0;
  for (const testFile of parsed.data.testResults) {
    const file = toReportPath(options.sandboxRoots, testFile.name);
    const suite = isUnderFolder(file, options.hiddenTestsTarget) ? acceptance : fixture;
    for (const assertion of testFile.assertionResults) {
      if (assertion.status === 'passed') suite.passed += 1;
      else if (assertion.status === 'failed') addFailure(suite, { file, name: assertion.fullName, message: formatFailureMessage(assertion.failureMessages.join('\n')) });
      else suite.skipped += 1;
    }
    const hasFailedAssertion = testFile.assertionResults.some((assertion) => assertion.status === 'failed');
    if (testFile.status === 'failed' && !hasFailedAssertion) {
      fileFailures += 1;
      addFailure(suite, { file, name: FILE_FAILURE_NAME, message: formatFailureMessage(testFile.message) || 'the file failed without a message' });
    }
  }
  for (const suite of [fixture, acceptance]) suite.total = suite.passed + suite.failed + suite.skipped;
  return { status: 'parsed', run: { fixture, acceptance, fileFailures } };
}

function createSuite(suite: TestSuiteEvidence['suite']): TestSuiteEvidence {
  return { suite, total: 0, passed: 0, failed: 0, skipped: 0, failures: [] };
}

function addFailure(suite: TestSuiteEvidence, failure: TestFailure): void {
  suite.failed += 1;
  if (suite.failures.length < MAX_FAILURES) suite.failures.push(failure);
}

function formatFailureMessage(message: string): string {
  return truncateText(stripStackTrace(stripAnsi(message)), MAX_MESSAGE_CHARS);
}
