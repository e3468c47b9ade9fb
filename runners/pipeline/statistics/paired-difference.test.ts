import { describe, expect, it } from 'vitest';
import { legacyPairedP } from '../../bench/support/legacy.ts';
import { pairedScenarioDifference, singleScenarioMcNemar, type ScenarioPair } from './paired-difference.ts';
import { mulberry32 } from './random.ts';
import { signFlipTest } from './sign-flip.ts';
import { simulateDifferenceCoverage } from '../../bench/support/simulate.ts';

const ones = (n: number): number[] => Array<number>(n).fill(1);
const zeros = (n: number): number[] => Array<number>(n).fill(0);

/** Brute force over all 2^G sign patterns, as the definition says. */
function bruteForce(diffs: readonly number[]): number {
  const observed = Math.abs(diffs.reduce((sum, diff) => sum + diff, 0));
  let hits = 0;
  for (let mask = 0; mask < 2 ** diffs.length; mask += 1) {
    const total = diffs.reduce((sum, diff, index) => sum + ((mask >> index) & 1 ? -diff : diff), 0);
    if (Math.abs(total) >= observed - 1e-9) hits += 1;
  }
  return hits / 2 ** diffs.length;
}

describe('pairedScenarioDifference', () => {
  it('defect: one scenario A 6/6 vs B 0/6 among 10 identical ones is significant today (p = 0.031) but not per scenario', () => {
    const pairs: ScenarioPair[] = Array.from({ length: 10 }, (_, g) => (g === 0 ? { scenario: 's0', a: ones(6), b: zeros(6) } : { scenario: `s${g}`, a: [1, 0, 1, 1, 0, 1], b: [1, 0, 1, 1, 0, 1] }));
    const legacy = legacyPairedP({ id: 'A', cells: new Map(pairs.map((p) => [p.scenario, p.a])) }, { id: 'B', cells: new Map(pairs.map((p) => [p.scenario, p.b])) });
    expect(legacy.pValue).toBeCloseTo(0.03125, 10);
    const result = pairedScenarioDifference(pairs);
    expect(result.kind).toBe('compared');
    if (result.kind !== 'compared') return;
    expect(result.pValue).toBe(1);
    expect(result.effect).toBeCloseTo(0.1, 12);
    expect([result.aBetter, result.bBetter, result.ties]).toEqual([1, 0, 9]);
    expect(result.interval.low).toBeLessThan(0);
  });
  it('exact lattice p-value equals brute-force enumeration, for balanced and unbalanced repeats', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 40; trial += 1) {
      const pairs = Array.from({ length: 3 + (trial % 9) }, (_, g) => ({
        scenario: `s${g}`,
        a: Array.from({ length: 1 + ((g + trial) % 4) }, () => (random() < 0.6 ? 1 : 0)),
        b: Array.from({ length: 1 + ((g * trial) % 5) }, () => (random() < 0.4 ? 1 : 0)),
      }));
      const result = pairedScenarioDifference(pairs);
      if (result.kind !== 'compared') throw new Error('expected compared');
      expect(result.test.method.kind).toBe('exact-lattice');
      expect(result.pValue).toBeCloseTo(bruteForce(result.perScenario.map((entry) => entry.difference)), 12);
    }
  });
  it('all scenarios one way: p = 2/2^G (exact), so G ≤ 5 can never reach 0.05', () => {
    const make = (g: number): ScenarioPair[] => Array.from({ length: g }, (_, index) => ({ scenario: `s${index}`, a: [1, 1], b: [0, 0] }));
    const five = pairedScenarioDifference(make(5));
    const eight = pairedScenarioDifference(make(8));
    expect(five.kind === 'compared' && five.pValue).toBe(0.0625);
    expect(eight.kind === 'compared' && eight.pValue).toBeCloseTo(2 / 256, 15);
  });
  it('is antisymmetric in A and B with p in [0, 1]', () => {
    const random = mulberry32(3);
    const pairs = Array.from({ length: 12 }, (_, g) => ({ scenario: `s${g}`, a: [random() < 0.7 ? 1 : 0, random() < 0.7 ? 1 : 0], b: [random() < 0.4 ? 1 : 0, 0] }));
    const forward = pairedScenarioDifference(pairs);
    const backward = pairedScenarioDifference(pairs.map((pair) => ({ scenario: pair.scenario, a: pair.b, b: pair.a })));
    if (forward.kind !== 'compared' || backward.kind !== 'compared') throw new Error('expected compared');
    expect(forward.pValue).toBe(backward.pValue);
    expect(forward.effect).toBeCloseTo(-backward.effect, 15);
    expect(forward.interval.low).toBeCloseTo(-backward.interval.high, 12);
    expect(forward.pValue >= 0 && forward.pValue <= 1).toBe(true);
  });
  it('leaves out scenarios missing on one side; none shared → no-shared-scenarios; G = 1 → interval [−1, 1], p = 1', () => {
    expect(pairedScenarioDifference([{ scenario: 's', a: [1], b: [] }]).kind).toBe('no-shared-scenarios');
    const single = pairedScenarioDifference([{ scenario: 's', a: ones(9), b: zeros(9) }, { scenario: 't', a: [], b: [1] }]);
    expect(single.kind === 'compared' && single.scenarios === 1 && single.pValue === 1 && single.interval.low === -1).toBe(true);
  });
  it('rejects outcomes outside [0, 1]', () => {
    expect(() => pairedScenarioDifference([{ scenario: 's', a: [2], b: [0] }])).toThrow(RangeError);
  });
  it('seeded simulation: the interval covers the population difference ≥ 0.93 of the time', () => {
    const result = simulateDifferenceCoverage({ scenarios: 12, repeats: 3, shifts: [0, 0.8], interactionSd: 0.5 }, 1500, 5);
    expect(result.newMethod).toBeGreaterThanOrEqual(0.93);
  });
});

