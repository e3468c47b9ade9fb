/**
 * Runs the real fixture commands (tsc 7, ESLint 10, vitest 5) through runChecks on copies of
 * fixtures/portfolio-dashboard: one pristine copy, one with a type error, a lint error, a
 * failing fixture test and hidden tests importing a component that does not exist.
 */
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { CheckName, CheckResult, CheckResultOf } from '../../core/domain/check-result.ts';
import { loadFixture } from '../../inputs/fixtures/load-fixture.ts';
import { FILE_FAILURE_NAME } from './parse-vitest-report.ts';
import { runChecks } from './run-checks.ts';
import { makeContext, makeScenario } from './test-support.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { describeWith, installedFixture } from '../../testing/support/real-dependencies.ts';

const FIXTURES_DIR = path.join(PROJECT_ROOT, 'fixtures');
const FIXTURE_DIR = path.join(FIXTURES_DIR, 'portfolio-dashboard');
const sandboxes: string[] = [];

afterAll(async () => {
  await Promise.all(sandboxes.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A sandbox as the harness makes one: the fixture copied without node_modules, which is linked. */
async function createSandbox(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'checks-fixture-'));
  sandboxes.push(dir);
  await cp(FIXTURE_DIR, dir, { recursive: true, filter: (source) => path.relative(FIXTURE_DIR, source) !== 'node_modules' });
  await symlink(path.join(FIXTURE_DIR, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const [file, contents] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), contents);
  }
  return dir;
}

/** Runs every check; `agentFiles` are what the agent changed, `hiddenTests` what the harness copied in after. */
async function checkSandbox(agentFiles: Record<string, string>, hiddenTests: Record<string, string>): Promise<CheckResult[]> {
  const sandboxDir = await createSandbox({ ...agentFiles, ...hiddenTests });
  const env = { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, HOME: sandboxDir, TMPDIR: os.tmpdir(), CI: 'true' };
  const fixture = loadFixture(FIXTURES_DIR, 'portfolio-dashboard', 'fixture-checks.test.ts');
  return runChecks(makeContext({ sandboxDir, fixture, scenario: makeScenario({ hiddenTestsTarget: 'acceptance' }), env, timeoutMs: 60_000, changedFiles: Object.keys(agentFiles) }));
}

function pick<K extends CheckName>(results: CheckResult[], name: K): CheckResultOf<K> {
  const result = results.find((candidate): candidate is CheckResultOf<K> => candidate.check === name);
  if (result === undefined) throw new Error(`no ${name} result`);
  return result;
}

const PASSING_ACCEPTANCE = `import { expect, it } from 'vitest';
import { formatNumber } from '../src/core/format.ts';

it('formats numbers', () => {
  expect(formatNumber(1234.5)).toBe('1,234.50');
});
`;

const BROKEN_FILES = {
  'src/user-components/total.ts': "export const total: number = 'not a number';\n",
  'src/user-components/unused.ts': 'const unusedValue = 1;\nexport const usedValue = 2;\n',
  'src/user-components/failing.test.ts': "import { expect, it } from 'vitest';\n\nit('adds up on purpose wrongly', () => {\n  expect(1 + 1).toBe(3);\n});\n",
};

const HIDDEN_TESTS_OF_MISSING_COMPONENT = {
  'acceptance/news-widget.test.tsx': `import { render, screen } from '@testing-library/react';
import { expect, it } from 'vitest';
import { NewsWidget } from '../src/user-components/NewsWidget.tsx';

it('shows the headlines', () => {
  render(<NewsWidget />);
  expect(screen.getByText('News')).toBeInTheDocument();
});
`,
};

describeWith(installedFixture(), 'checks on the portfolio-dashboard fixture', () => {
  it.concurrent('pass on the pristine fixture with passing acceptance tests', { timeout: 120_000 }, async () => {
    const results = await checkSandbox({}, { 'acceptance/smoke.test.ts': PASSING_ACCEPTANCE });
    expect(results.map((result) => [result.check, result.status === 'errored' ? result.error : result.status])).toEqual([
      ['typecheck', 'passed'],
      ['lint', 'passed'],
      ['tests', 'passed'],
      ['permissions', 'passed'],
      ['agent-health', 'passed'],
    ]);
    const tests = pick(results, 'tests');
    const suites = tests.status === 'passed' ? tests.evidence.suites : [];
    expect(suites.find((suite) => suite.suite === 'acceptance')).toMatchObject({ total: 1, passed: 1, failed: 0 });
    expect(suites.find((suite) => suite.suite === 'fixture')?.passed).toBeGreaterThan(0);
  });

  it.concurrent('fail on a type error, a lint error, a failing test and hidden tests of a missing component', { timeout: 120_000 }, async () => {
    const results = await checkSandbox(BROKEN_FILES, HIDDEN_TESTS_OF_MISSING_COMPONENT);
    expect(results.map((result) => result.status)).toEqual(['failed', 'failed', 'failed', 'passed', 'passed']);

    const typecheck = pick(results, 'typecheck');
    if (typecheck.status !== 'failed') throw new Error(`typecheck: ${JSON.stringify(typecheck)}`);
    expect(typecheck.evidence.diagnostics).toContainEqual({ file: 'src/user-components/total.ts', line: 1, column: 14, code: 'TS2322', message: "Type 'string' is not assignable to type 'number'." });

    const lint = pick(results, 'lint');
    if (lint.status !== 'failed') throw new Error(`lint: ${JSON.stringify(lint)}`);
    expect(lint.evidence.findings).toContainEqual({ file: 'src/user-components/unused.ts', line: 1, column: 7, ruleId: '@typescript-eslint/no-unused-vars', severity: 'error', message: expect.stringContaining("'unusedValue' is assigned a value but never used.") });

    const tests = pick(results, 'tests');
    if (tests.status !== 'failed') throw new Error(`tests: ${JSON.stringify(tests)}`);
    expect(tests.reason).toContain('1 fixture test failed: src/user-components/failing.test.ts › adds up on purpose wrongly');
    const acceptance = tests.evidence.suites.find((suite) => suite.suite === 'acceptance');
    expect(acceptance).toMatchObject({ total: 1, failed: 1 });
    expect(acceptance?.failures[0]).toMatchObject({ file: 'acceptance/news-widget.test.tsx', name: FILE_FAILURE_NAME, message: expect.stringContaining('NewsWidget') });
  });
});
