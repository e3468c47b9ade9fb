import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { onlyRunDir, readSummary, scriptedTarget, writeConfig } from '../../bench/support/workspace.ts';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { CheckName, CheckResult } from '../../core/domain/check-result.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import type { Workspace } from './workspace.ts';

/**
 * The real `harness` command line, run as a user would: the project's Node, in the test's
 * workspace, with the workspace's TMPDIR (so what it starts is the test's; see processes.ts).
 * Configs are written with `writeConfig` (the benchmarks' own, pointing at the project's
 * scenarios, fixtures and prompts).
 */
export { PROJECT_ROOT, onlyRunDir, readSummary, scriptedTarget, writeConfig };

export const CLI = path.join(PROJECT_ROOT, 'runners', 'cli.ts');

/**
 * The time a `beforeAll` that runs the harness gets: as long as a test (vitest's hook default,
 * two minutes, is shorter than one run on a busy machine).
 */
export const RUN_HOOK_TIMEOUT_MS = 600_000;

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Starts `harness <args>` in the workspace; the caller awaits it, or signals it first. */
export function startCli(args: string[], workspace: Workspace, timeoutMs = 540_000, env: Record<string, string> = {}): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [CLI, ...args], {
    cwd: workspace.dir,
    reject: false,
    timeout: timeoutMs,
    env: { FORCE_COLOR: '0', ...workspace.env, ...env },
  }) as ResultPromise<{ reject: false }>;
}

/** Runs `harness <args>` in the workspace to its end; `env` adds variables (e.g. secrets a test plants). */
export async function runCli(args: string[], workspace: Workspace, timeoutMs = 540_000, env: Record<string, string> = {}): Promise<CliResult> {
  const result = await startCli(args, workspace, timeoutMs, env);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The final attempt of the (first) spec of a target. */
export function attemptOf(summary: RunSummary, targetId: string): AttemptRecord {
  const spec = summary.specs.find((candidate) => candidate.spec.targetId === targetId);
  const attempt = spec?.attempts.at(-1);
  if (attempt === undefined) throw new Error(`no attempt for target ${targetId}`);
  return attempt;
}

export function checkOf<K extends CheckName>(attempt: AttemptRecord, name: K): Extract<CheckResult, { check: K }> {
  const check = attempt.checks.find((candidate): candidate is Extract<CheckResult, { check: K }> => candidate.check === name);
  if (check === undefined) throw new Error(`attempt ${attempt.attemptId} has no ${name} check`);
  return check;
}
