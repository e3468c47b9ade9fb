import { describe, expect, it } from 'vitest';
import { makeAttempt } from '../../bench/support/attempt-record.ts';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { CheckResult } from '../../core/domain/check-result.ts';
import type { TranscriptEntry } from '../../core/domain/transcript.ts';
import { judgeNoop, judgeReference, judgeValidity, type ValidityInput } from './judge-validity.ts';
import { judgeStage, planReferenceStages, type StaticCheckResult, type StaticStage } from './static-check.ts';

function attempt(outcome: AttemptRecord['outcome'], checks: CheckResult[] = [], transcript: TranscriptEntry[] = []): AttemptRecord {
  return makeAttempt({ specId: 's', attemptId: 's-a1', outcome, checks, transcript, timings: { sandboxMs: 1, agentMs: 1, checksMs: 1, totalMs: 4200, checkMs: {} } });
}

const suites = (fixtureFailed: number, acceptanceFailed: number, acceptanceTotal = 4) => [
  { suite: 'fixture' as const, total: 11, passed: 11 - fixtureFailed, failed: fixtureFailed, skipped: 0, failures: [] },
  { suite: 'acceptance' as const, total: acceptanceTotal, passed: acceptanceTotal - acceptanceFailed, failed: acceptanceFailed, skipped: 0, failures: [] },
];
const testsFailed = (fixtureFailed: number, acceptanceFailed: number, acceptanceTotal = 4): CheckResult => ({
  check: 'tests',
  durationMs: 1,
  status: 'failed',
  reason: `${acceptanceFailed} acceptance tests failed`,
  evidence: { exitCode: 1, suites: suites(fixtureFailed, acceptanceFailed, acceptanceTotal) },
});
const lintFailed: CheckResult = { check: 'lint', durationMs: 1, status: 'failed', reason: '2 problems', evidence: { exitCode: 1, errorCount: 2, warningCount: 0, findings: [] } };
const permissionsFailed: CheckResult = {
  check: 'permissions',
  durationMs: 1,
  status: 'failed',
  reason: '1 violation (0 took effect): denied-edit-attempt',
  evidence: { changedFiles: [], violations: [{ kind: 'denied-edit-attempt', path: 'config/x.json', tool: 'write', effective: false, detail: 'write config/x.json was refused by OpenCode' }] },
};
const toolEntry = (tool: string, status: 'completed' | 'error'): TranscriptEntry => ({ type: 'tool', tool, callId: tool, status, input: {}, atMs: 1 });

const TOOL_CHECKS_PASSED = {
  typecheck: { status: 'passed' as const, evidence: { exitCode: 0, diagnosticCount: 0, diagnostics: [] } },
  lint: { status: 'passed' as const, evidence: { exitCode: 0, errorCount: 0, warningCount: 0, findings: [] } },
};
const STATIC_OK: StaticCheckResult = { status: 'valid', stages: [], referenceChecks: TOOL_CHECKS_PASSED, counterexamples: [], durationMs: 3000 };
const passedReference = attempt({ kind: 'passed' });
const goodNoop = attempt({ kind: 'failed', failedChecks: ['tests'] }, [testsFailed(0, 4)]);
const input = (overrides: Partial<ValidityInput>): ValidityInput => ({ scenarioId: 'demo', static: STATIC_OK, referenceCalls: [], reference: passedReference, noop: goodNoop, ranAgents: true, ...overrides });

describe('judgeReference: the features a scenario says its reference exercises', () => {
  const subagent: TranscriptEntry = { type: 'subagent', session: 'ses_c', agent: 'explore', description: 'Find the registry', steps: 2, toolCalls: 1, atMs: 1 };
  const todos: TranscriptEntry = { type: 'todos', todos: [{ content: 'Write A', status: 'completed', priority: 'high' }], atMs: 1 };

  it('is ok when each declared feature shows in the attempt', () => {
    expect(judgeReference(attempt({ kind: 'passed' }, [], [subagent, todos]), [], ['subagents', 'todos'])).toMatchObject({ kind: 'ok', text: expect.stringContaining('exercised subagents, todos') });
  });

  it('is broken when the reference passed without using a feature it must exercise', () => {
    const verdict = judgeReference(attempt({ kind: 'passed' }, [], [todos]), [], ['todos', 'compaction', 'subagents']);
    expect(verdict).toEqual({ kind: 'broken', text: 'reference: passed, but it did not exercise compaction, subagents as the scenario says it must' });
  });
});

