import type { CheckStatus, LintEvidence, LintFinding } from '../../core/domain/check-result.ts';
import { lintWarmStart, readyCheckBaseline } from './check-caches.ts';
import type { Check } from './check-context.ts';
import { formatFinding, parseEslintReport } from './parse-eslint-report.ts';
import { describeCommandProblem, runCommand, type CommandResult } from './run-check-command.ts';
import { findChangedConfigFiles, listSandboxRoots } from './sandbox-paths.ts';

/** Findings kept as evidence, errors first; the counts cover all of them. */
export const MAX_FINDINGS = 50;
const ESLINT_CONFIG_GLOBS = ['eslint.config.*', '.eslintrc*', '.eslintignore'];

export const checkLint: Check<'lint'> = async (context) => {
  const started = performance.now();
  const baseline = await readyCheckBaseline(context.fixture, { env: context.env, timeoutMs: context.timeoutMs, confinement: context.confinement });
  const warm = lintWarmStart(baseline, context.fixture.commands.lint, context.sandboxDir, context.changedFiles);
  const argv = warm?.argv ?? context.fixture.commands.lint;
  const result = await runCommand({ argv, cwd: context.sandboxDir, env: context.env, timeoutMs: context.timeoutMs, confinement: context.confinement, scratch: { seed: warm?.seed } });
  const status = judgeLint(result, { sandboxRoots: listSandboxRoots(context.sandboxDir), changedFiles: context.changedFiles });
  return { check: 'lint', durationMs: Math.round(performance.now() - started), ...status };
};

export interface JudgeLintOptions {
  sandboxRoots: readonly string[];
  changedFiles: readonly string[];
}

/**
 * Passed: the report has no error-severity finding and ESLint exited 0. Failed: any error
 * finding; exit 1 with only warnings (a `--max-warnings` limit); or no usable report after the
 * agent changed the ESLint config. Errored: ESLint did not start, timed out, crashed (exit 2,
 * e.g. a broken config the agent did not touch) or wrote no readable report.
 */
export function judgeLint(result: CommandResult, options: JudgeLintOptions): CheckStatus<LintEvidence> {
  if (result.status !== 'exited') return { status: 'errored', error: describeCommandProblem(result, 'lint') };
  const parsed = result.report === undefined ? undefined : parseEslintReport(result.report, options.sandboxRoots);
  if (parsed?.status !== 'parsed' || result.exitCode > 1) {
    const changedConfigs = findChangedConfigFiles(options.changedFiles, ESLINT_CONFIG_GLOBS);
    const evidence: LintEvidence = { exitCode: result.exitCode, errorCount: 0, warningCount: 0, findings: [] };
    if (changedConfigs.length > 0) return { status: 'failed', evidence, reason: `ESLint could not lint (exit ${result.exitCode}) after the agent changed ${changedConfigs.join(', ')}` };
    const why = parsed === undefined ? 'it wrote no JSON report' : parsed.status === 'invalid' ? parsed.error : 'it crashed';
    return { status: 'errored', error: `${describeCommandProblem(result, 'lint')}\n(${why})` };
  }
  const evidence: LintEvidence = { exitCode: result.exitCode, errorCount: parsed.errorCount, warningCount: parsed.warningCount, findings: selectFindings(parsed.findings) };
  const firstError = parsed.findings.find((finding) => finding.severity === 'error');
  if (firstError !== undefined) {
    const more = parsed.errorCount > 1 ? ` (and ${parsed.errorCount - 1} more)` : '';
    return { status: 'failed', evidence, reason: `${parsed.errorCount} lint error${parsed.errorCount === 1 ? '' : 's'}: ${formatFinding(firstError)}${more}` };
  }
  if (result.exitCode === 1 && parsed.warningCount > 0) return { status: 'failed', evidence, reason: `ESLint exited 1 on ${parsed.warningCount} warnings (over the fixture's --max-warnings)` };
  if (result.exitCode === 1) return { status: 'errored', error: `${describeCommandProblem(result, 'lint')}\n(the report has no findings, so exit 1 is unexplained)` };
  return { status: 'passed', evidence };
}

function selectFindings(findings: readonly LintFinding[]): LintFinding[] {
  const errors = findings.filter((finding) => finding.severity === 'error');
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  return [...errors, ...warnings].slice(0, MAX_FINDINGS);
}
