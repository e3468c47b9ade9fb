import path from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { UserError } from '../errors.ts';
import { readEventLog } from '../events/event-log.ts';
import type { Invocation, RunStartedEvent } from '../events/event-types.ts';
import { executePlan, type ProgressSink } from '../execute/execute-plan.ts';
import { findReusableAttempts } from '../execute/find-reusable.ts';
import { prepareRun, type PreparedRun } from '../execute/prepare-run.ts';
import { planRemainingWork } from '../execute/remaining-work.ts';
import { detectIsolation } from '../opencode/isolation.ts';
import { computeFingerprints, describeFingerprintChanges } from '../plan/fingerprints.ts';
import { parseShard, selectShard } from '../plan/shard.ts';
import { buildRunStartedEvent, collectSecrets, newRunId } from '../execute/start-run.ts';
import { readHarnessVersion, readOpencodeVersion } from '../execute/versions.ts';
import { applyInvocation, filtersOf } from './invocation.ts';
import { reopenRunLog, startRunLog, watchLogFailures, writeReportsOf, type OutputFailureHandler } from './run-output.ts';
import type { WrittenReports } from './write-run-reports.ts';

export interface RunCommandOptions extends Invocation {
  config: string;
  out?: string | undefined;
  concurrency?: number | undefined;
  keepSandboxes?: boolean | undefined;
  dryRun?: boolean | undefined;
  resume?: string | undefined;
  incremental?: boolean | undefined;
  /** Record every model exchange into the run's cassettes (for replay targets). */
  record?: boolean | undefined;
}

export type RunCommandResult =
  | { kind: 'dry-run'; specs: number }
  | { kind: 'ran'; runDir: string; reports: WrittenReports };

export interface RunIo {
  print: (line: string) => void;
  createProgress: () => ProgressSink;
  /** Called when the event log refuses an event mid-run (full disk, read-only folder), before the error is thrown. */
  onOutputFailure?: OutputFailureHandler | undefined;
}

/** `harness run`: load, plan, execute, log, summarise, report — or continue an interrupted run. */
export async function runCommand(options: RunCommandOptions, io: RunIo): Promise<RunCommandResult> {
  if (options.resume !== undefined) return resumeRun(options.resume, options, io);
  const invocation = pickInvocation(options);
  const config = applyInvocation(await loadConfig(options.config), invocation, options);
  const prepared = prepareRun(config, filtersOf(invocation));
  const shard = invocation.shard === undefined ? undefined : parseShard(invocation.shard);
  const specs = shard === undefined ? prepared.specs : selectShard(prepared.specs, shard);
  if (options.dryRun === true) {
    printPlan(prepared, specs, io.print);
    return { kind: 'dry-run', specs: specs.length };
  }
  const secretEnv = collectSecrets(config);
  const versions = { opencode: await readOpencodeVersion(), harness: readHarnessVersion() };
  const fingerprints = computeFingerprints(prepared, versions);
  const isolation = detectIsolation(config.isolation);
  const runId = newRunId();
  const runDir = path.join(config.outputDir, runId);
  const startedEvent = buildRunStartedEvent({
    prepared,
    specs,
    runId,
    versions,
    invocation,
    configFile: options.config,
    fingerprints,
    isolation,
    shard: shard === undefined ? undefined : { ...shard, plannedSpecs: prepared.specs.length },
  });
  const log = watchLogFailures(startRunLog(runDir, startedEvent, howToContinue(options.config, runDir)), io.onOutputFailure);
  const startedMs = Date.now();
  try {
    io.print(`Run ${runId}: ${specs.length} attempt(s), concurrency ${config.concurrency}, isolation ${isolation.kind === 'none' ? `none (${isolation.reason})` : isolation.kind}, output ${runDir}`);
    await executePlan({
      prepared,
      work: specs.map((spec) => ({ spec, firstAttemptNumber: 1 })),
      log,
      sink: io.createProgress(),
      attemptTimeoutMs: invocation.attemptTimeout ?? config.attemptTimeoutMs,
      keepSandboxes: options.keepSandboxes ?? false,
      secretEnv,
      isolation,
      runDir,
      record: options.record === true,
      reusable: options.incremental === true ? findReusableAttempts(config.outputDir, fingerprints.specInputs, runDir) : undefined,
    });
    log.append({ v: 1, type: 'run.finished', at: new Date().toISOString(), durationMs: Date.now() - startedMs });
  } finally {
    log.close();
  }
  return { kind: 'ran', runDir, reports: await writeReportsOf(runDir) };
}

