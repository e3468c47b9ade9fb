/**
 * Seeded synthetic runs with heterogeneous scenario difficulty, and the simulations that check the
 * engine's error rates, coverage, power and the adaptive design's cost.
 *
 * World: scenario logit θ_g ~ N(0, σ²) (σ = 1.5 by default), cohort c adds a shift μ_c and, when
 * asked, a scenario × cohort interaction u_cg ~ N(0, τ²); p_cg = expit(θ_g + μ_c + u_cg), and each
 * repeat is an independent Bernoulli(p_cg) given p_cg. Targets are population quantities over
 * scenarios (the unit that generalizes): rate_c = E[expit(θ + μ_c + u)].
 */
import type { Interval } from '../../pipeline/statistics/binary.ts';
import { clusteredRate } from '../../pipeline/statistics/clustered-rate.ts';
import { legacyPairedP, legacyRateInterval, legacyVerdicts, type LegacyCohort } from './legacy.ts';
import { pairedScenarioDifference } from '../../pipeline/statistics/paired-difference.ts';
import { bernoulliDraws, mulberry32, normalDraw, type Random } from '../../pipeline/statistics/random.ts';
import { decideScorecard } from '../../pipeline/statistics/verdicts.ts';
import type { CohortResults } from '../../pipeline/statistics/verdict-types.ts';

export interface World {
  scenarios: number;
  repeats: number;
  /** Logit shift per cohort (its length is K). */
  shifts: readonly number[];
  logitSd?: number;
  interactionSd?: number;
}

const expit = (x: number): number => 1 / (1 + Math.exp(-x));

/** E[expit(Z)] for Z ~ N(mean, sd²), by the trapezoid rule on ±10 SD (error ≪ 1e-8). */
export function populationRate(mean: number, sd: number): number {
  if (sd === 0) return expit(mean);
  const steps = 4000;
  let total = 0;
  for (let index = 0; index <= steps; index += 1) {
    const z = -10 + (20 * index) / steps;
    const weight = index === 0 || index === steps ? 0.5 : 1;
    total += weight * Math.exp(-0.5 * z * z) * expit(mean + sd * z);
  }
  return (total * (20 / steps)) / Math.sqrt(2 * Math.PI);
}

