import path from 'node:path';
import { describeIsolation, GUARANTEES, lostGuarantees, type RunIsolation } from '../../core/domain/isolation.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { Redactor } from '../../core/redact.ts';
import { UserError } from '../../core/errors.ts';
import { loadConfig, type ResolvedConfig } from '../../inputs/config/load-config.ts';
import { detectIsolation } from '../../platform/confinement/confinement.ts';
import { readEventLog, type EventLogWriter } from '../events/event-log.ts';
import { plannedSpecsOf, type AdaptiveDesignRecord, type Invocation, type RunStartedEvent } from '../events/event-types.ts';
import { executePlan, type ExecuteDependencies, type ProgressSink } from '../execute/execute-plan.ts';
import type { WorkItem } from '../execute/work-item.ts';
import { computeFingerprints, describeFingerprintChanges, type RunFingerprints } from '../plan/fingerprints.ts';
import { prepareRun, type PreparedRun } from '../plan/prepare-run.ts';
import { parseShard, selectShard, type ShardSelector } from '../plan/shard.ts';
import { applyUntilDecided, createRoundPlanner, describeAdaptiveStart, designAdaptiveRun, firstRoundEvent, firstRoundSpecs } from './adaptive-run.ts';
import { findReusableAttempts } from './find-reusable.ts';
import { applyInvocation, filtersOf } from './invocation.ts';
import { planRemainingWork } from './remaining-work.ts';
import { reopenRunLog, startRunLog, watchLogFailures, type OutputFailureHandler } from './run-log.ts';
import { buildRunRedactor, buildRunStartedEvent, collectSecrets, newRunId } from './start-run.ts';
import { readHarnessVersion, readOpencodeVersion } from './versions.ts';
import { describeConcurrency } from '../../inputs/config/concurrency.ts';

/** One run as asked for by the command line, the API or the promptfoo provider. */
export interface RunRequest {
  /** The config file as the user named it (recorded, and named in the resume hint). */
  configFile: string;
  /** Command-line choices that shape the plan; recorded and re-applied on resume. */
  invocation: Invocation;
  /** Where the run folder goes (default: the config's outputDir). */
  outputDir?: string | undefined;
  concurrency?: number | 'auto' | undefined;
  keepSandboxes?: boolean | undefined;
  /** Record every model exchange into the run's cassettes (for replay targets). */
  record?: boolean | undefined;
  /** Reuse earlier results whose inputs are unchanged. */
  incremental?: boolean | undefined;
  /** Only these repeat indexes (the API's selection; widens `repeats` to hold them). */
  repeatIndexes?: number[] | undefined;
}

export interface RunIo {
  sink: ProgressSink;
  print(line: string): void;
  /** Called when the event log refuses an event mid-run (full disk, read-only folder), before the error is thrown. */
  onOutputFailure?: OutputFailureHandler | undefined;
}

/** A run loaded, validated and planned: nothing has started, nothing is written. */
export interface PlannedRun {
  config: ResolvedConfig;
  prepared: PreparedRun;
  /** The specs this run executes (a shard's, or the selected repeats'; an adaptive run's first round). */
  specs: RunSpec[];
  shard: ShardSelector | undefined;
  /** `--until-decided`: the sequential design; `prepared.specs` then holds every cell up to the cap. */
  adaptive: AdaptiveDesignRecord | undefined;
}

/** A run whose attempts are all recorded in `runDir/events.jsonl`. */
export interface FinishedRun {
  runId: string;
  runDir: string;
  config: ResolvedConfig;
  prepared: PreparedRun;
  specs: RunSpec[];
}

