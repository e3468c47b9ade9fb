import type { RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { cohortIdOf } from '../../runners/pipeline/summary/spec-facts.ts';
import type { RunDigest } from './run-digest.ts';

/**
 * The previous comparable run: the newest run in the same folder that started before this one
 * and shares at least one cohort (target × prompt variant) with it. Pure.
 */
export function selectPreviousRun<T extends { digest: RunDigest }>(current: RunSummary, candidates: readonly T[]): T | undefined {
  const cohorts = new Set(current.statistics.cohorts.map((cohort) => cohortIdOf(cohort.key)));
  const startedMs = Date.parse(current.startedAt);
  return candidates
    .filter(({ digest }) => digest.runId !== current.runId)
    .filter(({ digest }) => Date.parse(digest.startedAt) < startedMs)
    .filter(({ digest }) => digest.cohorts.some((cohort) => cohort.trials > 0 && cohorts.has(cohortIdOf(cohort))))
    .sort((left, right) => Date.parse(right.digest.startedAt) - Date.parse(left.digest.startedAt) || right.digest.runId.localeCompare(left.digest.runId))[0];
}

