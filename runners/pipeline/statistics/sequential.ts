/**
 * Adaptive repeats: run a small first round, then add repeats only where the scorecard is still
 * undecided, and stop as soon as it is settled, while the family-wise error rate over ALL rounds
 * and pairs stays ≤ α under optional stopping.
 *
 * The rule (all parts are needed for validity):
 * 1. A pre-set maximum of T rounds. Round 1: every cohort × scenario gets `initialRepeats`.
 * 2. Alpha spending: round t may spend α_t = α((t/T)^ρ − ((t−1)/T)^ρ) (power family, Kim & DeMets
 *    1987). Σ α_t = α, and the rounds are combined by a union bound (Bonferroni over looks), so
 *    validity does not depend on the correlation between looks.
 * 3. Within a look: every live pair is tested on the cumulative data with the sign-flip test over
 *    scenarios (pairedScenarioDifference), Holm at α_t over the look's family: the pairs decided
 *    earlier (entering with p = 0) and every pair of cohorts not yet shown worse than another (live
 *    pairs with their p-value; futile or unsampled ones with p = 1). A pair involving a cohort
 *    already shown worse leaves the family: it can never be rejected again, and keeping it would
 *    hold back its share of α_t for good. Rejections are final.
 * 4. Allocation: a cohort keeps being sampled while it is not shown worse than anyone and still has
 *    a live, undecided, non-futile pair. Every sampled cohort gets the same repeats on every scenario
 *    that still discriminates, so two cohorts that are both still sampled always have identical
 *    repeat counts. A scenario stops discriminating once every sampled cohort has `dropAfterRepeats`
 *    outcomes in it and all are identical — a sign-invariant rule (swapping two sampled cohorts'
 *    outcomes within a scenario does not change it). A pair is "live" only while both cohorts are
 *    sampled; afterwards it is frozen (never rejected again).
 * 5. Stop when no cohort needs sampling (settled, or futile), at T rounds, when no scenario
 *    discriminates, or when the next round would exceed the attempt budget (whole rounds only).
 * Why it is valid: FWER ≤ Σ_t P(first false rejection at look t). On that event no true-null pair
 * was rejected before; a live true-null pair's data are the first n_g(t) outcomes of each cohort in
 * each scenario, with the same n_g(t) on both sides. If n_g(t) does not change when the two cohorts'
 * outcome streams are swapped within any set of scenarios, the sign-flip p-value is exact, and Holm
 * at α_t (whose proof allows arbitrary p-values for false nulls) bounds that probability by α_t —
 * for a family fixed in advance, or one that depends only on correct decisions.
 * Under the global null (all cohorts equal) this is complete: before the first false rejection no
 * cohort is shown worse, so the family is all K(K−1)/2 pairs; futility keeps its pairs in the family
 * (p = 1), so a selection on a pair's own interim data never enlarges another pair's level; and
 * n_g(t) is the same for every sampled cohort (scenario dropping looks at all of them symmetrically).
 * Under partial nulls two steps rest on simulation, not proof: the family shrinks when a cohort is
 * (correctly) shown worse, which happens sooner when a true-best cohort's data run high — weakly
 * favouring small p-values of the true-null pairs left; and the drop rule looks at the set of
 * sampled cohorts, which depends on other comparisons. `npm run bench:verdicts` measures the FWER of
 * the whole procedure under the global null and adversarial partial nulls (runners/bench/BENCHMARKS.md).
 * Futility and early stopping only remove chances to reject. Infra errors that unbalance cells
 * break exactness slightly (see signFlipTest).
 */
import { repeatsInRound, replayLooks, roundAlpha, type LookStatus, type Observation, type SequentialDesign } from './sequential-looks.ts';

export { cumulativeRepeats, discriminatingScenarios, doublingSchedule, repeatsInRound, replayLooks, roundAlpha } from './sequential-looks.ts';
export type { LookRecord, LookStatus, Observation, PairDecision, SequentialDesign } from './sequential-looks.ts';

