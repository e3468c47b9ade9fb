import { describe, expect, it } from 'vitest';
import { mcnemarExact, passAtK, passHatK, wilsonInterval } from './binary.ts';
import { logBinomial } from './distributions.ts';
import { median } from './descriptive.ts';

describe('wilsonInterval', () => {
  it('matches published values', () => {
    // Newcombe (1998), table I: 15/148 → 0.0624–0.1605; 0/20 → 0–0.1611; 81/263 → 0.2553–0.3662.
    const a = wilsonInterval(15, 148);
    expect(a.low).toBeCloseTo(0.0624, 4);
    expect(a.high).toBeCloseTo(0.1605, 4);
    const b = wilsonInterval(0, 20);
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.1611, 4);
    const c = wilsonInterval(81, 263);
    expect(c.low).toBeCloseTo(0.2553, 4);
    expect(c.high).toBeCloseTo(0.3662, 4);
  });

  it('is the whole range with no trials, and never leaves [0, 1]', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    const all = wilsonInterval(10, 10);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(0.7225, 4);
  });
});

describe('pass@k and pass^k', () => {
  it('agree with direct computation', () => {
    expect(Math.exp(logBinomial(10, 3))).toBeCloseTo(120, 9);
    // n=5, c=2: pass@1 = 0.4, pass@2 = 1 - C(3,2)/C(5,2) = 0.7; pass^2 = C(2,2)/C(5,2) = 0.1.
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
    expect(passHatK(5, 2, 2)).toBeCloseTo(0.1, 12);
    expect(passHatK(5, 2, 3)).toBe(0);
  });

  it('pass@k is 1 when fewer than k attempts failed; both undefined when k > n', () => {
    expect(passAtK(4, 3, 2)).toBe(1);
    expect(passAtK(2, 1, 3)).toBeUndefined();
    expect(passHatK(2, 1, 3)).toBeUndefined();
  });

  it('pass^1 equals pass@1 equals the pass rate', () => {
    expect(passHatK(8, 6, 1)).toBeCloseTo(0.75, 12);
    expect(passAtK(8, 6, 1)).toBeCloseTo(0.75, 12);
  });
});

describe('mcnemarExact', () => {
  it('matches the exact binomial test', () => {
    // 10 discordant pairs split 9/1: two-sided p = 2 * (1 + 10) / 1024 = 0.021484375.
    expect(mcnemarExact(9, 1).pValue).toBeCloseTo(0.021484375, 12);
    // 6/0: p = 2 / 64 = 0.03125.
    expect(mcnemarExact(0, 6).pValue).toBeCloseTo(0.03125, 12);
  });

  it('finds no difference where there is none', () => {
    expect(mcnemarExact(0, 0).pValue).toBe(1);
    expect(mcnemarExact(5, 5).pValue).toBe(1);
    expect(mcnemarExact(3, 1).pValue).toBeCloseTo(0.625, 12);
  });
});

describe('median', () => {
  it('handles odd, even and empty lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});