/** Load → apply the invocation → prepare → select: every user error surfaces here. */
export async function planRun(request: RunRequest): Promise<PlannedRun> {
  const loaded = applyInvocation(await loadConfig(request.configFile), request.invocation, { out: request.outputDir, concurrency: request.concurrency });
  const config = applyUntilDecided(widenRepeats(loaded, request.repeatIndexes), request.invocation);
  const prepared = prepareRun(config, filtersOf(request.invocation));
  const shard = request.invocation.shard === undefined ? undefined : parseShard(request.invocation.shard);
  const wanted = request.repeatIndexes === undefined ? undefined : new Set(request.repeatIndexes);
  const selected = (shard === undefined ? prepared.specs : selectShard(prepared.specs, shard)).filter((spec) => wanted === undefined || wanted.has(spec.repeatIndex));
  if (selected.length === 0 && shard === undefined) throw new UserError('FILTER_INVALID', `${config.file}: the selection matches no scenario × target × prompt variant`);
  const adaptive = request.invocation.untilDecided === true ? designAdaptiveRun(config, prepared, request.invocation) : undefined;
  const specs = adaptive === undefined ? selected : firstRoundSpecs(selected, adaptive);
  return { config, prepared, specs, shard, adaptive };
}

/**
 * The one run lifecycle: plan → secrets → versions and fingerprints → event log (run.started)
 * → execute → run.finished. `harness run`, the API and the promptfoo provider all start here.
 */
export async function runNew(request: RunRequest, io: RunIo, dependencies?: ExecuteDependencies): Promise<FinishedRun> {
  const planned = await planRun(request);
  const { config, prepared, specs, shard, adaptive } = planned;
  const secretEnv = collectSecrets(config);
  const redactor = buildRunRedactor(secretEnv);
  const versions = { opencode: await readOpencodeVersion(), harness: readHarnessVersion() };
  const fingerprints = computeFingerprints(prepared, versions);
  const isolation = detectIsolation(config.isolation);
  const runId = newRunId();
  const runDir = path.join(config.outputDir, runId);
  const started = buildRunStartedEvent({
    prepared,
    specs,
    runId,
    versions,
    invocation: request.invocation,
    configFile: request.configFile,
    fingerprints,
    isolation,
    shard: shard === undefined ? undefined : { ...shard, plannedSpecs: prepared.specs.length },
    adaptive,
  });
  const log = watchLogFailures(startRunLog(runDir, started, howToContinue(request.configFile, runDir), redactor), io.onOutputFailure);
  const slice = shard === undefined ? '' : ` (shard ${shard.index}/${shard.count})`;
  io.print(`Run ${runId}: ${specs.length} attempt(s)${slice}, concurrency ${describeConcurrency(config)}, isolation ${describeIsolation(isolation)}, output ${runDir}`);
  for (const line of describeLostGuarantees(isolation)) io.print(line);
  if (adaptive !== undefined) {
    log.append(firstRoundEvent(adaptive, specs));
    io.print(describeAdaptiveStart(adaptive));
  }
  const work = specs.map((spec): WorkItem => ({ spec, firstAttemptNumber: 1 }));
  await executeLogged({ request, io, dependencies, planned, log, runDir, secretEnv, redactor, isolation, fingerprints, work });
  return { runId, runDir, config, prepared, specs: plannedSpecsOf(readEventLog(runDir).events) };
}

/**
 * Continues an interrupted run in its own log: refuses when the config, scenarios, fixtures,
 * prompts or OpenCode changed; re-runs only what has no final result (with `incremental`,
 * reusing unchanged results of other runs as a new run would).
 */
