/**
 * The one seeded generator (mulberry32) of tests and benchmarks: a seed always gives the same
 * sequence, so a random schedule can be replayed. It lives with the benchmarks, which may not
 * import test code; tests take it from here.
 */
export { createRandom, type Random } from '../../bench/support/random.ts';
