import type { CheckStatus, TypecheckEvidence } from '../../core/domain/check-result.ts';
import { typecheckWarmStart, readyCheckBaseline } from './check-caches.ts';
import type { Check } from './check-context.ts';
import { formatDiagnostic, parseTscOutput } from './parse-tsc-output.ts';
import { describeCommandProblem, runCommand, type CommandResult } from './run-check-command.ts';
import { findChangedConfigFiles, listSandboxRoots } from './sandbox-paths.ts';

/** Diagnostics kept as evidence; the count covers all of them. */
export const MAX_DIAGNOSTICS = 20;
const TSC_CONFIG_GLOBS = ['tsconfig*.json', '**/tsconfig*.json'];

export const checkTypecheck: Check<'typecheck'> = async (context) => {
  const started = performance.now();
  const baseline = await readyCheckBaseline(context.fixture, { env: context.env, timeoutMs: context.timeoutMs, confinement: context.confinement });
  const warm = typecheckWarmStart(baseline, context.fixture.commands.typecheck, context.sandboxDir, context.changedFiles);
  const argv = warm?.argv ?? context.fixture.commands.typecheck;
  const result = await runCommand({ argv, cwd: context.sandboxDir, env: context.env, timeoutMs: context.timeoutMs, confinement: context.confinement, scratch: { seed: warm?.seed } });
  const status = judgeTypecheck(result, { sandboxRoots: listSandboxRoots(context.sandboxDir), changedFiles: context.changedFiles });
  return { check: 'typecheck', durationMs: Math.round(performance.now() - started), ...status };
};

export interface JudgeTypecheckOptions {
  sandboxRoots: readonly string[];
  changedFiles: readonly string[];
}

/**
 * Passed: exit 0 and no diagnostics. Failed: any diagnostic (whatever the exit code), or a
 * non-zero exit without diagnostics after the agent changed a tsconfig. Errored: tsc did not
 * start, timed out, was killed, or exited non-zero without a single diagnostic and without a
 * config change by the agent — a crash of the tool, not a fault of the model's code.
 */
export function judgeTypecheck(result: CommandResult, options: JudgeTypecheckOptions): CheckStatus<TypecheckEvidence> {
  if (result.status !== 'exited') return { status: 'errored', error: describeCommandProblem(result, 'typecheck') };
  const diagnostics = parseTscOutput(`${result.stdout}\n${result.stderr}`, options.sandboxRoots);
  const evidence: TypecheckEvidence = { exitCode: result.exitCode, diagnosticCount: diagnostics.length, diagnostics: diagnostics.slice(0, MAX_DIAGNOSTICS) };
  const first = diagnostics[0];
  if (first !== undefined) {
    const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
    return { status: 'failed', evidence, reason: `${diagnostics.length} type error${diagnostics.length === 1 ? '' : 's'}: ${formatDiagnostic(first)}${more}` };
  }
  if (result.exitCode === 0) return { status: 'passed', evidence };
  const changedConfigs = findChangedConfigFiles(options.changedFiles, TSC_CONFIG_GLOBS);
  if (changedConfigs.length > 0) {
    return { status: 'failed', evidence, reason: `tsc exited with code ${result.exitCode} without diagnostics after the agent changed ${changedConfigs.join(', ')}` };
  }
  return { status: 'errored', error: `${describeCommandProblem(result, 'typecheck')}\n(no diagnostics could be read, so this is taken as a tool failure)` };
}
