import type { Invocation } from '../../pipeline/events/event-types.ts';
import type { ExecuteDependencies, ProgressSink } from '../../pipeline/execute/execute-plan.ts';
import { planRun, runNew, runResumed, type FinishedRun, type PlannedRun, type RunRequest } from '../../pipeline/run/run-lifecycle.ts';
import { describeAdaptiveStart } from '../../pipeline/run/adaptive-run.ts';
import type { OutputFailureHandler } from '../../pipeline/run/run-log.ts';
import { describeRule } from '../../pipeline/summary/adaptive-summary.ts';
import { writeReportsOf, type WrittenReports } from './write-run-reports.ts';
import { describePlanPower } from './plan-power.ts';
import { UserError } from '../../core/errors.ts';

export interface RunCommandOptions extends Invocation {
  config: string;
  out?: string | undefined;
  concurrency?: number | 'auto' | undefined;
  keepSandboxes?: boolean | undefined;
  dryRun?: boolean | undefined;
  resume?: string | undefined;
  incremental?: boolean | undefined;
  /** Record every model exchange into the run's cassettes (for replay targets). */
  record?: boolean | undefined;
  /** With --dry-run: the gap in pass rate, in percentage points, to print the repeats needed for. */
  detect?: number | undefined;
}

export type RunCommandResult =
  | { kind: 'dry-run'; specs: number }
  | { kind: 'ran'; run: FinishedRun; reports: WrittenReports };

export interface RunCommandIo {
  print: (line: string) => void;
  createProgress: () => ProgressSink;
  /** Called when the event log refuses an event mid-run (full disk, read-only folder), before the error is thrown. */
  onOutputFailure?: OutputFailureHandler | undefined;
}

/** `harness run`: the run lifecycle (or a resume), then the summary and reports from its log. `dependencies`: for tests' fakes. */
export async function runCommand(options: RunCommandOptions, io: RunCommandIo, dependencies?: ExecuteDependencies): Promise<RunCommandResult> {
  const request: RunRequest = {
    configFile: options.config,
    invocation: pickInvocation(options),
    outputDir: options.out,
    concurrency: options.concurrency,
    keepSandboxes: options.keepSandboxes,
    record: options.record,
    incremental: options.incremental,
  };
  if (options.detect !== undefined && (options.dryRun !== true || options.resume !== undefined)) {
    throw new UserError('CLI_USAGE', `--detect ${options.detect}: plans a design and runs nothing; use it with --dry-run (and without --resume), e.g. harness run --dry-run --detect 10`);
  }
  if (options.dryRun === true && options.resume === undefined) {
    const planned = await planRun(request);
    printPlan(planned, io.print);
    for (const line of describePlanPower({ specs: planned.specs, outputDir: planned.config.outputDir, detectPoints: options.detect })) io.print(line);
    return { kind: 'dry-run', specs: planned.specs.length };
  }
  const runIo = { sink: io.createProgress(), print: io.print, onOutputFailure: io.onOutputFailure };
  const run = options.resume === undefined ? await runNew(request, runIo, dependencies) : await runResumed(options.resume, request, runIo, dependencies);
  return { kind: 'ran', run, reports: await writeReportsOf(run.runDir) };
}

function pickInvocation(options: RunCommandOptions): Invocation {
  const { scenario, target, prompt, filter, endpoint, model, quantization, apiKeyEnv, repeats, attemptTimeout, shard, untilDecided, maxRepeats, budget } = options;
  return { scenario, target, prompt, filter, endpoint, model, quantization, apiKeyEnv, repeats, attemptTimeout, shard, untilDecided, maxRepeats, budget };
}

function printPlan({ prepared, specs, adaptive }: PlannedRun, print: (line: string) => void): void {
  const cells = new Set(specs.map((spec) => `${spec.scenarioId}/${spec.targetId}/${spec.promptVariantId}`));
  if (adaptive !== undefined) {
    print(describeAdaptiveStart(adaptive));
    print(describeRule(adaptive));
    print(`Round 1: ${specs.length} attempt(s) = ${cells.size} cell(s) × ${adaptive.initialRepeats} repeats`);
  } else {
    print(`Plan: ${specs.length} attempt(s) = ${cells.size} cell(s) × repeats, of ${prepared.specs.length} planned`);
  }
  print('spec id       scenario × target × prompt #repeat');
  for (const spec of specs) print(`${spec.id}  ${spec.scenarioId} × ${spec.targetId} × ${spec.promptVariantId} #${spec.repeatIndex}`);
}

/** Reads `--concurrency`: a whole number from 1 to 64, or `auto`; undefined for anything else. */
export function parseConcurrencyFlag(value: string): number | 'auto' | undefined {
  if (value.trim().toLowerCase() === 'auto') return 'auto';
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 && parsed <= 64 && value.trim() !== '' ? parsed : undefined;
}
