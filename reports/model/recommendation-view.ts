import type { CohortKey, CohortStatistics, RunStatistics } from '../../runners/pipeline/summary/summary-types.ts';
import { formatInterval, formatRate } from './format.ts';
import { cohortIdOf, nameOf } from './run-index.ts';
import { describePower } from './statistics-text.ts';

export interface RecommendationView {
  tone: 'best' | 'none';
  headline: string;
  lines: string[];
}

/**
 * The headline for leadership, read off the scorecard's verdicts: a best only when it is
 * significantly better than every other configuration; otherwise the top group that could be
 * best, what is significantly worse, and what the design can detect at all.
 */
export function buildRecommendation(statistics: RunStatistics): RecommendationView {
  const { verdicts, cohorts } = statistics;
  const cohortOf = (key: CohortKey): CohortStatistics | undefined => cohorts.find((cohort) => cohortIdOf(cohort.key) === cohortIdOf(key));
  const of = (kind: string): CohortKey[] => verdicts.cohorts.filter((verdict) => verdict.verdict === kind).map((verdict) => verdict.key);
  const unrated = of('nothing-to-rate');
  const unratedLine = unrated.length === 0 ? [] : [`${unrated.length} configuration${unrated.length === 1 ? ' has' : 's have'} no result the model is answerable for (only infra errors or pending specs): nothing to rate.`];
  const power = describePower(statistics.power);
  const tests = verdicts.familySize === 1 ? '1 pairwise test' : `${verdicts.familySize} pairwise tests`;
  switch (verdicts.status) {
    case 'nothing-to-rate':
      return { tone: 'none', headline: 'No configuration has a result the model is answerable for yet.', lines: [] };
    case 'nothing-passed':
      return { tone: 'none', headline: 'No best: no configuration passed anything.', lines: [power, ...unratedLine] };
    case 'rated':
      break;
  }
  const worse = of('significantly-worse');
  const worseLine = worse.length === 0 ? [] : [`Significantly worse (${tests}, Holm, α = ${verdicts.alpha}): ${worse.map(nameOf).join(', ')}.`];
  const best = verdicts.best === null ? undefined : cohortOf(verdicts.best);
  if (best !== undefined && best.pass.rate !== null) {
    const rate = `${formatRate(best.pass.rate)} passed (${best.pass.passes} of ${best.pass.trials}; 95% CI ${formatInterval(best.pass.interval)} over ${best.pass.scenarios} scenarios).`;
    const lines = [rate, `Significantly better than every other configuration (${tests}, Holm, α = ${verdicts.alpha}).`, ...worseLine, power, ...unratedLine];
    return { tone: 'best', headline: `Best: ${nameOf(best.key)}`, lines };
  }
  const top = of('top-group');
  if (top.length === 1 && verdicts.ratedCohorts === 1) {
    return { tone: 'none', headline: `Only ${nameOf(top[0] ?? { targetId: '', promptVariantId: '' })} has results: nothing to compare it with.`, lines: [power, ...unratedLine] };
  }
  const headline = top.length === 0 ? 'No best configuration named' : `No single best: ${top.length} configuration${top.length === 1 ? '' : 's'} could be best`;
  const everyone = top.length === verdicts.ratedCohorts && top.length > 2;
  const topLine =
    top.length === 0
      ? []
      : everyone
        ? [`None of the ${top.length} configurations is significantly better than another (${tests}, Holm, α = ${verdicts.alpha}): every one could be best.`]
        : [`Could be best — no configuration is significantly better: ${top.map(nameOf).join(', ')}.`];
  return { tone: 'none', headline, lines: [...topLine, ...worseLine, power, ...unratedLine] };
}
