import path from 'node:path';
import { execa } from 'execa';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { CheckName, CheckResult } from '../../core/domain/check-result.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';

import { PROJECT_ROOT } from '../../core/project-root.ts';
import { onlyRunDir, readSummary, scriptedTarget, writeConfig } from '../../bench/support/workspace.ts';

export { PROJECT_ROOT, onlyRunDir, readSummary, scriptedTarget, writeConfig };
const CLI = path.join(PROJECT_ROOT, 'runners', 'cli.ts');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI with the project's Node, as a user would. */
export async function runCli(args: string[], cwd: string, timeoutMs = 540_000): Promise<CliResult> {
  const result = await execa(process.execPath, [CLI, ...args], { cwd, reject: false, timeout: timeoutMs, env: { FORCE_COLOR: '0' } });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

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

/** PIDs of running `opencode serve` processes. */
export async function listOpencodeServers(): Promise<number[]> {
  const result = await execa('pgrep', ['-f', 'opencode.exe serve'], { reject: false });
  return String(result.stdout)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number);
}