describe('signFlipTest methods', () => {
  it('non-lattice differences: exact enumeration up to G = 22 (matches brute force), Monte Carlo beyond', () => {
    const random = mulberry32(9);
    const diffs = Array.from({ length: 10 }, () => random() - 0.3);
    const exact = signFlipTest(diffs, { denominators: [1] });
    expect(exact.method.kind).toBe('exact-enumeration');
    expect(exact.pValue).toBeCloseTo(bruteForce(diffs), 12);
    const many = Array.from({ length: 30 }, () => random() - 0.45);
    const mc = signFlipTest(many, { monteCarloSamples: 20_000, seed: 1 });
    expect(mc.method.kind).toBe('monte-carlo');
    if (mc.method.kind === 'monte-carlo') expect(mc.method.standardError).toBeLessThan(0.004);
    expect(signFlipTest(many, { monteCarloSamples: 20_000, seed: 1 }).pValue).toBe(mc.pValue); // seeded
  });
  it('Monte Carlo agrees with the exact lattice p-value within its standard error', () => {
    const random = mulberry32(21);
    for (const shift of [0, 1, 2]) {
      const diffs = Array.from({ length: 30 }, () => (Math.floor(random() * 9) - 4 + shift * (random() < 0.5 ? 1 : 0)) / 7);
      const exact = signFlipTest(diffs, { denominators: [7] });
      const mc = signFlipTest(diffs, { denominators: [1], monteCarloSamples: 50_000, seed: 5 });
      expect(exact.method.kind).toBe('exact-lattice');
      expect(mc.method.kind).toBe('monte-carlo');
      const standardError = Math.sqrt((exact.pValue * (1 - exact.pValue)) / 50_000) + 1 / 50_000;
      expect(Math.abs(mc.pValue - exact.pValue)).toBeLessThan(4 * standardError);
    }
  });
  it('zero differences only: p = 1', () => {
    expect(signFlipTest([0, 0, 0]).pValue).toBe(1);
  });
});

describe('singleScenarioMcNemar', () => {
  it('pairs repeats by index within one scenario', () => {
    const result = singleScenarioMcNemar([1, 1, 1, 1, 1, 1, 0], [0, 0, 0, 0, 0, 0, 0]);
    expect(result).toMatchObject({ onlyA: 6, onlyB: 0 });
    expect(result.pValue).toBeCloseTo(0.03125, 12);
    expect(() => singleScenarioMcNemar([1], [1, 0])).toThrow(RangeError);
  });
});
