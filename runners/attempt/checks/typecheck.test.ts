import { describe, expect, it } from 'vitest';
import { CAPTURE_ROOT, TSC_PLAIN_OUTPUT, TSC_PRETTY_OUTPUT } from './captured-outputs.ts';
import { parseTscOutput } from './parse-tsc-output.ts';
import { exited } from './test-support.ts';
import { MAX_DIAGNOSTICS, judgeTypecheck } from './typecheck.ts';

const roots = [CAPTURE_ROOT];
const options = { sandboxRoots: roots, changedFiles: [] };

describe('parseTscOutput', () => {
  it('reads every diagnostic of plain output and folds message chains', () => {
    const diagnostics = parseTscOutput(TSC_PLAIN_OUTPUT, roots);
    expect(diagnostics).toHaveLength(7);
    expect(diagnostics[0]).toEqual({ file: 'src/a.ts', line: 1, column: 14, code: 'TS2322', message: "Type 'string' is not assignable to type 'number'." });
    expect(diagnostics[3]?.code).toBe('TS2307');
    const chained = diagnostics[6];
    expect(chained).toMatchObject({ file: 'src/b.ts', line: 4, column: 7 });
    expect(chained?.message.split('\n')).toHaveLength(5);
    expect(chained?.message).toContain("Types of property 'value' are incompatible.");
  });

  it('reads pretty output without counting related information or code frames', () => {
    const diagnostics = parseTscOutput(TSC_PRETTY_OUTPUT, roots);
    expect(diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.line}:${diagnostic.column} ${diagnostic.code}`)).toEqual(['src/b.ts:3:32 TS2322', 'src/b.ts:4:7 TS2322']);
    expect(diagnostics[0]?.message).toBe("Type 'string' is not assignable to type 'number'.");
    expect(diagnostics[1]?.message.split('\n')).toHaveLength(5);
  });

  it('makes absolute paths relative and keeps diagnostics without a location', () => {
    const output = `${CAPTURE_ROOT}/src/x.ts(2,3): error TS1005: ';' expected.\nerror TS5081: Cannot find a tsconfig.json file at the current directory: /tmp/x/tsconfig.json.\n`;
    expect(parseTscOutput(output, roots)).toEqual([
      { file: 'src/x.ts', line: 2, column: 3, code: 'TS1005', message: "';' expected." },
      { file: '', line: 0, column: 0, code: 'TS5081', message: 'Cannot find a tsconfig.json file at the current directory: /tmp/x/tsconfig.json.' },
    ]);
  });

  it('finds nothing in clean or unrelated output', () => {
    expect(parseTscOutput('', roots)).toEqual([]);
    expect(parseTscOutput('panic: runtime error: index out of range\ngoroutine 1 [running]:\n\tmain.main()', roots)).toEqual([]);
  });
});

describe('judgeTypecheck', () => {
  it('passes on exit 0 without diagnostics', () => {
    expect(judgeTypecheck(exited(0), options)).toEqual({ status: 'passed', evidence: { exitCode: 0, diagnosticCount: 0, diagnostics: [] } });
  });

  it('fails on diagnostics, naming the first', () => {
    const result = judgeTypecheck(exited(1, { stdout: TSC_PLAIN_OUTPUT }), options);
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.reason).toBe("7 type errors: src/a.ts(1,14): TS2322 Type 'string' is not assignable to type 'number'. (and 6 more)");
    expect(result.evidence.diagnosticCount).toBe(7);
  });

  it('keeps the first diagnostics and counts them all', () => {
    const output = Array.from({ length: 25 }, (_, index) => `src/a.ts(${index + 1},1): error TS2304: Cannot find name 'x${index}'.`).join('\n');
    const result = judgeTypecheck(exited(2, { stdout: output }), options);
    expect(result.status === 'failed' && [result.evidence.diagnosticCount, result.evidence.diagnostics.length]).toEqual([25, MAX_DIAGNOSTICS]);
  });

  it('fails on diagnostics even when tsc exits 0', () => {
    expect(judgeTypecheck(exited(0, { stdout: "src/a.ts(1,1): error TS2304: Cannot find name 'q'." }), options).status).toBe('failed');
  });

  it('errors when tsc exits non-zero without a diagnostic (a tool crash)', () => {
    const result = judgeTypecheck(exited(2, { stderr: 'panic: runtime error' }), options);
    expect(result).toMatchObject({ status: 'errored' });
    expect(result.status === 'errored' && result.error).toContain('panic: runtime error');
  });

  it('fails when tsc exits non-zero without a diagnostic after the agent changed tsconfig.json', () => {
    expect(judgeTypecheck(exited(2), { sandboxRoots: roots, changedFiles: ['tsconfig.json'] })).toMatchObject({ status: 'failed', reason: expect.stringContaining('tsconfig.json') });
  });

  it('errors when tsc timed out or could not start', () => {
    expect(judgeTypecheck({ status: 'timed-out', timeoutMs: 10, stdout: '', stderr: '', report: undefined, durationMs: 10 }, options).status).toBe('errored');
    expect(judgeTypecheck({ status: 'not-started', error: 'spawn node ENOENT', durationMs: 1 }, options)).toEqual({ status: 'errored', error: 'typecheck could not be started: spawn node ENOENT' });
  });
});
