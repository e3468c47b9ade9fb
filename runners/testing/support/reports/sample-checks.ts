import type { AgentHealthEvidence, CheckResult, CheckResultOf } from '../../../core/domain/check-result.ts';

const HEALTHY: AgentHealthEvidence = { toolCalls: 3, textToolCalls: [], invalidToolCalls: [], sessionErrors: [], contextOverflow: false };

export function makePassingChecks(): CheckResult[] {
  return [
    { check: 'typecheck', durationMs: 4100, status: 'passed', evidence: { exitCode: 0, diagnosticCount: 0, diagnostics: [] } },
    { check: 'lint', durationMs: 3200, status: 'passed', evidence: { exitCode: 0, errorCount: 0, warningCount: 1, findings: [
      { file: 'src/lib/compare-by.ts', line: 2, column: 3, ruleId: 'prefer-const', severity: 'warning', message: "'x' is never reassigned." },
    ] } },
    makeTestsCheck('passed'),
    { check: 'permissions', durationMs: 40, status: 'passed', evidence: { changedFiles: ['src/components/HoldingsTable.tsx', 'src/lib/compare-by.ts'], violations: [] } },
    { check: 'agent-health', durationMs: 2, status: 'passed', evidence: HEALTHY },
  ];
}

/** Typecheck and permissions fail; agent health passes with warnings worth showing. */
export function makeFailingChecks(): CheckResult[] {
  return [
    {
      check: 'typecheck', durationMs: 4300, status: 'failed', reason: '2 type errors',
      evidence: { exitCode: 2, diagnosticCount: 2, diagnostics: [
        { file: 'src/components/HoldingsTable.tsx', line: 11, column: 18, code: 'TS2304', message: "Cannot find name 'sortBy'." },
        { file: 'src/components/HoldingsTable.tsx', line: 12, column: 5, code: 'TS7006', message: "Parameter 'row' implicitly has an 'any' type." },
      ] },
    },
    { check: 'lint', durationMs: 3000, status: 'errored', error: 'eslint exited with code 2: Cannot read config file' },
    makeTestsCheck('failed'),
    {
      check: 'permissions', durationMs: 55, status: 'failed', reason: '2 violations',
      evidence: { changedFiles: ['package.json', 'src/components/HoldingsTable.tsx'], violations: [
        { kind: 'edit-outside-allowed', path: 'package.json', tool: 'edit', callId: 'call_edit_pkg', effective: true, detail: 'package.json is not matched by edit.allow (src/**)' },
        { kind: 'denied-read-attempt', path: '.env', tool: 'read', callId: 'call_read_env', effective: false, detail: 'read.deny matches .env; OpenCode refused the call' },
      ] },
    },
    {
      check: 'agent-health', durationMs: 3, status: 'passed',
      evidence: {
        toolCalls: 2,
        textToolCalls: [{ excerpt: '<tool_call>{"name": "edit", "arguments": {}}</tool_call>', pattern: '<tool_call>' }],
        invalidToolCalls: [{ tool: 'edit', error: 'oldString not found in content' }],
        sessionErrors: [{ name: 'ContextOverflowError', message: 'prompt is 33012 tokens, context is 32768' }],
        contextOverflow: true,
      },
    },
  ];
}

function makeTestsCheck(status: 'passed' | 'failed'): CheckResultOf<'tests'> {
  if (status === 'passed') {
    return { check: 'tests', durationMs: 8800, status, evidence: { exitCode: 0, suites: [
      { suite: 'fixture', total: 12, passed: 12, failed: 0, skipped: 0, failures: [] },
      { suite: 'acceptance', total: 4, passed: 4, failed: 0, skipped: 0, failures: [] },
    ] } };
  }
  return { check: 'tests', durationMs: 9100, status, reason: 'acceptance: 1 of 4 failed', evidence: { exitCode: 1, suites: [
    { suite: 'fixture', total: 12, passed: 12, failed: 0, skipped: 0, failures: [] },
    { suite: 'acceptance', total: 4, passed: 3, failed: 1, skipped: 0, failures: [
      { file: 'src/__acceptance__/sorting.test.tsx', name: 'sorts by value when the header is clicked', message: 'expected [ "AAPL", "MSFT" ] to deeply equal [ "MSFT", "AAPL" ]' },
    ] },
  ] } };
}
