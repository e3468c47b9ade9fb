#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { EXPORT_FORMATS, exportCommand, type ExportOptions } from './commands/cli/export-command.ts';
import { registerCompareCommand } from './commands/cli/compare-command.ts';
import { registerDoctorCommand } from './commands/cli/doctor-command.ts';
import { registerValidateCommand } from './commands/cli/validate-command.ts';
import { registerNewScenarioCommand } from './commands/cli/new-scenario-command.ts';
import { mergeCommand } from './commands/cli/merge-command.ts';
import { createBarProgress, createLineProgress } from './commands/cli/progress.ts';
import { decideRunExitCode } from './commands/cli/run-gate.ts';
import { parseConcurrencyFlag, runCommand, type RunCommandOptions } from './commands/cli/run-command.ts';
import { writeReportsOf, type WrittenReports } from './commands/cli/write-run-reports.ts';
import { EXIT_CODES, isContainmentError, isOutputError, isUserError, type OutputError } from './core/errors.ts';
import { killAllChildGroups } from './platform/processes/child-registry.ts';

const printErr = (line: string) => process.stderr.write(`${line}\n`);

function toInt(value: string): number {
  const parsed = Number.parseInt(value, 10);
  if (!Number.isFinite(parsed) || parsed <= 0 || String(parsed) !== value.trim()) throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
}

function toConcurrency(value: string): number | 'auto' {
  const parsed = parseConcurrencyFlag(value);
  if (parsed === undefined) throw new InvalidArgumentError('must be a whole number from 1 to 64, or auto');
  return parsed;
}

function toPoints(value: string): number {
  const points = Number(value);
  if (value.trim() === '' || !Number.isFinite(points) || points <= 0 || points > 100) {
    throw new InvalidArgumentError('must be a gap in pass rate in percentage points, more than 0 and at most 100, e.g. --detect 10');
  }
  return points;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((item) => item.trim()).filter((item) => item !== '')];
}

/** Prints what a reader needs after a run: problems, totals, and the report path last. */
function printReports(reports: WrittenReports): void {
  for (const problem of reports.logProblems) printErr(`warning: events.jsonl line ${problem.line}: ${problem.reason}`);
  for (const failure of reports.failures) printErr(`error: reporter ${failure.reporter} failed: ${failure.error}`);
  const { totals } = reports.summary;
  printErr(`${totals.passed} passed, ${totals.failed} failed, ${totals.timedOut} timed out, ${totals.infraErrors} infra errors (of ${totals.specs})`);
  const html = reports.paths.find((file) => file.endsWith('.html'));
  if (html !== undefined) console.log(html);
}

function exitCodeOf(reports: WrittenReports, exitZero: boolean): number {
  if (reports.failures.length > 0) return EXIT_CODES.internal;
  if (exitZero) return EXIT_CODES.ok;
  const { totals } = reports.summary;
  return totals.passed === totals.specs ? EXIT_CODES.ok : EXIT_CODES.attemptsNotPassed;
}

/**
 * The event log refused an event mid-run (full disk, read-only folder): stop at once, as a crash
 * would, but with a clear message. The log is whole up to its last event, so `--resume` continues.
 */
function stopOnOutputFailure(error: OutputError): never {
  printErr(`error: ${error.message}`);
  killAllChildGroups('SIGKILL');
  process.exit(EXIT_CODES.outputNotWritable);
}

const program = new Command()
  .name('harness')
  .description('Replays customization scenarios through OpenCode, checks the results and reports across models, prompts and quantizations.')
  .exitOverride();

