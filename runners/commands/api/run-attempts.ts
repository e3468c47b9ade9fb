import path from 'node:path';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { ExecuteDependencies, ProgressSink } from '../../pipeline/execute/execute-plan.ts';
import type { PreparedRun } from '../../pipeline/plan/prepare-run.ts';
import type { OutputFailureHandler } from '../../pipeline/run/run-log.ts';
import { runNew } from '../../pipeline/run/run-lifecycle.ts';

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
  /** Called when the event log refuses an event (full disk, read-only folder), before the OutputError is thrown. */
  onOutputFailure?: OutputFailureHandler | undefined;
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
 * Runs the selected specs through the same lifecycle as `harness run`: a fresh sandbox, OpenCode
 * session and checks per attempt, the same event log and its disk-error handling. Bad input
 * throws a UserError before anything is written; run outcomes come back as values in `attempts`.
 * `dependencies` replace what execution is built from (tests pass fakes).
 */
export async function runAttempts(request: RunAttemptsRequest, dependencies?: ExecuteDependencies): Promise<RunAttemptsResult> {
  const attempts: AttemptRecord[] = [];
  const run = await runNew(
    {
      configFile: path.relative(process.cwd(), path.resolve(request.configFile)) || request.configFile,
      invocation: { scenario: request.scenarioIds, target: request.targetIds, prompt: request.promptVariantIds, attemptTimeout: request.attemptTimeoutMs },
      outputDir: request.outputDir,
      keepSandboxes: request.keepSandboxes,
      repeatIndexes: request.repeatIndexes,
    },
    { sink: collectInto(attempts, request.sink), print: () => undefined, onOutputFailure: request.onOutputFailure },
    dependencies,
  );
  return { runId: run.runId, runDir: run.runDir, prepared: run.prepared, specs: run.specs, attempts };
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
    note: (line) => next?.note?.(line),
  };
}
