import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_NAMES } from '../../core/domain/check-result.ts';
import { type TranscriptEntry } from '../../core/domain/transcript.ts';
import { useWorkspace } from '../../testing/support/workspace.ts';
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
    const sandboxDir = useWorkspace('run-checks-').dir;
    const results = await runChecks(makeContext({ fixture, sandboxDir }));
    expect(results.map((result) => [result.check, result.status])).toEqual(CHECK_NAMES.map((name) => [name, 'passed']));
    for (const result of results) expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('runs the checks at the same time', async () => {
    // Each command marks that it started, then waits for the other two: run one after another,
    // the first would wait alone and give up, seeing only itself.
    const sandboxDir = useWorkspace('run-checks-').dir;
    const barrier = (name: string) => [
      node,
      '-e',
      `const fs = require('fs'), path = require('path');
       const [dir, name] = process.argv.slice(1);
       fs.writeFileSync(path.join(dir, name + '.started'), '');
       const started = () => fs.readdirSync(dir).filter((file) => file.endsWith('.started')).length;
       const deadline = Date.now() + 20000;
       const look = () => {
         if (started() < 3 && Date.now() < deadline) return setTimeout(look, 20);
         fs.writeFileSync(path.join(dir, name + '.saw'), String(started()));
       };
       look();`,
      sandboxDir,
      name,
    ];
    const together = makeFixture('/fixtures/x', { typecheck: barrier('typecheck'), lint: barrier('lint'), tests: barrier('tests') });
    await runChecks(makeContext({ fixture: together, sandboxDir }));
    const seen = ['typecheck', 'lint', 'tests'].map((name) => readFileSync(path.join(sandboxDir, `${name}.saw`), 'utf8'));
    expect(seen).toEqual(['3', '3', '3']);
  }, 90_000);

  it('turns a check that throws into an errored result, never a failure', async () => {
    const broken = null as unknown as TranscriptEntry[];
    const results = await runChecks(makeContext({ fixture, sandboxDir: process.cwd(), transcript: broken }));
    const permissions = results.find((result) => result.check === 'permissions');
    expect(permissions).toMatchObject({ status: 'errored', error: expect.stringContaining('the permissions check crashed (a harness fault)') });
    expect(results.find((result) => result.check === 'typecheck')?.status).toBe('passed');
  });
});