program
  .command('run')
  .description('run scenarios × targets × prompt variants and write the event log, summary and HTML report')
  .option('-c, --config <file>', 'config file', 'harness.config.ts')
  .option('-s, --scenario <ids>', 'only these scenarios (comma-separated or repeated)', collect)
  .option('-t, --target <ids>', 'only these targets', collect)
  .option('-p, --prompt <ids>', 'only these prompt variants', collect)
  .option('-f, --filter <key=value>', 'select by scenario, target, prompt or tag, e.g. --filter tag=trap (repeatable)', collect)
  .option('-o, --out <dir>', 'output folder (default: the config’s outputDir)')
  .option('--endpoint <url>', 'ad-hoc target: an OpenAI-compatible base URL, e.g. http://gpu:8000/v1 (replaces the config’s targets)')
  .option('--model <name>', 'ad-hoc target: the served model name')
  .option('--quantization <label>', 'ad-hoc target: quantization label, e.g. awq-int4')
  .option('--api-key-env <name>', 'ad-hoc target: environment variable holding the API key')
  .option('--repeats <n>', 'repeats per cell', toInt)
  .option('--until-decided', 'run in rounds, adding repeats only where a verdict is still open, until every verdict is settled')
  .option('--max-repeats <n>', 'with --until-decided: most repeats any cell gets (default: untilDecided.maxRepeats, 32)', toInt)
  .option('--budget <attempts>', 'with --until-decided: start no round that would pass this many attempts', toInt)
  .option('--concurrency <n|auto>', 'attempts at once (one OpenCode server each), or auto: as many as the model server has room for', toConcurrency)
  .option('--attempt-timeout <ms>', 'override every scenario’s timeout', toInt)
  .option('--shard <i/n|auto>', 'run only slice i of n of the plan (merge the shards with `harness merge`); auto: the slice a GitHub Actions matrix job or a Kubernetes Indexed Job pod is')
  .option('--resume <runDir>', 'finish an interrupted run without redoing finished attempts')
  .option('--incremental', 'reuse results of earlier runs whose inputs are unchanged')
  .option('--record', 'record every model exchange into <run>/cassettes, for a replay target')
  .option('--dry-run', 'print the plan, its size and the smallest gap it detects with 80% power; run nothing')
  .option('--detect <points>', 'with --dry-run: the repeats needed to detect a gap of this many points in pass rate', toPoints)
  .option('--keep-sandboxes', 'keep each attempt’s sandbox on disk')
  .option('--exit-zero', 'exit 0 whenever the run completes, even if attempts did not pass')
  .action(async (options: RunCommandOptions & { exitZero?: boolean }) => {
    const result = await runCommand(options, {
      print: printErr,
      createProgress: () => (process.stderr.isTTY ? createBarProgress(process.stderr) : createLineProgress(printErr)),
      onOutputFailure: stopOnOutputFailure,
    });
    if (result.kind === 'dry-run') return;
    printReports(result.reports);
    process.exitCode = decideRunExitCode({ config: result.run.config, reports: result.reports, exitZero: options.exitZero === true, print: printErr });
  });

program
  .command('merge')
  .description('combine the run folders of all shards of a plan into one run')
  .argument('<shardDirs...>', 'the shards’ run folders')
  .requiredOption('-o, --out <dir>', 'where to write the merged run')
  .action(async (shardDirs: string[], options: { out: string }) => {
    const { reports } = await mergeCommand(shardDirs, options.out);
    printReports(reports);
    process.exitCode = exitCodeOf(reports, false);
  });

program
  .command('report')
  .description('rebuild the summary and HTML report of a run from its event log')
  .argument('<runDir>', 'a run folder holding events.jsonl')
  .action(async (runDir: string) => {
    const reports = await writeReportsOf(runDir);
    printReports(reports);
    process.exitCode = reports.failures.length > 0 ? EXIT_CODES.internal : EXIT_CODES.ok;
  });

program
  .command('export')
  .description('write a run’s results in another tool’s format, e.g. for `promptfoo import`')
  .argument('<runDir>', 'a run folder holding events.jsonl')
  .requiredOption('--format <format>', `export format: ${EXPORT_FORMATS.join(', ')}`)
  .option('--out <file>', 'where to write (default: a file in the run folder)')
  .action((runDir: string, options: ExportOptions) => {
    const exported = exportCommand(runDir, options);
    for (const problem of exported.logProblems) printErr(`warning: events.jsonl line ${problem.line}: ${problem.reason}`);
    console.log(exported.file);
  });

registerCompareCommand(program, printErr);
registerDoctorCommand(program, printErr);
registerValidateCommand(program, printErr);
registerNewScenarioCommand(program, (line) => console.log(line));

/** The conventional exit status of a process ended by a signal: 128 + its number. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    printErr(`\n${signal}: stopping OpenCode servers; the event log keeps every finished attempt.`);
    killAllChildGroups('SIGKILL');
    process.exit(SIGNAL_EXIT_CODES[signal]);
  });
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (isOutputError(error)) {
    printErr(`error: ${error.message}`);
    process.exitCode = EXIT_CODES.outputNotWritable;
  } else if (isUserError(error)) {
    printErr(`error: ${error.message}`);
    process.exitCode = EXIT_CODES.usage;
  } else if (isContainmentError(error)) {
    printErr(`error: the agent could not be contained, so the run stopped: ${error.message}`);
    printErr("Every attempt finished so far is recorded. Fix the machine (npm run setup installs bubblewrap, nftables and conntrack) and continue with --resume, or set isolation: 'none' to run without the guarantees it gives.");
    process.exitCode = EXIT_CODES.containmentFailed;
  } else if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('commander.')) {
    const helpShown = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
    process.exitCode = helpShown ? EXIT_CODES.ok : EXIT_CODES.usage;
  } else {
    printErr('internal error (a bug in the harness; please report it with this output):');
    printErr(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (error instanceof Error && error.cause !== undefined) printErr(`cause: ${String(error.cause)}`);
    process.exitCode = EXIT_CODES.internal;
  }
} finally {
  killAllChildGroups('SIGKILL');
}
