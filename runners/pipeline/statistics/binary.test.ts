import { describe, expect, it } from 'vitest';
import { mcnemarExact, passAtK, passHatK, wilsonInterval } from './binary.ts';
import { legacyMcnemar, legacyPassAtK } from '../../bench/support/legacy.ts';

function near(actual: number | undefined, expected: number, relative = 1e-12): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

describe('wilsonInterval', () => {
  // scipy.stats.binomtest(k, n).proportion_ci(0.95, method='wilson'), SciPy 1.17.1
  it.each([
    [7, 10, 0.39677814746114526, 0.892208732593699],
    [0, 20, 0, 0.16112515805281935],
    [95, 100, 0.8882495307680809, 0.978456320845632],
    [1, 3, 0.06149194472039626, 0.7923403991979523],
  ])('%d/%d', (passes, trials, low, high) => {
    const interval = wilsonInterval(passes, trials);
    near(interval.low, low, 1e-12);
    near(interval.high, high, 1e-12);
  });
  it('touches 1 exactly when all pass and is [0, 1] with no trials', () => {
    expect(wilsonInterval(12, 12).high).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('passAtK and passHatK', () => {
  it('match exact rational values (mpmath, 30 digits)', () => {
    near(passAtK(2000, 10, 100), 0.40197398173680804, 1e-13);
    near(passAtK(100_000, 3, 1000), 0.02970129403488079, 1e-12);
    near(passHatK(2000, 1900, 50), 0.07446261555189719, 1e-12);
    near(passAtK(5, 2, 2), 0.7, 1e-15); // 1 − C(3,2)/C(5,2)
  });
  it('defect: today’s float binomials give NaN for n ≳ 1030; the new ones stay finite', () => {
    expect(legacyPassAtK(1100, 50, 550)).toBeNaN();
    near(passAtK(1100, 50, 550), 1, 1e-12);
    const value = passHatK(5000, 4000, 2500) ?? Number.NaN;
    expect(Number.isFinite(value) && value >= 0 && value <= 1).toBe(true);
  });
  it('is undefined for k > n, 1 when fewer than k failures, 0 when fewer than k passes', () => {
    expect(passAtK(3, 1, 4)).toBeUndefined();
    expect(passAtK(10, 8, 3)).toBe(1);
    expect(passHatK(10, 2, 3)).toBe(0);
  });
  it('pass@k rises and pass^k falls with k, both in [0, 1]', () => {
    for (let k = 2; k <= 30; k += 1) {
      expect(passAtK(30, 9, k) ?? 0).toBeGreaterThanOrEqual(passAtK(30, 9, k - 1) ?? 1);
      expect(passHatK(30, 21, k) ?? 1).toBeLessThanOrEqual(passHatK(30, 21, k - 1) ?? 0);
    }
  });
});

describe('mcnemarExact', () => {
  it('defect: NaN at ≥ 1024 discordant pairs today; ≈ 0.0028 now', () => {
    expect(legacyMcnemar(600, 500)).toBeNaN();
    near(mcnemarExact(600, 500).pValue, 0.0028195449914364284, 1e-10); // scipy.stats.binomtest(500, 1100).pvalue
  });
  it('matches binomtest for small and very large counts', () => {
    near(mcnemarExact(6, 0).pValue, 0.03125, 1e-13);
    near(mcnemarExact(10, 3).pValue, 0.09228515625, 1e-13);
    near(mcnemarExact(100_000, 99_000).pValue, 0.025127217688360817, 1e-8);
  });
  it('is symmetric, 1 with no discordant pairs or a tie, and in [0, 1]', () => {
    expect(mcnemarExact(0, 0).pValue).toBe(1);
    expect(mcnemarExact(50, 50).pValue).toBe(1);
    for (let a = 0; a <= 25; a += 1) {
      for (let b = 0; b <= 25; b += 1) {
        const p = mcnemarExact(a, b).pValue;
        expect(p).toBe(mcnemarExact(b, a).pValue);
        expect(p >= 0 && p <= 1).toBe(true);
        if (a > b) expect(mcnemarExact(a + 1, b).pValue).toBeLessThanOrEqual(p); // monotone in the imbalance
      }
    }
  });
});