/** The logit shift whose population rate is `target` (bisection). */
export function shiftForRate(target: number, sd: number): number {
  let low = -20;
  let high = 20;
  for (let step = 0; step < 80; step += 1) {
    const middle = (low + high) / 2;
    if (populationRate(middle, sd) < target) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** Per cohort × scenario pass probabilities for one synthetic run. */
export function drawProbabilities(random: Random, world: World): number[][] {
  const logits = Array.from({ length: world.scenarios }, () => (world.logitSd ?? 1.5) * normalDraw(random));
  return world.shifts.map((shift) => logits.map((theta) => expit(theta + shift + (world.interactionSd ?? 0) * normalDraw(random))));
}

/** Outcomes (cohort × scenario × repeat) with `repeats` draws per cell. */
export function drawOutcomes(random: Random, probabilities: readonly (readonly number[])[], repeats: number): number[][][] {
  return probabilities.map((row) => row.map((p) => bernoulliDraws(random, p, repeats)));
}

export function toCohortResults(outcomes: readonly (readonly (readonly number[])[])[]): CohortResults[] {
  return outcomes.map((row, c) => ({ id: `c${c}`, cells: row.map((values, g) => ({ scenario: `s${g}`, outcomes: values })) }));
}

export function toLegacy(outcomes: readonly (readonly (readonly number[])[])[]): LegacyCohort[] {
  return outcomes.map((row, c) => ({ id: `c${c}`, cells: new Map(row.map((values, g) => [`s${g}`, values])) }));
}

export interface Rates {
  newMethod: number;
  oldMethod: number;
}

/** Share of runs with ANY "significantly better/worse" verdict when all K cohorts are identical in mean. */
export function simulateFwer(world: World, trials: number, seed: number): Rates {
  const random = mulberry32(seed);
  let newHits = 0;
  let oldHits = 0;
  for (let trial = 0; trial < trials; trial += 1) {
    const outcomes = drawOutcomes(random, drawProbabilities(random, world), world.repeats);
    const card = decideScorecard(toCohortResults(outcomes));
    if (card.verdicts.some((verdict) => verdict.kind === 'significantly-worse')) newHits += 1;
    if (legacyVerdicts(toLegacy(outcomes)).worse.length > 0) oldHits += 1;
  }
  return { newMethod: newHits / trials, oldMethod: oldHits / trials };
}

const covers = (interval: Interval, target: number): boolean => interval.low <= target && target <= interval.high;

/** Coverage of cohort 0's 95% pass-rate interval for its population rate. */
export function simulateRateCoverage(world: World, trials: number, seed: number): Rates {
  const random = mulberry32(seed);
  const shift = world.shifts[0] ?? 0;
  const target = populationRate(shift, Math.hypot(world.logitSd ?? 1.5, world.interactionSd ?? 0));
  let newHits = 0;
  let oldHits = 0;
  for (let trial = 0; trial < trials; trial += 1) {
    const [row = []] = drawOutcomes(random, drawProbabilities(random, { ...world, shifts: [shift] }), world.repeats);
    const rate = clusteredRate(row.map((values) => ({ passes: values.reduce((s, v) => s + v, 0), trials: values.length })));
    if (covers(rate.interval, target)) newHits += 1;
    if (covers(legacyRateInterval({ id: 'c0', cells: new Map(row.map((values, g) => [`s${g}`, values])) }), target)) oldHits += 1;
  }
  return { newMethod: newHits / trials, oldMethod: oldHits / trials };
}

/** Naive paired Wald interval over pooled (scenario, repeat) pairs — what treating repeats as independent gives. */
function naivePairedInterval(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): Interval {
  const { onlyA, onlyB } = legacyPairedP(toLegacy([a])[0] ?? { id: '', cells: new Map() }, toLegacy([b])[0] ?? { id: '', cells: new Map() });
  const pairs = a.reduce((sum, values) => sum + values.length, 0);
  const effect = (onlyA - onlyB) / pairs;
  const margin = (1.959963984540054 * Math.sqrt(Math.max(0, onlyA + onlyB - (onlyA - onlyB) ** 2 / pairs))) / pairs;
  return { low: effect - margin, high: effect + margin };
}

/** Coverage of the 95% interval of the population difference between cohorts 0 and 1. */
export function simulateDifferenceCoverage(world: World, trials: number, seed: number): Rates {
  const random = mulberry32(seed);
  const sd = Math.hypot(world.logitSd ?? 1.5, world.interactionSd ?? 0);
  const target = populationRate(world.shifts[0] ?? 0, sd) - populationRate(world.shifts[1] ?? 0, sd);
  let newHits = 0;
  let oldHits = 0;
  for (let trial = 0; trial < trials; trial += 1) {
    const [a = [], b = []] = drawOutcomes(random, drawProbabilities(random, world), world.repeats);
    const result = pairedScenarioDifference(a.map((values, g) => ({ scenario: `s${g}`, a: values, b: b[g] ?? [] })));
    if (result.kind === 'compared' && covers(result.interval, target)) newHits += 1;
    if (covers(naivePairedInterval(a, b), target)) oldHits += 1;
  }
  return { newMethod: newHits / trials, oldMethod: oldHits / trials };
}

/** Index of the cohort with the largest shift (the truly best one). */
export function bestIndex(world: World): number {
  return world.shifts.reduce((best, shift, index) => (shift > (world.shifts[best] ?? -Infinity) ? index : best), 0);
}

/**
 * Power of a fixed design: the share of runs whose top group is exactly the truly best cohort (every
 * other cohort significantly worse than some cohort). For K = 2: "the better one is found better".
 */
export function simulatePower(world: World, trials: number, seed: number): Rates {
  const random = mulberry32(seed);
  const best = `c${bestIndex(world)}`;
  let newHits = 0;
  let oldHits = 0;
  for (let trial = 0; trial < trials; trial += 1) {
    const outcomes = drawOutcomes(random, drawProbabilities(random, world), world.repeats);
    if (topGroupIsOnly(outcomes, best)) newHits += 1;
    const legacy = legacyVerdicts(toLegacy(outcomes));
    if (legacy.best === best && legacy.worse.length === world.shifts.length - 1) oldHits += 1;
  }
  return { newMethod: newHits / trials, oldMethod: oldHits / trials };
}

/** True when the scorecard's top group is exactly `best` (every other cohort significantly worse). */
export function topGroupIsOnly(outcomes: readonly (readonly (readonly number[])[])[], best: string): boolean {
  const card = decideScorecard(toCohortResults(outcomes));
  return card.verdicts.every((verdict) => (verdict.cohort === best) !== (verdict.kind === 'significantly-worse'));
}

/**
 * Power of fixed designs (new method) at each R in `repeats`, on common random worlds: trial i uses
 * the same scenario probabilities for every R, which makes the curve smooth in R.
 */
export function fixedPowerCurve(world: Omit<World, 'repeats'>, repeats: readonly number[], trials: number, seed: number): Array<{ repeats: number; power: number }> {
  const best = `c${bestIndex({ ...world, repeats: 0 })}`;
  const random = mulberry32(seed);
  const hits = repeats.map(() => 0);
  for (let trial = 0; trial < trials; trial += 1) {
    const probabilities = drawProbabilities(random, { ...world, repeats: 0 });
    repeats.forEach((count, index) => {
      if (topGroupIsOnly(drawOutcomes(random, probabilities, count), best)) hits[index] = (hits[index] ?? 0) + 1;
    });
  }
  return repeats.map((count, index) => ({ repeats: count, power: (hits[index] ?? 0) / trials }));
}

/** The (fractional) R at which a fixed design reaches `power`, by linear interpolation on the monotone envelope of the curve. */
export function repeatsForPower(curve: ReadonlyArray<{ repeats: number; power: number }>, power: number): number | undefined {
  let envelope = 0;
  let previous: { repeats: number; power: number } | undefined;
  for (const point of curve) {
    envelope = Math.max(envelope, point.power);
    const current = { repeats: point.repeats, power: envelope };
    if (current.power >= power) {
      if (previous === undefined || current.power === previous.power) return current.repeats;
      return previous.repeats + ((power - previous.power) / (current.power - previous.power)) * (current.repeats - previous.repeats);
    }
    previous = current;
  }
  return undefined;
}
