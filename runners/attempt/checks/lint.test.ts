import { describe, expect, it } from 'vitest';
import { CAPTURE_ROOT, ESLINT_REPORT } from './captured-outputs.ts';
import { judgeLint } from './lint.ts';
import { parseEslintReport } from './parse-eslint-report.ts';
import { exited } from './test-support.ts';

const roots = [CAPTURE_ROOT];
const options = { sandboxRoots: roots, changedFiles: [] };
const CLEAN_REPORT = JSON.stringify([{ filePath: `${CAPTURE_ROOT}/src/ok.ts`, messages: [], errorCount: 0, warningCount: 0 }]);

describe('parseEslintReport', () => {
  it('reads findings with relative paths, rules and severities', () => {
    const parsed = parseEslintReport(ESLINT_REPORT, roots);
    if (parsed.status !== 'parsed') throw new Error(parsed.error);
    expect([parsed.errorCount, parsed.warningCount]).toEqual([4, 2]);
    expect(parsed.findings).toContainEqual({ file: 'src/c.ts', line: 1, column: 7, ruleId: '@typescript-eslint/no-unused-vars', severity: 'error', message: "'unused' is assigned a value but never used." });
    expect(parsed.findings).toContainEqual({ file: 'src/d.ts', line: 1, column: 23, ruleId: null, severity: 'error', message: 'Parsing error: Expression expected.' });
    expect(parsed.findings.find((finding) => finding.file === 'dist/x.js')).toMatchObject({ line: 0, column: 0, severity: 'warning' });
  });

  it('rejects a report that is not JSON or not an ESLint report', () => {
    expect(parseEslintReport('Oops! Something went wrong!', roots).status).toBe('invalid');
    expect(parseEslintReport('{"results": []}', roots).status).toBe('invalid');
  });
});

describe('judgeLint', () => {
  it('passes on a clean report', () => {
    expect(judgeLint(exited(0, { report: CLEAN_REPORT }), options)).toEqual({ status: 'passed', evidence: { exitCode: 0, errorCount: 0, warningCount: 0, findings: [] } });
  });

  it('passes with warnings only when ESLint exits 0', () => {
    const report = JSON.stringify([{ filePath: `${CAPTURE_ROOT}/src/a.ts`, messages: [{ ruleId: 'no-console', severity: 1, message: 'Unexpected console statement.', line: 1, column: 1 }] }]);
    expect(judgeLint(exited(0, { report }), options)).toMatchObject({ status: 'passed', evidence: { warningCount: 1 } });
  });

  it('fails on error findings, listing errors first', () => {
    const result = judgeLint(exited(1, { report: ESLINT_REPORT }), options);
    if (result.status !== 'failed') throw new Error(`expected failed, got ${result.status}`);
    expect(result.reason).toBe("4 lint errors: src/c.ts:1:7 @typescript-eslint/no-unused-vars: 'unused' is assigned a value but never used. (and 3 more)");
    expect(result.evidence.findings.map((finding) => finding.severity)).toEqual(['error', 'error', 'error', 'error', 'warning', 'warning']);
  });

  it('fails when warnings exceed --max-warnings (exit 1 without errors)', () => {
    const report = JSON.stringify([{ filePath: `${CAPTURE_ROOT}/src/a.ts`, messages: [{ ruleId: 'no-console', severity: 1, message: 'x', line: 1, column: 1 }] }]);
    expect(judgeLint(exited(1, { report }), options).status).toBe('failed');
  });

  it('errors when ESLint crashed without a report (exit 2)', () => {
    const result = judgeLint(exited(2, { stderr: 'Oops! Something went wrong! :(\n\nESLint: 10.15.0\n\nNo files matching the pattern "src" were found.' }), options);
    expect(result.status === 'errored' && result.error).toContain('No files matching the pattern');
  });

  it('errors on exit 1 with an empty report, and on an unreadable report', () => {
    expect(judgeLint(exited(1, { report: CLEAN_REPORT }), options).status).toBe('errored');
    expect(judgeLint(exited(1, { report: '[{' }), options).status).toBe('errored');
  });

  it('fails when ESLint crashed after the agent changed its config', () => {
    expect(judgeLint(exited(2), { sandboxRoots: roots, changedFiles: ['eslint.config.js'] })).toMatchObject({ status: 'failed', reason: expect.stringContaining('eslint.config.js') });
  });
});
