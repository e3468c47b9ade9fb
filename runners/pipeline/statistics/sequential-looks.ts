/**
 * Replays the looks of an adaptive-repeats run: after each round, every live pair of cohorts is
 * tested on the cumulative data, Holm at that round's spent alpha over the decided pairs and the
 * pairs of cohorts not yet shown worse (see sequential.ts); rejections are final. Pure: the same
 * observations always give the same status.
 */
import { normalQuantile } from './distributions.ts';
import { holm } from './multiplicity.ts';
import { pairedScenarioDifference, type PairedDifference } from './paired-difference.ts';

export interface SequentialDesign {
  cohorts: readonly string[];
  scenarios: readonly string[];
  /** Repeats of every cell in round 1 (≥ 2, so that disagreement can show). */
  initialRepeats: number;
  /** Repeats added per sampled cell in each later round: one number, or a schedule for rounds 2, 3, … (its last entry repeats). */
  repeatsPerRound: number | readonly number[];
  maxRounds: number;
  /** Family-wise error rate over all rounds and pairs; 0.05 unless told. */
  alpha?: number;
  /** ρ of the power spending family α(t/T)^ρ (Kim & DeMets 1987; Jennison & Turnbull 2000, §7.3); 1 unless told. */
  spendingExponent?: number;
  /** Attempt budget; a round that would exceed it is not started. */
  maxAttempts?: number;
  /** Stop sampling a scenario once every sampled cohort has this many identical outcomes in it; 8 unless told. */
  dropAfterRepeats?: number;
  /** Futility margin in standard errors (see isFutile); 2 unless told. */
  futilityMargin?: number;
  /** Stop sampling pairs that cannot plausibly become significant (affects cost and power, not error); true unless told. */
  futility?: boolean;
}

export interface Observation {
  cohort: string;
  scenario: string;
  /** 1-based round the outcomes were collected in. */
  round: number;
  outcomes: readonly number[];
}

export interface PairDecision {
  better: string;
  worse: string;
  round: number;
  pValue: number;
}

/** One look (the test after a round): its alpha, the Holm family it used and what it decided. */
export interface LookRecord {
  round: number;
  alpha: number;
  /** Pairs in this look's Holm family: decided pairs plus every pair of cohorts not yet shown worse. */
  familySize: number;
  /** Pairs decided at this look. */
  decided: number;
}

export interface LookStatus {
  roundsDone: number;
  alphaSpent: number;
  decisions: PairDecision[];
  looks: LookRecord[];
  /** Cohorts shown significantly worse than some other cohort. */
  closed: string[];
  /** Cohorts to sample in the next round (open, with a live and still promising pair). */
  sampled: string[];
  /** Scenarios whose round-1 outcomes among the sampled cohorts were not all identical. */
  discriminating: string[];
  futilePairs: Array<[string, string]>;
  attempts: number;
}

/**
 * Alpha spent at round t of T: α·((t/T)^ρ − ((t−1)/T)^ρ). The rounds' alphas sum to α and are spent
 * with a union bound, so validity needs no assumption about the correlation between looks.
 */
export function roundAlpha(round: number, design: Pick<SequentialDesign, 'maxRounds' | 'alpha' | 'spendingExponent'>): number {
  const alpha = design.alpha ?? 0.05;
  const rho = design.spendingExponent ?? 1;
  if (round < 1 || round > design.maxRounds) return 0;
  return alpha * ((round / design.maxRounds) ** rho - ((round - 1) / design.maxRounds) ** rho);
}

function cumulative(observations: readonly Observation[], upToRound: number): Map<string, Map<string, number[]>> {
  const byCohort = new Map<string, Map<string, number[]>>();
  for (const observation of observations) {
    if (observation.round > upToRound) continue;
    const cells = byCohort.get(observation.cohort) ?? new Map<string, number[]>();
    cells.set(observation.scenario, [...(cells.get(observation.scenario) ?? []), ...observation.outcomes]);
    byCohort.set(observation.cohort, cells);
  }
  return byCohort;
}

/** Repeats a sampled cell gets in `round` (round 1: initialRepeats). */
export function repeatsInRound(design: Pick<SequentialDesign, 'initialRepeats' | 'repeatsPerRound'>, round: number): number {
  if (round <= 1) return design.initialRepeats;
  const schedule = design.repeatsPerRound;
  if (typeof schedule === 'number') return schedule;
  return schedule[Math.min(round - 2, schedule.length - 1)] ?? 1;
}