export async function runResumed(runDir: string, request: Omit<RunRequest, 'invocation' | 'outputDir'>, io: RunIo, dependencies?: ExecuteDependencies): Promise<FinishedRun> {
  const { events } = readEventLog(runDir);
  const recorded = events[0] as RunStartedEvent;
  const resumeRequest: RunRequest = { ...request, invocation: recorded.invocation ?? {}, outputDir: path.dirname(runDir) };
  const planned = await planRun({ ...resumeRequest, invocation: { ...resumeRequest.invocation, shard: undefined } });
  const versions = { opencode: await readOpencodeVersion(), harness: readHarnessVersion() };
  const fingerprints = computeFingerprints(planned.prepared, versions);
  const changes = describeFingerprintChanges(recorded.fingerprints, fingerprints);
  if (changes.length > 0) {
    throw new UserError(
      'RUN_DIR_INVALID',
      `${runDir}: cannot resume — changed since the run started (with --config ${recorded.configFile}): ${changes.join('; ')}. Start a new run instead (--incremental reuses unchanged results).`,
    );
  }
  const secretEnv = collectSecrets(planned.config);
  const redactor = buildRunRedactor(secretEnv);
  const isolation = detectIsolation(planned.config.isolation);
  // An adaptive run continues its current round, then goes on deciding with the design it started with.
  const resumedPlan: PlannedRun = { ...planned, adaptive: recorded.adaptive };
  const plannedSpecs = plannedSpecsOf(events);
  const work = planRemainingWork(plannedSpecs, events, 1 + planned.config.infraRetries);
  const log = watchLogFailures(reopenRunLog(runDir, howToContinue(request.configFile, runDir), io.print, redactor), io.onOutputFailure);
  log.append({ v: 1, type: 'run.resumed', at: new Date().toISOString(), remainingSpecs: work.length });
  io.print(`Resuming ${recorded.runId}: ${work.length} of ${plannedSpecs.length} attempt(s) left, isolation ${describeIsolation(isolation)}, output ${runDir}`);
  for (const line of describeLostGuarantees(isolation)) io.print(line);
  await executeLogged({ request: resumeRequest, io, dependencies, planned: resumedPlan, log, runDir, secretEnv, redactor, isolation, fingerprints, work });
  return { runId: recorded.runId, runDir, config: planned.config, prepared: planned.prepared, specs: plannedSpecsOf(readEventLog(runDir).events) };
}

interface LoggedExecution {
  request: RunRequest;
  io: RunIo;
  dependencies: ExecuteDependencies | undefined;
  planned: PlannedRun;
  log: EventLogWriter;
  runDir: string;
  secretEnv: Record<string, string>;
  redactor: Redactor;
  isolation: RunIsolation;
  fingerprints: RunFingerprints;
  work: WorkItem[];
}

/** Executes the work into an open log, appends `run.finished` and closes the log, whatever happens. */
async function executeLogged(parts: LoggedExecution): Promise<void> {
  const { request, planned, log, runDir } = parts;
  const { config } = planned;
  const startedMs = Date.now();
  try {
    await executePlan(
      {
        prepared: planned.prepared,
        work: parts.work,
        log,
        sink: parts.io.sink,
        settings: {
          attemptTimeoutMs: request.invocation.attemptTimeout ?? config.attemptTimeoutMs,
          checkTimeoutMs: config.checkTimeoutMs,
          endpointRetryLimit: config.endpointRetryLimit,
          maxStepsPerTurn: config.maxStepsPerTurn,
          keepSandboxes: request.keepSandboxes ?? false,
        },
        secretEnv: parts.secretEnv,
        redactor: parts.redactor,
        isolation: parts.isolation,
        runDir,
        record: request.record === true,
        reusable: request.incremental === true ? findReusableAttempts(config.outputDir, parts.fingerprints.specInputs, runDir) : undefined,
        nextWork: planned.adaptive === undefined ? undefined : createRoundPlanner({ runDir, log, prepared: planned.prepared, print: parts.io.print }),
      },
      parts.dependencies,
    );
    log.append({ v: 1, type: 'run.finished', at: new Date().toISOString(), durationMs: Date.now() - startedMs });
  } finally {
    log.close();
  }
}

function howToContinue(configFile: string, runDir: string): string {
  return `Every attempt not recorded yet runs again with: harness run --config ${configFile} --resume ${runDir}`;
}

/** The guarantees this run does not have, one line each (nothing when it has them all). */
function describeLostGuarantees(isolation: RunIsolation): string[] {
  const lost = lostGuarantees(isolation);
  if (lost.length === 0) return [];
  return [`Containment is partial (isolation ${describeIsolation(isolation)}); this run does NOT guarantee that:`, ...lost.map((guarantee) => `  - ${GUARANTEES[guarantee]}`)];
}

/** The config with enough repeats planned to hold every requested repeat index. */
function widenRepeats(config: ResolvedConfig, repeatIndexes: number[] | undefined): ResolvedConfig {
  if (repeatIndexes === undefined) return config;
  const bad = repeatIndexes.find((index) => !Number.isInteger(index) || index < 0 || index >= 1000);
  if (bad !== undefined) throw new UserError('FILTER_INVALID', `repeat index ${bad} must be a whole number from 0 to 999`);
  return { ...config, repeats: Math.max(config.repeats, ...repeatIndexes.map((index) => index + 1)) };
}
