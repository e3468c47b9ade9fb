import type { AssertionValueFunctionContext, GradingResult } from 'promptfoo';
import { readAttemptMetadata } from './attempt-metadata.ts';
import { gradeAttempt, gradeUnreadable } from './grade-attempt.ts';

/**
 * A promptfoo `javascript` assertion that turns the harness provider's verdict into promptfoo's:
 * pass/fail is the attempt's outcome, with one component result per check whose reason names
 * the evidence (the diagnostic, the failing test, the file written outside the allowed paths).
 *
 *   defaultTest:
 *     assert:
 *       - type: javascript
 *         value: file://runners/promptfoo/harness-assertion.ts
 */
export default function gradeHarnessAttempt(_output: string, context: Pick<AssertionValueFunctionContext, 'providerResponse'> & { metadata?: unknown }): GradingResult {
  const read = readAttemptMetadata(context.metadata ?? context.providerResponse?.metadata);
  return read.status === 'read' ? gradeAttempt(read.metadata) : gradeUnreadable(read.reason);
}