export interface SequentialState {
  design: SequentialDesign;
  /** Rounds completed so far (0 before the first round). */
  roundsDone: number;
  observations: readonly Observation[];
}

export interface PlannedCell {
  cohort: string;
  scenario: string;
  repeats: number;
}

/**
 * settled: at most one cohort is not shown worse (the top group is decided); futile: the undecided
 * pairs left cannot plausibly become significant; the others as named.
 */
export type StopReason = 'settled' | 'futile' | 'max-rounds' | 'nothing-discriminates' | 'budget';

export type RoundPlan =
  | { stop: true; reason: StopReason; status: LookStatus }
  | { stop: false; round: number; alpha: number; cells: PlannedCell[]; status: LookStatus };

function checkDesign(design: SequentialDesign): void {
  const integers = [design.initialRepeats, design.maxRounds, ...(typeof design.repeatsPerRound === 'number' ? [design.repeatsPerRound] : design.repeatsPerRound)];
  if (!integers.every((value) => Number.isInteger(value) && value >= 1)) throw new RangeError('sequential design: repeats and rounds must be positive integers');
  if (design.initialRepeats < 2) throw new RangeError('sequential design: initialRepeats must be ≥ 2 so that round 1 can show disagreement');
  if (design.cohorts.length < 2) throw new RangeError('sequential design: need at least two cohorts');
  if (new Set(design.cohorts).size !== design.cohorts.length) throw new RangeError('sequential design: cohort ids must be unique');
}

/**
 * Decide the next round from the state: replays every look so far (see the module comment) and
 * either stops with a reason, or lists the cells to run with their repeats and the round's alpha.
 */
export function planNextRound(state: SequentialState): RoundPlan {
  const { design, roundsDone } = state;
  checkDesign(design);
  const status = replayLooks(design, state.observations, roundsDone);
  if (roundsDone === 0) {
    const cells = design.cohorts.flatMap((cohort) => design.scenarios.map((scenario) => ({ cohort, scenario, repeats: design.initialRepeats })));
    return { stop: false, round: 1, alpha: roundAlpha(1, design), cells, status };
  }
  if (status.sampled.length < 2) {
    const open = design.cohorts.length - status.closed.length;
    return { stop: true, reason: open <= 1 ? 'settled' : 'futile', status };
  }
  if (roundsDone >= design.maxRounds) return { stop: true, reason: 'max-rounds', status };
  if (status.discriminating.length === 0) return { stop: true, reason: 'nothing-discriminates', status };
  const repeats = repeatsInRound(design, roundsDone + 1);
  const cells = status.sampled.flatMap((cohort) => status.discriminating.map((scenario) => ({ cohort, scenario, repeats })));
  const planned = cells.reduce((sum, cell) => sum + cell.repeats, 0);
  if (design.maxAttempts !== undefined && status.attempts + planned > design.maxAttempts) return { stop: true, reason: 'budget', status };
  return { stop: false, round: roundsDone + 1, alpha: roundAlpha(roundsDone + 1, design), cells, status };
}

export type SequentialVerdict =
  | { kind: 'best'; cohort: string; beats: string[] }
  | { kind: 'top-group'; cohort: string }
  | { kind: 'significantly-worse'; cohort: string; worseThan: string[] };

/** Verdicts from the (final) status: consistent with the sticky pairwise decisions by construction. */
export function sequentialVerdicts(design: SequentialDesign, status: LookStatus): SequentialVerdict[] {
  return design.cohorts.map((cohort): SequentialVerdict => {
    const worseThan = status.decisions.filter((decision) => decision.worse === cohort).map((decision) => decision.better);
    if (worseThan.length > 0) return { kind: 'significantly-worse', cohort, worseThan };
    const beats = status.decisions.filter((decision) => decision.better === cohort).map((decision) => decision.worse);
    return beats.length === design.cohorts.length - 1 ? { kind: 'best', cohort, beats } : { kind: 'top-group', cohort };
  });
}