/**
 * Continues an interrupted run in its own log: refuses when the config, scenarios, fixtures,
 * prompts or OpenCode changed; re-runs only what has no final result.
 */
async function resumeRun(runDir: string, options: RunCommandOptions, io: RunIo): Promise<RunCommandResult> {
  const { events } = readEventLog(runDir);
  const started = events[0] as RunStartedEvent;
  const invocation = started.invocation ?? {};
  const config = applyInvocation(await loadConfig(options.config), invocation, { concurrency: options.concurrency, out: path.dirname(runDir) });
  const prepared = prepareRun(config, filtersOf(invocation));
  const versions = { opencode: await readOpencodeVersion(), harness: readHarnessVersion() };
  const changes = describeFingerprintChanges(started.fingerprints, computeFingerprints(prepared, versions));
  if (changes.length > 0) {
    throw new UserError(
      'RUN_DIR_INVALID',
      `${runDir}: cannot resume — changed since the run started (with --config ${started.configFile}): ${changes.join('; ')}. Start a new run instead (--incremental reuses unchanged results).`,
    );
  }
  const work = planRemainingWork(started.specs, events, 1 + config.infraRetries);
  const log = watchLogFailures(reopenRunLog(runDir, howToContinue(options.config, runDir), io.print), io.onOutputFailure);
  const startedMs = Date.now();
  try {
    log.append({ v: 1, type: 'run.resumed', at: new Date().toISOString(), remainingSpecs: work.length });
    io.print(`Resuming ${started.runId}: ${work.length} of ${started.specs.length} attempt(s) left, output ${runDir}`);
    await executePlan({
      prepared,
      work,
      log,
      sink: io.createProgress(),
      attemptTimeoutMs: invocation.attemptTimeout ?? config.attemptTimeoutMs,
      keepSandboxes: options.keepSandboxes ?? false,
      secretEnv: collectSecrets(config),
      isolation: detectIsolation(config.isolation),
      runDir,
      record: options.record === true,
    });
    log.append({ v: 1, type: 'run.finished', at: new Date().toISOString(), durationMs: Date.now() - startedMs });
  } finally {
    log.close();
  }
  return { kind: 'ran', runDir, reports: await writeReportsOf(runDir) };
}

function howToContinue(configFile: string, runDir: string): string {
  return `Every attempt not recorded yet runs again with: harness run --config ${configFile} --resume ${runDir}`;
}

function pickInvocation(options: RunCommandOptions): Invocation {
  const { scenario, target, prompt, filter, endpoint, model, quantization, apiKeyEnv, repeats, attemptTimeout, shard } = options;
  return { scenario, target, prompt, filter, endpoint, model, quantization, apiKeyEnv, repeats, attemptTimeout, shard };
}

function printPlan(prepared: PreparedRun, specs: PreparedRun['specs'], print: (line: string) => void): void {
  const cells = new Set(specs.map((spec) => `${spec.scenarioId}/${spec.targetId}/${spec.promptVariantId}`));
  print(`Plan: ${specs.length} attempt(s) = ${cells.size} cell(s) × repeats, of ${prepared.specs.length} planned`);
  print('spec id       scenario × target × prompt #repeat');
  for (const spec of specs) print(`${spec.id}  ${spec.scenarioId} × ${spec.targetId} × ${spec.promptVariantId} #${spec.repeatIndex}`);
}
