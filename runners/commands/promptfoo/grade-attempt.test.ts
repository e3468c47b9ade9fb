import { describe, expect, it } from 'vitest';
import { makePassingChecks } from '../../testing/support/reports/sample-checks.ts';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { CheckResult } from '../../core/domain/check-result.ts';
import { gradeAttempt } from './grade-attempt.ts';
import gradeHarnessAttempt from './harness-assertion.ts';
import { readBack, sampleSpec } from './test-support.ts';

function componentReason(result: ReturnType<typeof gradeAttempt>, metric: string): string {
  const component = result.componentResults?.find((item) => item.assertion?.metric === metric);
  if (component === undefined) throw new Error(`no ${metric} component`);
  return `${component.pass ? 'PASS' : 'FAIL'} ${component.reason}`;
}

describe('gradeAttempt', () => {
  it('passes an attempt whose checks all passed, with one passing component per check', () => {
    const { spec, attempts } = sampleSpec('sortable', 'qwen-fp16');
    const result = gradeAttempt(readBack(spec, attempts));
    expect(result.pass).toBe(true);
    expect(result.score).toBe(1);
    expect(result.componentResults?.map((item) => [item.assertion?.metric, item.pass])).toEqual([
      ['typecheck', true], ['lint', true], ['tests', true], ['permissions', true], ['agent-health', true],
    ]);
    expect(result.namedScores).toEqual({ typecheck: 1, lint: 1, tests: 1, permissions: 1, 'agent-health': 1 });
    expect(componentReason(result, 'tests')).toBe('PASS tests passed: fixture 12/12 passed, acceptance 4/4 passed');
    expect(result.reason).toContain('sortable × qwen-fp16 × default #0');
  });

  it('fails an attempt and names the evidence of every failing check', () => {
    const { spec, attempts } = sampleSpec('sortable', 'qwen-awq');
    const result = gradeAttempt(readBack(spec, attempts));
    expect(result.pass).toBe(false);
    expect(componentReason(result, 'typecheck')).toBe(
      "FAIL typecheck failed: 2 diagnostics — src/components/HoldingsTable.tsx:11:18 TS2304 Cannot find name 'sortBy'.; src/components/HoldingsTable.tsx:12:5 TS7006 Parameter 'row' implicitly has an 'any' type.",
    );
    expect(componentReason(result, 'lint')).toBe('FAIL lint could not run: eslint exited with code 2: Cannot read config file');
    expect(componentReason(result, 'tests')).toContain('acceptance 3/4 passed — acceptance: "sorts by value when the header is clicked" (src/__acceptance__/sorting.test.tsx)');
    expect(componentReason(result, 'permissions')).toBe(
      'FAIL permissions failed: 2 violations — edit-outside-allowed package.json via edit (took effect): package.json is not matched by edit.allow (src/**); ' +
        'denied-read-attempt .env via read (refused): read.deny matches .env; OpenCode refused the call',
    );
    expect(result.reason).toContain('edit-outside-allowed package.json');
    expect(result.namedScores).toMatchObject({ typecheck: 0, lint: 0, tests: 0, permissions: 0 });
    expect(result.score).toBeCloseTo(1 / 5);
  });

  it('adds a failing time-limit component to a timed-out attempt', () => {
    const { spec, attempts } = sampleSpec('currency', 'qwen-fp16');
    const result = gradeAttempt(readBack(spec, attempts));
    expect(result.pass).toBe(false);
    const timeout = result.componentResults?.find((item) => item.assertion?.metric === undefined);
    expect(timeout?.reason).toBe('timed out after 300.0 s; the session was aborted');
    expect(componentReason(result, 'typecheck')).toContain('typecheck did not run');
  });

  it('lists three items and counts the rest', () => {
    const { spec, attempts } = sampleSpec('sortable', 'qwen-fp16');
    const diagnostics = Array.from({ length: 5 }, (_, index) => ({ file: `src/f${index}.ts`, line: 1, column: 1, code: 'TS1', message: 'bad' }));
    const checks: CheckResult[] = makePassingChecks().map((check) =>
      check.check === 'typecheck' ? { check: 'typecheck', durationMs: 1, status: 'failed', reason: '5 type errors', evidence: { exitCode: 2, diagnosticCount: 7, diagnostics } } : check,
    );
    const attempt: AttemptRecord = { ...(attempts[0] as AttemptRecord), outcome: { kind: 'failed', failedChecks: ['typecheck'] }, checks };
    const reason = componentReason(gradeAttempt(readBack(spec, [attempt])), 'typecheck');
    expect(reason).toBe('FAIL typecheck failed: 7 diagnostics — src/f0.ts:1:1 TS1 bad; src/f1.ts:1:1 TS1 bad; src/f2.ts:1:1 TS1 bad; … 4 more');
  });

  it('makes terminal escape sequences in model-produced evidence visible', () => {
    const { spec, attempts } = sampleSpec('sortable', 'qwen-fp16');
    const checks: CheckResult[] = makePassingChecks().map((check) =>
      check.check === 'permissions'
        ? { check: 'permissions', durationMs: 1, status: 'failed', reason: '1 violation', evidence: { changedFiles: [], violations: [
          { kind: 'edit-outside-allowed', path: 'src/core/\u001b[2Jevil.ts', effective: true, detail: 'outside\u0007' },
        ] } }
        : check,
    );
    const attempt: AttemptRecord = { ...(attempts[0] as AttemptRecord), outcome: { kind: 'failed', failedChecks: ['permissions'] }, checks };
    const reason = componentReason(gradeAttempt(readBack(spec, [attempt])), 'permissions');
    expect(reason).toContain('src/core/\\u{1b}[2Jevil.ts');
    expect(reason).toContain('outside\\u{7}');
    expect([...reason].some((character) => character === '\u001b' || character === '\u0007')).toBe(false);
  });
});

describe('the harness assertion (promptfoo javascript assertion)', () => {
  it('grades from the metadata promptfoo hands it', () => {
    const { spec, attempts } = sampleSpec('sortable', 'qwen-awq');
    const metadata = JSON.parse(JSON.stringify({ harness: { ...readBack(spec, attempts) } })) as Record<string, unknown>;
    const result = gradeHarnessAttempt('output', { providerResponse: undefined, metadata });
    expect(result.pass).toBe(false);
    expect(result.componentResults).toHaveLength(5);
  });

  it('fails, saying why, when the response did not come from the harness provider', () => {
    const result = gradeHarnessAttempt('Echo: hi', { providerResponse: { output: 'Echo: hi' } });
    expect(result).toMatchObject({ pass: false, score: 0 });
    expect(result.reason).toContain('use this assertion with the harness provider');
  });

  it('fails, naming the field, when the metadata is malformed', () => {
    const result = gradeHarnessAttempt('x', { providerResponse: undefined, metadata: { harness: { version: 1, outcome: { kind: 'exploded' } } } });
    expect(result.pass).toBe(false);
    expect(result.reason).toMatch(/^metadata\.harness\./);
  });
});
