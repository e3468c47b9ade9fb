import { describe, expect, it } from 'vitest';
import { bonferroni, holm } from './multiplicity.ts';
import { simulateFwer } from '../../bench/support/simulate.ts';

describe('holm', () => {
  it('matches R p.adjust(method = "holm")', () => {
    // p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm") = 0.05 0.08 0.09 0.09 0.09
    const result = holm([0.01, 0.02, 0.03, 0.04, 0.05]);
    [0.05, 0.08, 0.09, 0.09, 0.09].forEach((expected, index) => expect(result.adjusted[index]).toBeCloseTo(expected, 14));
    expect(result.reject).toEqual([true, false, false, false, false]);
    // p.adjust(c(0.04, 0.001, 0.03, 0.2), "holm") = 0.09 0.004 0.09 0.2 (input order kept)
    const unordered = holm([0.04, 0.001, 0.03, 0.2]);
    [0.09, 0.004, 0.09, 0.2].forEach((expected, index) => expect(unordered.adjusted[index]).toBeCloseTo(expected, 14));
    expect(unordered.familySize).toBe(4);
  });
  it('adjusted ≥ raw, ≤ Bonferroni, in [0, 1]; empty family is fine', () => {
    const raw = [0.3, 0.001, 0.02, 0.5, 0.04, 0.0004];
    const { adjusted } = holm(raw);
    const bonf = bonferroni(raw);
    raw.forEach((p, index) => {
      expect(adjusted[index] ?? 0).toBeGreaterThanOrEqual(p);
      expect(adjusted[index] ?? 2).toBeLessThanOrEqual(bonf[index] ?? 0);
    });
    expect(holm([]).familySize).toBe(0);
    expect(() => holm([1.5])).toThrow(RangeError);
  });
  it('defect: with K = 10 identical configs today’s verdicts flag "significantly worse" far above 5%; the Holm family does not', () => {
    const result = simulateFwer({ scenarios: 20, repeats: 3, shifts: Array<number>(10).fill(0) }, 300, 21);
    expect(result.oldMethod).toBeGreaterThan(0.3);
    expect(result.newMethod).toBeLessThanOrEqual(0.05);
  });
});
