import type { CheckStatus, TestsEvidence } from '../../core/domain/check-result.ts';
import type { Check } from './check-context.ts';
import { stripAnsi, truncateText } from './format-text.ts';
import { parseVitestReport, type ParsedTestRun } from './parse-vitest-report.ts';
import { describeCommandProblem, runCommand, type CommandResult } from './run-check-command.ts';
import { findChangedConfigFiles, listSandboxRoots } from './sandbox-paths.ts';

const VITEST_CONFIG_GLOBS = ['vitest.config.*', 'vite.config.*', 'vitest.workspace.*'];
/** What vitest prints when code under test threw outside any test (exit 1, every test passed). */
const UNHANDLED_ERRORS = /Vitest caught \d+ unhandled errors?|Unhandled (Errors?|Rejection)/i;

export const checkTests: Check<'tests'> = async (context) => {
  const started = performance.now();
  const result = await runCommand({ argv: context.fixture.commands.tests, cwd: context.sandboxDir, env: context.env, timeoutMs: context.timeoutMs, confinement: context.confinement });
  // Right after a turn the hidden tests are not in the sandbox yet: only the fixture's own run.
  const options = { sandboxRoots: listSandboxRoots(context.sandboxDir), changedFiles: context.changedFiles, hiddenTestsTarget: context.scenario.hiddenTestsTarget, requireAcceptance: context.afterTurn === undefined };
  return { check: 'tests', durationMs: Math.round(performance.now() - started), ...judgeTests(result, options) };
};

export interface JudgeTestsOptions {
  sandboxRoots: readonly string[];
  changedFiles: readonly string[];
  hiddenTestsTarget: string;
  /** Whether acceptance tests must have run (false for the checks right after a turn). Default true. */
  requireAcceptance?: boolean | undefined;
}

/**
 * Failed: any fixture or acceptance test failed (a test file that failed to load counts as a
 * failure of its suite); no acceptance test ran; vitest reported unhandled errors from the code
 * under test; or no usable report after the agent changed the vitest config. Errored: vitest
 * did not start, timed out, was killed, wrote no readable report, or its exit code contradicts
 * the report (exit 0 with failures, or non-zero with no failure and no unhandled error).
 */
export function judgeTests(result: CommandResult, options: JudgeTestsOptions): CheckStatus<TestsEvidence> {
  if (result.status !== 'exited') return { status: 'errored', error: describeCommandProblem(result, 'tests') };
  const parsed = result.report === undefined ? undefined : parseVitestReport(result.report, options);
  if (parsed?.status !== 'parsed') {
    const changedConfigs = findChangedConfigFiles(options.changedFiles, VITEST_CONFIG_GLOBS);
    if (changedConfigs.length > 0) {
      return { status: 'failed', evidence: { exitCode: result.exitCode, suites: [] }, reason: `vitest wrote no usable report (exit ${result.exitCode}) after the agent changed ${changedConfigs.join(', ')}` };
    }
    return { status: 'errored', error: `${describeCommandProblem(result, 'tests')}\n(${parsed === undefined ? 'it wrote no JSON report' : parsed.error})` };
  }
  const { fixture, acceptance } = parsed.run;
  const evidence: TestsEvidence = { exitCode: result.exitCode, suites: [fixture, acceptance] };
  const failedCount = fixture.failed + acceptance.failed;
  if (result.exitCode === 0 && failedCount > 0) {
    return { status: 'errored', error: `vitest exited 0 but its report lists ${failedCount} failures; the report cannot be trusted` };
  }
  if (failedCount > 0) return { status: 'failed', evidence, reason: describeFailures(parsed.run) };
  if (acceptance.total === 0 && options.requireAcceptance !== false) return { status: 'failed', evidence, reason: `no acceptance test ran (expected test files under ${options.hiddenTestsTarget})` };
  if (result.exitCode !== 0) {
    const output = stripAnsi(`${result.stderr}\n${result.stdout}`);
    const unhandled = UNHANDLED_ERRORS.exec(output);
    if (unhandled !== null) return { status: 'failed', evidence, reason: `every test passed but vitest caught unhandled errors from the code under test:\n${truncateText(output.slice(unhandled.index).trim(), 800)}` };
    return { status: 'errored', error: `${describeCommandProblem(result, 'tests')}\n(the report has no failure, so the exit code is unexplained)` };
  }
  return { status: 'passed', evidence };
}

function describeFailures(run: ParsedTestRun): string {
  const parts: string[] = [];
  for (const suite of [run.fixture, run.acceptance]) {
    if (suite.failed === 0) continue;
    const names = suite.failures.slice(0, 3).map((failure) => `${failure.file} › ${failure.name} (${truncateText(failure.message.split('\n')[0] ?? '', 160)})`);
    const more = suite.failed > names.length ? `, and ${suite.failed - names.length} more` : '';
    parts.push(`${suite.failed} ${suite.suite} test${suite.failed === 1 ? '' : 's'} failed: ${names.join('; ')}${more}`);
  }
  return parts.join('\n');
}
