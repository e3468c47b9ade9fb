import type { CohortVerdictKind, PowerParameterSource, PowerStatistic, RateIntervalMethod, RunVerdicts } from '../../runners/pipeline/summary/summary-types.ts';

/**
 * Plain sentences about the statistics, shared by the HTML report, the one-page scorecard and
 * summary.md, so that every reader is told the same thing in the same words.
 */

export const VERDICT_LABELS: Record<CohortVerdictKind, string> = {
  best: 'Best',
  'top-group': 'Could be best',
  'significantly-worse': 'Significantly worse',
  'nothing-to-rate': 'Nothing to rate',
  'nothing-passed': 'Nothing passed',
};

/** "With 8 scenarios × 3 repeats and 45 pairwise tests, a gap of about 31 points is detected with 80% power." */
export function describePower(power: PowerStatistic): string {
  const design = `${power.scenarios} scenario${power.scenarios === 1 ? '' : 's'} × ${power.repeats} repeat${power.repeats === 1 ? '' : 's'}`;
  const family = power.familySize === 1 ? '' : ` and ${power.familySize} pairwise tests`;
  const source = describeSource(power.parameters.source);
  if (power.detectableGap === null) {
    return `With ${design}${family}, no gap can be detected: ${power.reason ?? 'too few scenarios'}.`;
  }
  const points = Math.round(power.detectableGap * 100);
  const capped = points >= 100 ? 'no realistic gap (it would need more than 100 points)' : `a true gap of about ${points} points in pass rate`;
  return `With ${design}${family}, ${capped} is found with ${Math.round(power.power * 100)}% power (${source}); smaller gaps may go unseen — add scenarios first, repeats second.`;
}

function describeSource(source: PowerParameterSource): string {
  switch (source.kind) {
    case 'this run':
      return 'variance estimated from this run';
    case 'previous run':
      return `variance estimated from run ${source.runId}`;
    case 'defaults':
      return 'cautious default variance';
  }
}

/** How the rate intervals and the verdicts were computed, in two sentences. */
export function describeMethod(verdicts: RunVerdicts): string {
  const family = verdicts.familySize === 0 ? 'no pairwise test' : verdicts.familySize === 1 ? 'the 1 pairwise test' : `all ${verdicts.familySize} pairwise tests`;
  return (
    'Pass rates weigh every scenario the same; their 95% intervals treat scenarios as the units (repeats of one scenario are correlated): ' +
    'a Wilson interval on the effective sample size with a t quantile on scenarios − 1 degrees of freedom (scenario-clustered Wilson). ' +
    `Verdicts compare every pair of configurations on the scenarios they share (the exact sign-flip test over per-scenario differences): ` +
    `${family} as one Holm family at α = ${verdicts.alpha}, so "significantly worse" stays significant however many configurations are compared.`
  );
}

/** A few words on how an interval was computed, for a tooltip or a footnote. */
export function describeIntervalMethod(method: RateIntervalMethod, scenarios: number): string {
  switch (method) {
    case 'clustered-wilson':
      return `scenario-clustered over ${scenarios} scenarios`;
    case 'one-scenario-wilson':
      return 'one scenario: Wilson over its repeats, says nothing about other scenarios';
    case 'none':
      return 'nothing to rate';
  }
}
