import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { compareRuns } from '../../pipeline/compare/compare-runs.ts';
import { describeGateFailure, evaluateGate, exitCodeOfGate, PASS_RATE_BOUNDS, type GateResult, type PassRateBound } from '../../pipeline/compare/gate.ts';
import { readConfiguredGate, resolveGateSettings, type GateFlags } from '../../pipeline/compare/gate-settings.ts';
import { COMPARE_MARKDOWN_PATH, renderCompareMarkdown } from '../../../reports/render-compare-markdown.ts';
import { UserError, isUserError } from '../../core/errors.ts';
import { readEventLog } from '../../pipeline/events/event-log.ts';
import { summarizeRun } from '../../pipeline/summary/summarize.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';

export interface CompareCommandOptions extends GateFlags {
  /** Config file whose `gate` applies; default harness.config.ts when it exists. */
  config?: string | undefined;
}

export interface CompareCommandResult {
  markdown: string;
  /** Where the Markdown was written: `<current>/compare.md`. */
  file: string;
  gate: GateResult;
  exitCode: number;
  warnings: string[];
}

/** `harness compare <baseline> <current>`: compare two runs from their event logs and apply the gate. */
export async function compareCommand(baselineDir: string, currentDir: string, options: CompareCommandOptions): Promise<CompareCommandResult> {
  const baseline = readRun(baselineDir, 'baseline');
  const current = readRun(currentDir, 'current');
  const settings = resolveGateSettings(await readConfiguredGate(options.config), options);
  const compared = compareRuns(baseline.summary, current.summary);
  if (compared.kind === 'not-comparable') {
    throw new UserError('RUNS_NOT_COMPARABLE', `cannot compare ${baselineDir} with ${currentDir}: ${compared.reason}. Compare runs of the same targets, prompt variants and scenarios.`);
  }
  const { comparison } = compared;
  const gate = evaluateGate({ settings, current: current.summary.statistics, againstBaseline: comparison.cohorts.map((cohort) => ({ key: cohort.key, paired: cohort.paired })) });
  const markdown = renderCompareMarkdown(comparison, gate);
  const file = path.join(currentDir, COMPARE_MARKDOWN_PATH);
  writeFileSync(file, markdown);
  return { markdown, file, gate, exitCode: exitCodeOfGate(gate), warnings: [...baseline.warnings, ...current.warnings] };
}

function readRun(runDir: string, role: 'baseline' | 'current'): { summary: RunSummary; warnings: string[] } {
  if (!isDirectory(runDir)) throw new UserError('RUN_DIR_INVALID', `${runDir}: the ${role} run folder does not exist; pass the folder of a run (e.g. runs/<run id>)`);
  try {
    const { events, problems } = readEventLog(runDir);
    return { summary: summarizeRun(events), warnings: problems.map((problem) => `${runDir}: events.jsonl line ${problem.line}: ${problem.reason}`) };
  } catch (error) {
    if (isUserError(error)) throw error;
    if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
      throw new UserError('RUN_DIR_INVALID', `${runDir}: cannot read the ${role} run's event log (${error.code}: ${error.message})`, { cause: error });
    }
    throw error;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function parseShare(flag: string): (value: string) => number {
  return (value) => {
    const share = Number(value);
    if (value.trim() === '' || !Number.isFinite(share) || share < 0 || share > 1) {
      throw new InvalidArgumentError(`${flag} must be a share between 0 and 1, e.g. 0.8`);
    }
    return share;
  };
}

function parseBound(value: string): PassRateBound {
  const bound = PASS_RATE_BOUNDS.find((candidate) => candidate === value);
  if (bound === undefined) throw new InvalidArgumentError(`--pass-rate-bound must be one of ${PASS_RATE_BOUNDS.join(', ')} (which number of the pass rate meets --min-pass-rate)`);
  return bound;
}

function parseMinAnswerable(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(count) || count < 1) {
    throw new InvalidArgumentError('--min-answerable must be a whole number of model-answerable specs per cohort, at least 1, e.g. 10');
  }
  return count;
}

/** Registers `harness compare` on the CLI program. */
export function registerCompareCommand(program: Command, printErr: (line: string) => void): void {
  program
    .command('compare')
    .description('compare a run with a baseline run (paired over scenarios per cohort, Holm over the cohorts; flips and McNemar per scenario) and apply the CI gate')
    .argument('<baselineRunDir>', 'the baseline run folder (holding events.jsonl)')
    .argument('<currentRunDir>', 'the current run folder; compare.md is written here')
    .option('-c, --config <file>', 'config whose `gate` applies (default: harness.config.ts when it exists)')
    .option('--min-pass-rate <share>', 'fail when a cohort’s pass rate is below this share (0–1)', parseShare('--min-pass-rate'))
    .option('--max-violation-rate <share>', 'fail when a cohort’s violation rate is above this share (0–1)', parseShare('--max-violation-rate'))
    .option('--pass-rate-bound <bound>', 'which number of the pass rate meets --min-pass-rate: estimate, lower or upper (of its 95% interval)', parseBound)
    .option('--min-answerable <n>', 'fail when a cohort has fewer model-answerable specs than this (default 1)', parseMinAnswerable)
    .option('--allow-regressions', 'do not fail on a significant regression against the baseline')
    .action(async (baselineDir: string, currentDir: string, options: CompareCommandOptions) => {
      const result = await compareCommand(baselineDir, currentDir, options);
      for (const warning of result.warnings) printErr(`warning: ${warning}`);
      process.stdout.write(result.markdown);
      printErr(`Comparison written to ${result.file}`);
      printErr(result.gate.status === 'passed' ? 'Gate passed.' : `Gate failed:\n${result.gate.failures.map((failure) => `  - ${describeGateFailure(failure)}`).join('\n')}`);
      process.exitCode = result.exitCode;
    });
}
