import { describe, expect, it } from 'vitest';
import { gradedDifference, gradedRate } from './graded-score.ts';
import { mulberry32 } from './random.ts';
import { decideScorecard } from './verdicts.ts';

describe('graded scores in [0, 1]', () => {
  it('clustered rate: mean of per-scenario mean scores, interval inside [0, 1]', () => {
    const rate = gradedRate([
      { scenario: 'a', scores: [0.5, 0.7] },
      { scenario: 'b', scores: [0.9] },
      { scenario: 'c', scores: [0.2, 0.4, 0.3] },
    ]);
    expect(rate.kind).toBe('clustered');
    if (rate.kind !== 'clustered') return;
    expect(rate.rate).toBeCloseTo((0.6 + 0.9 + 0.3) / 3, 12);
    expect(rate.interval.low).toBeGreaterThanOrEqual(0);
    expect(rate.interval.high).toBeLessThanOrEqual(1);
    expect(rate.interval.low).toBeLessThan(rate.rate);
  });
  it('paired difference: lattice scores are tested exactly, arbitrary scores by enumeration', () => {
    const quarters = gradedDifference(Array.from({ length: 8 }, (_, g) => ({ scenario: `s${g}`, a: [0.75, 1], b: [0.25, 0.5] })));
    expect(quarters.kind === 'compared' && quarters.test.method.kind).toBe('exact-lattice');
    expect(quarters.kind === 'compared' && quarters.pValue).toBeCloseTo(2 / 256, 15);
    const random = mulberry32(4);
    const arbitrary = gradedDifference(Array.from({ length: 12 }, (_, g) => ({ scenario: `s${g}`, a: [Math.sqrt(random()), random()], b: [random() * 0.9] })));
    expect(arbitrary.kind === 'compared' && arbitrary.test.method.kind).toBe('exact-enumeration');
    expect(arbitrary.kind === 'compared' && arbitrary.pValue >= 0 && arbitrary.pValue <= 1).toBe(true);
  });
  it('the scorecard accepts graded outcomes', () => {
    const card = decideScorecard([
      { id: 'high', cells: Array.from({ length: 10 }, (_, g) => ({ scenario: `s${g}`, outcomes: [0.9, 0.8, 0.95] })) },
      { id: 'low', cells: Array.from({ length: 10 }, (_, g) => ({ scenario: `s${g}`, outcomes: [0.3, 0.2, 0.25] })) },
    ]);
    expect(card.best).toBe('high');
  });
  it('rejects scores outside [0, 1]', () => {
    expect(() => gradedRate([{ scenario: 'a', scores: [1.2] }])).toThrow(RangeError);
  });
});