/**
 * Round sizes for a cap of `maxRepeats` per cell: cumulative repeats double from `initialRepeats`
 * (4, 8, 16, 32, …) and the last round ends at the cap; a last step at most half the step before
 * it is merged into that step (4, 8, 10 becomes 4, 10), since a small round costs a look's alpha.
 */
export function doublingSchedule(initialRepeats: number, maxRepeats: number): { repeatsPerRound: number[]; maxRounds: number } {
  if (!(Number.isInteger(initialRepeats) && Number.isInteger(maxRepeats) && initialRepeats >= 1 && maxRepeats >= initialRepeats)) {
    throw new RangeError(`doublingSchedule: need whole numbers 1 ≤ initialRepeats ≤ maxRepeats, got ${initialRepeats} and ${maxRepeats}`);
  }
  const cumulative = [initialRepeats];
  for (let last = initialRepeats; last < maxRepeats; last = cumulative.at(-1) ?? maxRepeats) {
    const next = Math.min(2 * last, maxRepeats);
    const previousStep = last - (cumulative.at(-2) ?? 0);
    if (next === maxRepeats && cumulative.length > 1 && maxRepeats - last <= previousStep / 2) cumulative[cumulative.length - 1] = maxRepeats;
    else cumulative.push(next);
  }
  const repeatsPerRound = cumulative.slice(1).map((total, index) => total - (cumulative[index] ?? 0));
  return { repeatsPerRound, maxRounds: cumulative.length };
}

/** Cumulative repeats of a cell sampled in every round up to `round`. */
export function cumulativeRepeats(design: Pick<SequentialDesign, 'initialRepeats' | 'repeatsPerRound'>, round: number): number {
  let total = 0;
  for (let index = 1; index <= round; index += 1) total += repeatsInRound(design, index);
  return total;
}

/**
 * Scenarios still worth sampling among `cohorts` (the ones still sampled): a scenario is dropped once
 * each of these cohorts has at least `dropAfterRepeats` outcomes in it and all of them are identical
 * (everyone always passes, or always fails). Swapping two of these cohorts' outcomes within a
 * scenario does not change the answer, so the rule is sign-invariant for every pair it serves.
 */
export function discriminatingScenarios(design: SequentialDesign, observations: readonly Observation[], cohorts: readonly string[] = design.cohorts, upToRound = Infinity): string[] {
  const data = cumulative(observations, upToRound);
  const threshold = design.dropAfterRepeats ?? 8;
  return design.scenarios.filter((scenario) => {
    const perCohort = cohorts.map((cohort) => data.get(cohort)?.get(scenario) ?? []);
    const values = perCohort.flat();
    const settled = perCohort.every((outcomes) => outcomes.length >= threshold) && values.every((value) => value === values[0]);
    return !settled;
  });
}

function compare(data: Map<string, Map<string, number[]>>, design: SequentialDesign, a: string, b: string): PairedDifference {
  return pairedScenarioDifference(design.scenarios.map((scenario) => ({ scenario, a: data.get(a)?.get(scenario) ?? [], b: data.get(b)?.get(scenario) ?? [] })));
}

/** Default: how many standard errors short of the final critical value an optimistic projection must fall to give up on a pair. */
const FUTILITY_MARGIN = 2;

/**
 * Heuristic futility: project the current z to the last round as if all noise were repeat noise
 * (z·√(n_T/n_t), optimistic), and give up when it still falls FUTILITY_MARGIN short of the final
 * look's critical value (conditional power ≲ 2.5% even then). It changes cost and power, never error.
 */
function isFutile(result: PairedDifference, round: number, design: SequentialDesign, familySize: number): boolean {
  if (design.futility === false || result.kind !== 'compared' || round >= design.maxRounds) return result.kind !== 'compared';
  const repeatsNow = cumulativeRepeats(design, round);
  const repeatsFinal = cumulativeRepeats(design, design.maxRounds);
  const projected = (Math.abs(result.effect) / Math.max(result.standardError, 1e-12)) * Math.sqrt(repeatsFinal / repeatsNow);
  const critical = normalQuantile(1 - roundAlpha(design.maxRounds, design) / (2 * familySize));
  return projected < critical - (design.futilityMargin ?? FUTILITY_MARGIN);
}

