import type { CohortVerdict, RunStatistics } from '../../runners/pipeline/summary/summary-types.ts';
import { formatInterval, formatRate } from './format.ts';
import { cohortIdOf, nameOf } from './run-index.ts';

export interface RecommendationView {
  tone: 'best' | 'none';
  headline: string;
  lines: string[];
}

/** The headline for leadership: the best configuration, what ties with it, what is worse, and what the sample size can show. */
export function buildRecommendation(statistics: RunStatistics): RecommendationView {
  const best = statistics.verdicts.find((verdict) => verdict.verdict === 'best');
  const bestCohort = best === undefined ? undefined : statistics.cohorts.find((cohort) => cohortIdOf(cohort.key) === cohortIdOf(best.key));
  if (best === undefined || bestCohort === undefined || bestCohort.pass.rate === null) {
    return { tone: 'none', headline: 'No configuration has a result the model is answerable for yet.', lines: [] };
  }
  const isRated = (verdict: CohortVerdict): boolean => statistics.cohorts.some((cohort) => cohortIdOf(cohort.key) === cohortIdOf(verdict.key) && cohort.pass.trials > 0);
  const tied = statistics.verdicts.filter((verdict) => verdict.verdict === 'not-distinguishable-from-best' && isRated(verdict));
  const unrated = statistics.cohorts.filter((cohort) => cohort.pass.trials === 0);
  const worse = statistics.verdicts.filter((verdict) => verdict.verdict === 'significantly-worse');
  const lines = [`${formatRate(bestCohort.pass.rate)} of specs passed (${bestCohort.pass.passes} of ${bestCohort.pass.trials}; 95% CI ${formatInterval(bestCohort.pass.interval)}).`];
  if (statistics.cohorts.length - unrated.length === 1) lines.push('Only one configuration has results: there is nothing to compare it with.');
  if (tied.length > 0) lines.push(`${describeCount(tied.length)} not distinguishable from it at this sample size: ${tied.map((verdict) => nameOf(verdict.key)).join(', ')}.`);
  if (worse.length > 0) lines.push(`${describeCount(worse.length)} significantly worse (paired exact McNemar, p < ${statistics.alpha}).`);
  const floor = describeNoiseFloor(tied);
  if (floor !== null) lines.push(floor);
  if (unrated.length > 0) lines.push(`${unrated.length} configuration${unrated.length === 1 ? ' has' : 's have'} no result the model is answerable for (only infra errors or pending specs).`);
  return { tone: 'best', headline: `Best: ${nameOf(best.key)}`, lines };
}

/** What sample size can tell apart: the smallest detectable difference against the best. */
function describeNoiseFloor(tied: readonly CohortVerdict[]): string | null {
  const floors = tied.flatMap((verdict) => (verdict.againstBest === undefined ? [] : [verdict.againstBest]));
  if (floors.length === 0) return null;
  const pairs = Math.min(...floors.map((comparison) => comparison.pairs));
  const detectable = floors.map((comparison) => comparison.minimumDetectableEffect);
  if (detectable.some((effect) => effect === null)) {
    return `With ${pairs} paired scenario × repeat results, no difference could be shown significant: add repeats or scenarios.`;
  }
  const smallest = Math.max(...detectable.map((effect) => effect ?? 0));
  return `With ${pairs} paired results, only differences of about ${Math.round(smallest * 100)} points or more can be shown; add repeats to see smaller ones.`;
}

function describeCount(count: number): string {
  return count === 1 ? '1 other configuration is' : `${count} other configurations are`;
}
