import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type ResolvedConfig } from '../config/load-config.ts';
import type { AttemptRecord, RunSpec } from '../domain.ts';
import { UserError } from '../errors.ts';
import { openEventLog } from '../events/event-log.ts';
import type { Invocation } from '../events/event-types.ts';
import { executePlan, type ProgressSink } from '../execute/execute-plan.ts';
import { prepareRun, type PreparedRun } from '../execute/prepare-run.ts';
import { buildRunStartedEvent, collectSecrets, newRunId } from '../execute/start-run.ts';
import { detectIsolation } from '../opencode/isolation.ts';
import { computeFingerprints } from '../plan/fingerprints.ts';
import { readHarnessVersion, readOpencodeVersion } from '../execute/versions.ts';

/** One small run, asked for by code (e.g. a promptfoo provider) rather than the command line. */
export interface RunAttemptsRequest {
  /** The harness config file, absolute or relative to the working directory. */
  configFile: string;
  scenarioIds: string[];
  targetIds: string[];
  promptVariantIds: string[];
  /** Which repeat indexes to run (default: every repeat the config asks for). */
  repeatIndexes?: number[] | undefined;
  /** Where the run folder goes (default: the config's outputDir). */
  outputDir?: string | undefined;
  /** Overrides every scenario's timeout. */
  attemptTimeoutMs?: number | undefined;
  keepSandboxes?: boolean | undefined;
  /** Progress, if the caller wants it; nothing is printed either way. */
  sink?: ProgressSink | undefined;
}

export interface RunAttemptsResult {
  runId: string;
  /** Holds events.jsonl, so `harness report` and `harness export` work on it as on any run. */
  runDir: string;
  prepared: PreparedRun;
  specs: RunSpec[];
  /** Every finished attempt in finishing order, infra retries included. */
  attempts: AttemptRecord[];
}

/**
 * Prepares, executes and logs a run of the selected specs: a fresh sandbox, OpenCode session and
 * checks per attempt, exactly as `harness run` does. Bad input throws a UserError before
 * anything is written; run outcomes come back as values in `attempts`.
 */
export async function runAttempts(request: RunAttemptsRequest): Promise<RunAttemptsResult> {
  const loaded = await loadConfig(request.configFile);
  const config = widenRepeats(loaded, request.repeatIndexes);
  const invocation: Invocation = { scenario: request.scenarioIds, target: request.targetIds, prompt: request.promptVariantIds, repeats: config.repeats };
  const prepared = prepareRun(config, { scenarioIds: request.scenarioIds, targetIds: request.targetIds, promptVariantIds: request.promptVariantIds });
  const wanted = request.repeatIndexes === undefined ? undefined : new Set(request.repeatIndexes);
  const specs = prepared.specs.filter((spec) => wanted === undefined || wanted.has(spec.repeatIndex));
  if (specs.length === 0) throw new UserError('FILTER_INVALID', `${config.file}: the selection matches no scenario × target × prompt variant`);
  const secretEnv = collectSecrets(config);
  const versions = { opencode: await readOpencodeVersion(), harness: readHarnessVersion() };
  const isolation = detectIsolation(config.isolation);
  const runId = newRunId();
  const runDir = path.join(request.outputDir === undefined ? config.outputDir : path.resolve(request.outputDir), runId);
  mkdirSync(runDir, { recursive: true });
  const attempts: AttemptRecord[] = [];
  const log = openEventLog(runDir);
  const startedMs = Date.now();
  try {
    log.append(buildRunStartedEvent({ prepared, specs, runId, versions, invocation, configFile: path.relative(process.cwd(), config.file) || config.file, fingerprints: computeFingerprints(prepared, versions), isolation }));
    await executePlan({
      prepared,
      work: specs.map((spec) => ({ spec, firstAttemptNumber: 1 })),
      log,
      sink: collectInto(attempts, request.sink),
      attemptTimeoutMs: request.attemptTimeoutMs ?? config.attemptTimeoutMs,
      keepSandboxes: request.keepSandboxes ?? false,
      secretEnv,
      isolation,
      runDir,
      record: false,
    });
    log.append({ v: 1, type: 'run.finished', at: new Date().toISOString(), durationMs: Date.now() - startedMs });
  } finally {
    log.close();
  }
  return { runId, runDir, prepared, specs, attempts };
}

/** The config with enough repeats planned to hold every requested repeat index. */
function widenRepeats(config: ResolvedConfig, repeatIndexes: number[] | undefined): ResolvedConfig {
  if (repeatIndexes === undefined) return config;
  const bad = repeatIndexes.find((index) => !Number.isInteger(index) || index < 0 || index >= 1000);
  if (bad !== undefined) throw new UserError('FILTER_INVALID', `repeat index ${bad} must be a whole number from 0 to 999`);
  return { ...config, repeats: Math.max(config.repeats, ...repeatIndexes.map((index) => index + 1)) };
}

/** A sink that keeps every finished attempt and passes events on to the caller's sink. */
function collectInto(attempts: AttemptRecord[], next: ProgressSink | undefined): ProgressSink {
  return {
    planned: (total) => next?.planned(total),
    attemptStarted: (spec, attemptNumber) => next?.attemptStarted(spec, attemptNumber),
    attemptFinished: (spec, attempt, progress) => {
      attempts.push(attempt);
      next?.attemptFinished(spec, attempt, progress);
    },
    finished: () => next?.finished(),
  };
}