type Pair = [number, number];

function pairsOf(count: number): Pair[] {
  const pairs: Pair[] = [];
  for (let i = 0; i < count; i += 1) for (let j = i + 1; j < count; j += 1) pairs.push([i, j]);
  return pairs;
}

/** Cohorts that keep being sampled: not closed, with a live, undecided, non-futile pair inside the set (iterated to a fixed point). */
function nextSampled(current: ReadonlySet<string>, closed: ReadonlySet<string>, open: (a: string, b: string) => boolean): Set<string> {
  let sampled = new Set([...current].filter((cohort) => !closed.has(cohort)));
  for (;;) {
    const members = [...sampled];
    const next = new Set(members.filter((a) => members.some((b) => a !== b && open(a, b))));
    if (next.size === sampled.size) return next;
    sampled = next;
  }
}

/** Replays looks 1 … roundsDone and returns the state after the last one. */
export function replayLooks(design: SequentialDesign, observations: readonly Observation[], roundsDone: number): LookStatus {
  const allPairs = pairsOf(design.cohorts.length);
  const decided = new Map<string, PairDecision>();
  const futile = new Map<string, [string, string]>();
  const key = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  const looks: LookRecord[] = [];
  let sampled = new Set(design.cohorts);
  for (let round = 1; round <= roundsDone; round += 1) {
    const data = cumulative(observations, round);
    const results = allPairs.map(([i, j]) => {
      const a = design.cohorts[i] ?? '';
      const b = design.cohorts[j] ?? '';
      const live = sampled.has(a) && sampled.has(b) && !decided.has(key(a, b));
      return { a, b, live, result: live ? compare(data, design, a, b) : undefined };
    });
    const closedBefore = new Set([...decided.values()].map((decision) => decision.worse));
    const family = results.filter(({ a, b }) => decided.has(key(a, b)) || (!closedBefore.has(a) && !closedBefore.has(b)));
    const pValues = family.map(({ a, b, result }) => (decided.has(key(a, b)) ? 0 : result?.kind === 'compared' ? result.pValue : 1));
    const alpha = roundAlpha(round, design);
    const tested = holm(pValues, alpha);
    const decidedBefore = decided.size;
    family.forEach(({ a, b, live, result }, index) => {
      if (!live || result?.kind !== 'compared' || !tested.reject[index] || result.effect === 0) return;
      decided.set(key(a, b), result.effect > 0 ? { better: a, worse: b, round, pValue: result.pValue } : { better: b, worse: a, round, pValue: result.pValue });
    });
    looks.push({ round, alpha, familySize: family.length, decided: decided.size - decidedBefore });
    results.forEach(({ a, b, live, result }) => {
      if (live && result !== undefined && !decided.has(key(a, b)) && isFutile(result, round, design, family.length)) futile.set(key(a, b), [a, b]);
    });
    const closed = new Set([...decided.values()].map((decision) => decision.worse));
    sampled = nextSampled(sampled, closed, (a, b) => !decided.has(key(a, b)) && !futile.has(key(a, b)));
  }
  return summarize(design, observations, { roundsDone, looks, decided, futile, sampled });
}

interface ReplayState {
  roundsDone: number;
  looks: LookRecord[];
  decided: Map<string, PairDecision>;
  futile: Map<string, [string, string]>;
  sampled: Set<string>;
}

function summarize(design: SequentialDesign, observations: readonly Observation[], state: ReplayState): LookStatus {
  const { roundsDone, sampled } = state;
  const decisions = [...state.decided.values()];
  let alphaSpent = 0;
  for (let round = 1; round <= roundsDone; round += 1) alphaSpent += roundAlpha(round, design);
  return {
    roundsDone,
    alphaSpent,
    decisions,
    looks: state.looks,
    closed: design.cohorts.filter((cohort) => decisions.some((decision) => decision.worse === cohort)),
    sampled: design.cohorts.filter((cohort) => sampled.has(cohort)),
    discriminating: discriminatingScenarios(design, observations, [...sampled], roundsDone),
    futilePairs: [...state.futile.values()],
    attempts: observations.filter((observation) => observation.round <= roundsDone).reduce((sum, observation) => sum + observation.outcomes.length, 0),
  };
}
