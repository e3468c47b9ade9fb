import { describe, expect, it } from 'vitest';
import { CHECK_NAMES } from '../../core/domain/check-result.ts';
import { type TranscriptEntry } from '../../core/domain/transcript.ts';
import { CHECKS, runChecks } from './run-checks.ts';
import { makeContext, makeFixture } from './test-support.ts';

const node = process.execPath;
const writeReport = (json: string) => [node, '-e', `require('fs').writeFileSync(process.argv[1], ${JSON.stringify(json)})`, '{outputFile}'];
const vitestReport = JSON.stringify({
  numFailedTests: 0,
  numTotalTests: 1,
  success: true,
  testResults: [{ name: 'acceptance/a.test.ts', status: 'passed', message: '', assertionResults: [{ fullName: 'a works', status: 'passed', failureMessages: [] }] }],
});
const fixture = makeFixture('/fixtures/portfolio-dashboard', { typecheck: [node, '-e', '0'], lint: writeReport('[]'), tests: writeReport(vitestReport) });

describe('runChecks', () => {
  it('has a check for every check name', () => {
    expect(Object.keys(CHECKS).sort()).toEqual([...CHECK_NAMES].sort());
  });

  it('runs every check and returns them in CHECK_NAMES order', async () => {
    const results = await runChecks(makeContext({ fixture, sandboxDir: process.cwd() }));
    expect(results.map((result) => [result.check, result.status])).toEqual(CHECK_NAMES.map((name) => [name, 'passed']));
    for (const result of results) expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('runs the checks at the same time', async () => {
    const sleep = [node, '-e', 'setTimeout(() => {}, 1_000)'];
    const slowFixture = makeFixture('/fixtures/x', { typecheck: sleep, lint: sleep, tests: sleep });
    const started = performance.now();
    await runChecks(makeContext({ fixture: slowFixture, sandboxDir: process.cwd() }));
    expect(performance.now() - started).toBeLessThan(2_800);
  });

  it('turns a check that throws into an errored result, never a failure', async () => {
    const broken = null as unknown as TranscriptEntry[];
    const results = await runChecks(makeContext({ fixture, sandboxDir: process.cwd(), transcript: broken }));
    const permissions = results.find((result) => result.check === 'permissions');
    expect(permissions).toMatchObject({ status: 'errored', error: expect.stringContaining('the permissions check crashed (a harness fault)') });
    expect(results.find((result) => result.check === 'typecheck')?.status).toBe('passed');
  });
});
