import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { AttemptRecord, CheckName, CheckResult } from '../domain.ts';
import type { RunSummary } from '../summary/summary-types.ts';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');
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

/** Writes a config into `dir` that points at the project's scenarios, fixtures and prompts. */
export function writeConfig(dir: string, body: Record<string, unknown>): string {
  const file = path.join(dir, 'harness.config.ts');
  const config = {
    outputDir: path.join(dir, 'runs'),
    scenariosDir: path.join(PROJECT_ROOT, 'scenarios'),
    fixturesDir: path.join(PROJECT_ROOT, 'fixtures'),
    promptsDir: path.join(PROJECT_ROOT, 'prompts'),
    ...body,
  };
  writeFileSync(file, `export default ${JSON.stringify(config, null, 2)};\n`);
  return file;
}

export function scriptedTarget(profile: string): Record<string, unknown> {
  return { kind: 'scripted', id: `scripted-${profile}`, model: profile, quantization: 'n/a' };
}

/** The single run folder under `outputDir`. */
export function onlyRunDir(outputDir: string): string {
  const entries = readdirSync(outputDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  if (entries.length !== 1 || entries[0] === undefined) throw new Error(`expected one run in ${outputDir}, found ${entries.join(', ')}`);
  return path.join(outputDir, entries[0]);
}

export function readSummary(runDir: string): RunSummary {
  return JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
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
