/**
 * A small seeded PRNG for reproducible simulations and Monte Carlo p-values: mulberry32
 * (Tommy Ettinger, public domain), 32-bit state, period 2^32 — ample for the simulation sizes here.
 */

export type Random = () => number;

/** Uniform [0, 1) generator from a 32-bit seed (mulberry32). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box–Muller; one of the pair is discarded for simplicity). */
export function normalDraw(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** n Bernoulli(p) outcomes as 0/1. */
export function bernoulliDraws(random: Random, p: number, n: number): number[] {
  const outcomes: number[] = [];
  for (let index = 0; index < n; index += 1) outcomes.push(random() < p ? 1 : 0);
  return outcomes;
}
