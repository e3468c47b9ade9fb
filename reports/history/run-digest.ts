import { z } from 'zod';
import type { RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import type { ReportFile } from '../report-file.ts';

/**
 * What the history index needs of one run, small enough to read for every run in a folder:
 * written beside each run's report, so the index never re-reads whole event logs.
 */
export const RUN_DIGEST_PATH = 'run-digest.json';

const rateSchema = z.object({
  passes: z.number().int().nonnegative(),
  trials: z.number().int().nonnegative(),
  rate: z.number().min(0).max(1).nullable(),
  low: z.number().min(0).max(1),
  high: z.number().min(0).max(1),
});

export const runDigestSchema = z.object({
  version: z.literal(1),
  runId: z.string().min(1),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(['complete', 'incomplete']),
  scriptedModel: z.boolean(),
  totals: z.object({
    specs: z.number().int().nonnegative(),
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    timedOut: z.number().int().nonnegative(),
    infraErrors: z.number().int().nonnegative(),
    pending: z.number().int().nonnegative(),
  }),
  cohorts: z.array(
    rateSchema.extend({
      targetId: z.string(),
      promptVariantId: z.string(),
      model: z.string(),
      quantization: z.string(),
      /** The scorecard verdict; digests written before scenario-clustered verdicts say 'not-distinguishable-from-best'. */
      verdict: z.enum(['best', 'top-group', 'significantly-worse', 'nothing-to-rate', 'nothing-passed', 'not-distinguishable-from-best']).nullable(),
    }),
  ),
});

export type RunDigest = z.infer<typeof runDigestSchema>;

export function buildRunDigest(summary: RunSummary): RunDigest {
  const verdicts = new Map(summary.statistics.verdicts.cohorts.map((verdict) => [JSON.stringify([verdict.key.targetId, verdict.key.promptVariantId]), verdict.verdict]));
  return {
    version: 1,
    runId: summary.runId,
    startedAt: summary.startedAt,
    finishedAt: summary.finishedAt,
    status: summary.status,
    scriptedModel: summary.scriptedModel,
    totals: summary.totals,
    cohorts: summary.statistics.cohorts.map((cohort) => ({
      targetId: cohort.key.targetId,
      promptVariantId: cohort.key.promptVariantId,
      model: cohort.model,
      quantization: cohort.quantization,
      passes: cohort.pass.passes,
      trials: cohort.pass.trials,
      rate: cohort.pass.rate,
      low: cohort.pass.interval.low,
      high: cohort.pass.interval.high,
      verdict: verdicts.get(JSON.stringify([cohort.key.targetId, cohort.key.promptVariantId])) ?? null,
    })),
  };
}

/** A reporter: the digest as a file beside the report. */
export function renderRunDigest(summary: RunSummary): ReportFile[] {
  return [{ path: RUN_DIGEST_PATH, contents: `${JSON.stringify(buildRunDigest(summary), null, 2)}\n` }];
}

/** Reads a digest back; null when it is not one (another version, a foreign file). */
export function parseRunDigest(text: string): RunDigest | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = runDigestSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