describe('judgeValidity', () => {
  it('is valid when the static pre-check passed, the reference passed and noop failed on the hidden tests only', () => {
    const result = judgeValidity(input({}));
    expect(result.status).toBe('valid');
    if (result.status !== 'valid') return;
    expect(result.notes.join('\n')).toMatch(/^static: hidden tests fail untouched, pass with the reference; the reference passes the fixture's typecheck and lint \(3\.0 s\)\nreference: passed every check \(4\.2 s\)\nnoop: failed the hidden tests only \(4 of 4 failed\)/);
    expect(result.explanation.referenceChecks).toEqual([
      { check: 'typecheck', status: 'passed', detail: '' },
      { check: 'lint', status: 'passed', detail: '' },
    ]);
  });

  it('is invalid when the scenario does not load or the static pre-check failed, and says why', () => {
    expect(judgeValidity(input({ loadError: 'x.yaml: turns is required' }))).toMatchObject({ scenarioId: 'demo', status: 'invalid', reasons: ['cannot be loaded: x.yaml: turns is required'] });
    const staticInvalid: StaticCheckResult = { ...STATIC_OK, status: 'invalid', reasons: ['the hidden tests pass on the untouched fixture', "the reference solution fails the fixture's lint: 1 lint error"] };
    expect(judgeValidity(input({ static: staticInvalid, ranAgents: false }))).toMatchObject({
      status: 'invalid',
      reasons: ['static pre-check: the hidden tests pass on the untouched fixture', "static pre-check: the reference solution fails the fixture's lint: 1 lint error"],
    });
  });

  it('is invalid on an error of the rules beyond the schema; a warning is only reported', () => {
    const twin = { level: 'error' as const, field: 'turns[0].text', message: 'is the same request as the first turn of other' };
    const modeline = { level: 'warning' as const, field: '(line 1)', message: 'does not name the JSON schema' };
    expect(judgeValidity(input({ findings: [twin, modeline] }))).toMatchObject({ status: 'invalid', reasons: ['turns[0].text is the same request as the first turn of other'], warnings: ['(line 1) does not name the JSON schema'] });
    expect(judgeValidity(input({ findings: [modeline] }))).toMatchObject({ status: 'valid', warnings: ['(line 1) does not name the JSON schema'] });
  });

  it('is invalid when the reference fails, times out, or skips a declared call', () => {
    const failed = judgeValidity(input({ reference: attempt({ kind: 'failed', failedChecks: ['permissions'] }, [permissionsFailed]) }));
    expect(failed).toMatchObject({ status: 'invalid' });
    if (failed.status === 'invalid') expect(failed.reasons[0]).toMatch(/reference: failed permissions \(1 violation .*denied-edit-attempt — write config\/x\.json was refused/);
    expect(judgeValidity(input({ reference: attempt({ kind: 'timed-out', afterMs: 300_000 }) }))).toMatchObject({ status: 'invalid', reasons: [expect.stringMatching(/timed out after 300\.0 s/)] });
    const skipped = judgeReference(attempt({ kind: 'passed' }, [], [toolEntry('backend_get_portfolios', 'error')]), ['backend_get_portfolios']);
    expect(skipped).toMatchObject({ kind: 'broken', text: expect.stringMatching(/declared call backend_get_portfolios never completed/) });
    expect(judgeReference(attempt({ kind: 'passed' }, [], [toolEntry('backend_get_portfolios', 'completed')]), ['backend_get_portfolios']).kind).toBe('ok');
  });

  it('is invalid when noop passes, or fails anything but the hidden tests', () => {
    expect(judgeNoop(attempt({ kind: 'passed' }))).toMatchObject({ kind: 'broken', text: expect.stringMatching(/cannot tell an agent that did nothing/) });
    expect(judgeNoop(attempt({ kind: 'failed', failedChecks: ['lint', 'tests'] }, [lintFailed, testsFailed(0, 4)]))).toMatchObject({ kind: 'broken', text: expect.stringMatching(/also failed lint \(2 problems\)/) });
    expect(judgeNoop(attempt({ kind: 'failed', failedChecks: ['tests'] }, [testsFailed(2, 4)]))).toMatchObject({ kind: 'broken', text: expect.stringMatching(/fixture's own tests fail/) });
    expect(judgeNoop(attempt({ kind: 'failed', failedChecks: ['tests'] }, [testsFailed(0, 0, 0)]))).toMatchObject({ kind: 'broken', text: expect.stringMatching(/without a failing hidden test/) });
  });

  it('calls an infra error unvalidated (errored), never valid — unless something else is broken', () => {
    const infra = attempt({ kind: 'infra-error', source: 'endpoint', message: 'HTTP 500\nmore' });
    expect(judgeValidity(input({ reference: infra }))).toMatchObject({ status: 'errored', reasons: [expect.stringMatching(/^reference: infra error \[endpoint\], so nothing is proven: HTTP 500$/)] });
    expect(judgeValidity(input({ reference: infra, noop: attempt({ kind: 'passed' }) }))).toMatchObject({ status: 'invalid' });
    expect(judgeValidity(input({ reference: undefined }))).toMatchObject({ status: 'errored' });
  });

  it('is valid on the static pre-check alone when agents were not run (--static-only)', () => {
    expect(judgeValidity(input({ ranAgents: false, reference: undefined, noop: undefined })).status).toBe('valid');
  });
});

describe('static pre-check plan and stage verdicts', () => {
  const turn = (dir: string) => ({ dir, calls: [], todos: false, read: [] });

  it('checks untouched, then the reference; multi-turn also before the last turn', () => {
    expect(planReferenceStages({ referenceTurns: [turn('/r')] })).toEqual([{ state: 'untouched', expected: 'fail', apply: [] }, { state: 'turn-1', expected: 'pass', apply: ['/r'] }]);
    const multi = planReferenceStages({ referenceTurns: [turn('/t1'), turn('/t2'), turn('/t3')] });
    expect(multi.map((stage) => [stage.state, stage.expected, stage.apply])).toEqual([
      ['untouched', 'fail', []],
      ['turn-2', 'fail', ['/t1', '/t2']],
      ['turn-3', 'pass', ['/t3']],
    ]);
  });

  const stage = (state: string, expected: 'fail' | 'pass', outcome: StaticStage['outcome']): StaticStage => ({ state, expected, outcome });
  const context = { turnCount: 2, hiddenTestsTarget: 'acceptance' };
  const passed: StaticStage['outcome'] = { status: 'passed', evidence: { exitCode: 0, suites: suites(0, 0) } };
  const failedOutcome = (fixtureFailed: number, acceptanceFailed: number, total = 4): StaticStage['outcome'] => ({ status: 'failed', reason: 'x failed', evidence: { exitCode: 1, suites: suites(fixtureFailed, acceptanceFailed, total) } });

  it('accepts the expected results', () => {
    expect(judgeStage(stage('untouched', 'fail', failedOutcome(0, 4)), context)).toBeUndefined();
    expect(judgeStage(stage('turn-2', 'pass', passed), context)).toBeUndefined();
  });

  it('rejects hidden tests that pass untouched or before the last turn', () => {
    expect(judgeStage(stage('untouched', 'fail', passed), context)).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/pass on the untouched fixture: they cannot tell an agent that did nothing/) });
    expect(judgeStage(stage('turn-1', 'fail', passed), context)).toMatchObject({ reason: expect.stringMatching(/pass after the reference's first 1 of 2 turns: they do not check what the last turn asks for/) });
  });

  it('rejects a failing reference, failing fixture tests and hidden tests that never ran; a crash is an error', () => {
    expect(judgeStage(stage('turn-2', 'pass', failedOutcome(0, 1)), context)).toMatchObject({ reason: 'the hidden tests fail with the reference solution (all 2 turns): x failed' });
    expect(judgeStage(stage('untouched', 'fail', failedOutcome(1, 4)), context)).toMatchObject({ reason: expect.stringMatching(/fixture's own tests fail on the untouched fixture/) });
    expect(judgeStage(stage('untouched', 'fail', failedOutcome(0, 0, 0)), context)).toMatchObject({ reason: expect.stringMatching(/no hidden test ran .* acceptance\//) });
    expect(judgeStage(stage('untouched', 'fail', { status: 'errored', error: 'vitest crashed' }), context)).toEqual({ status: 'errored', error: 'the tests could not run (untouched): vitest crashed' });
  });
});
