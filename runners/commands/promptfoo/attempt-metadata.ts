import { z } from 'zod';
import { CHECK_NAMES, type CheckName } from '../../core/domain/check-result.ts';
import { type AttemptOutcome, type AttemptRecord } from '../../core/domain/attempt.ts';
import { type RunSpec } from '../../core/domain/run-spec.ts';

/** Where, in a promptfoo response's `metadata`, the harness puts its record of the attempt. */
export const HARNESS_METADATA_KEY = 'harness';

/**
 * What the harness provider tells promptfoo about one attempt, and what the harness assertion
 * grades from: outcome, check results with their evidence, and where the run is on disk.
 */
export interface HarnessAttemptMetadata {
  version: 1;
  runId: string;
  /** The run folder (events.jsonl): `harness report <runDir>` shows the transcript. */
  runDir: string;
  specId: string;
  attemptId: string;
  attemptNumber: number;
  /** How many attempts the spec took, infra-error retries included. */
  attemptCount: number;
  scenarioId: string;
  targetId: string;
  promptVariantId: string;
  repeatIndex: number;
  outcome: AttemptOutcome;
  checks: AttemptRecord['checks'];
  changedFiles: string[];
  timings: AttemptRecord['timings'];
}

export interface AttemptMetadataInput {
  runId: string;
  runDir: string;
  spec: RunSpec;
  /** The spec's attempts in order; the last one is the one reported. */
  attempts: AttemptRecord[];
}

export function buildAttemptMetadata({ runId, runDir, spec, attempts }: AttemptMetadataInput): HarnessAttemptMetadata {
  const attempt = attempts.at(-1);
  if (attempt === undefined) throw new Error(`internal: spec ${spec.id} has no attempt to describe`);
  return {
    version: 1,
    runId,
    runDir,
    specId: spec.id,
    attemptId: attempt.attemptId,
    attemptNumber: attempt.attemptNumber,
    attemptCount: attempts.length,
    scenarioId: spec.scenarioId,
    targetId: spec.targetId,
    promptVariantId: spec.promptVariantId,
    repeatIndex: spec.repeatIndex,
    outcome: attempt.outcome,
    checks: attempt.checks,
    changedFiles: attempt.changedFiles,
    timings: attempt.timings,
  };
}

// ---------------------------------------------------------------- reading it back

const checkName = z.enum(CHECK_NAMES as [CheckName, ...CheckName[]]);

const outcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('passed') }),
  z.object({ kind: z.literal('failed'), failedChecks: z.array(checkName) }),
  z.object({ kind: z.literal('timed-out'), afterMs: z.number() }),
  z.object({ kind: z.literal('infra-error'), source: z.enum(['endpoint', 'opencode', 'harness']), message: z.string() }),
]);

/** A check result as read back: the evidence stays `unknown` until its check's reader parses it. */
const checkSchema = z.discriminatedUnion('status', [
  z.object({ check: checkName, status: z.literal('passed'), evidence: z.unknown() }),
  z.object({ check: checkName, status: z.literal('failed'), reason: z.string(), evidence: z.unknown() }),
  z.object({ check: checkName, status: z.literal('errored'), error: z.string() }),
]);

const metadataSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  runDir: z.string(),
  attemptId: z.string(),
  scenarioId: z.string(),
  targetId: z.string(),
  promptVariantId: z.string(),
  repeatIndex: z.number(),
  outcome: outcomeSchema,
  checks: z.array(checkSchema),
});

export type ReadAttemptMetadata = z.infer<typeof metadataSchema>;
export type ReadCheckResult = z.infer<typeof checkSchema>;

export type ReadMetadataResult = { status: 'read'; metadata: ReadAttemptMetadata } | { status: 'invalid'; reason: string };

/** Parses the harness record out of a promptfoo response's metadata (it crossed a JSON boundary). */
export function readAttemptMetadata(responseMetadata: unknown): ReadMetadataResult {
  const record = typeof responseMetadata === 'object' && responseMetadata !== null ? (responseMetadata as Record<string, unknown>)[HARNESS_METADATA_KEY] : undefined;
  if (record === undefined) {
    return { status: 'invalid', reason: `the response carries no metadata.${HARNESS_METADATA_KEY}: use this assertion with the harness provider (runners/commands/promptfoo/harness-provider.ts)` };
  }
  const parsed = metadataSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: 'invalid', reason: `metadata.${HARNESS_METADATA_KEY}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
  }
  return { status: 'read', metadata: parsed.data };
}
