/**
 * One plain-English sentence per scorecard verdict, naming the comparison behind it, the family
 * size it survived and the Holm-adjusted p-value.
 */
import type { Matchup, VerdictWithoutExplanation } from './verdict-types.ts';

export interface ExplanationContext {
  /** Pairwise tests in the Holm family. */
  familySize: number;
  /** Cohorts with answerable results (the configurations compared). */
  ratedCohorts: number;
}

/** "0.012", "0.0014", or "< 0.0001". */
export function formatP(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  return p < 0.01 ? p.toPrecision(2) : p.toFixed(3);
}

function points(effect: number): string {
  return `${Math.round(Math.abs(effect) * 100)} points`;
}

function familyPhrase(context: ExplanationContext): string {
  const tests = context.familySize === 1 ? '1 pairwise test' : `${context.familySize} pairwise tests`;
  return `with ${context.ratedCohorts} configurations compared (${tests})`;
}

function explainWorse(cohort: string, worseThan: readonly Matchup[], context: ExplanationContext): string {
  const [top, ...rest] = worseThan;
  if (top === undefined) return `${cohort} is significantly worse than another configuration.`;
  const also = rest.length === 0 ? '' : `; it is also significantly worse than ${rest.map((m) => m.other).join(', ')}`;
  return `${cohort} is worse than ${top.other} on ${top.worse} of ${top.scenarios} shared scenarios (mean gap ${points(top.effect)}); ${familyPhrase(context)}, this is still significant (Holm-adjusted p = ${formatP(top.adjustedP)})${also}.`;
}

function explainBest(cohort: string, beats: readonly Matchup[], context: ExplanationContext): string {
  const narrowest = beats[0];
  if (narrowest === undefined) return `${cohort} is significantly better than every other configuration.`;
  const others = beats.length === 1 ? 'the other configuration' : `each of the other ${beats.length} configurations`;
  return `${cohort} is significantly better than ${others}; its narrowest win, over ${narrowest.other}, is better on ${narrowest.better} of ${narrowest.scenarios} shared scenarios (mean gap ${points(narrowest.effect)}) and is still significant ${familyPhrase(context)}: Holm-adjusted p = ${formatP(narrowest.adjustedP)}.`;
}

function explainTop(verdict: Extract<VerdictWithoutExplanation, { kind: 'top-group' }>, context: ExplanationContext): string {
  const { cohort, strongestChallenger: challenger, notBestBecause } = verdict;
  if (notBestBecause !== undefined) return `${cohort} is significantly better than every other configuration but is not named best: ${notBestBecause}.`;
  if (challenger === undefined) {
    return context.ratedCohorts <= 1
      ? `${cohort} is the only configuration with answerable results, so there is nothing to compare it with.`
      : `${cohort} could be best: no configuration is significantly better, but it shares no scenario with some of the others, so it cannot be ranked against them.`;
  }
  const tied = challenger.better + challenger.worse === 0;
  const tests = context.familySize === 1 ? 'the 1 pairwise test' : `${context.familySize} pairwise tests`;
  const holmP = `Holm-adjusted p = ${formatP(challenger.adjustedP)} over ${tests}`;
  if (challenger.effect < 0) {
    // The challenger's record: it is better where this cohort is worse.
    const record = tied ? `tied on all ${challenger.scenarios} shared scenarios` : `better on ${challenger.worse} of ${challenger.scenarios} shared scenarios, worse on ${challenger.better}`;
    return `No configuration is significantly better than ${cohort}: the strongest challenger is ${challenger.other} (${record}; ${holmP}), so ${cohort} could still be best.`;
  }
  // This cohort's own record against the configuration it is closest to.
  const record = tied ? `tied on all ${challenger.scenarios} shared scenarios` : `it is better on ${challenger.better} of ${challenger.scenarios} shared scenarios, worse on ${challenger.worse}`;
  return `${cohort} could be best: no configuration is significantly better, and it is not significantly better than ${challenger.other} (${record}; ${holmP}).`;
}

/** The sentence for one verdict. */
export function explainVerdict(verdict: VerdictWithoutExplanation, context: ExplanationContext): string {
  switch (verdict.kind) {
    case 'best':
      return explainBest(verdict.cohort, verdict.beats, context);
    case 'significantly-worse':
      return explainWorse(verdict.cohort, verdict.worseThan, context);
    case 'top-group':
      return explainTop(verdict, context);
    case 'nothing-to-rate':
      return `${verdict.cohort} has no model-answerable result (${verdict.infraErrors} infra errors), so there is nothing to rate and it is left out of the comparisons.`;
    case 'nothing-passed':
      return `No configuration passed anything on any scenario, so no best is named; ${verdict.cohort} passed 0 of ${verdict.rate.trials} answerable attempts.`;
  }
}
