import { describe, expect, it } from 'vitest';
import { binomialCdf, binomialLogCdf, logBinomial, logGamma, normalCdf, normalQuantile, regularizedBeta, studentTCdf, studentTQuantile } from './distributions.ts';

/** Relative closeness. */
function near(actual: number, expected: number, relative = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

// Reference values: SciPy 1.17.1 (scipy.special.gammaln, scipy.stats.t / norm / binom, scipy.special.betainc),
// which agree with R 4.x lgamma / pt / qt / pnorm / qnorm / pbinom to the digits shown.
describe('logGamma', () => {
  it.each([
    [0.5, 0.5723649429247], // ln √π
    [1e-3, 6.907178885383853],
    [3.7, 1.428072326665388],
    [10, 12.801827480081469], // ln 9!
    [100, 359.1342053695754],
    [1e6, 12815504.569147611],
  ])('lgamma(%d)', (x, expected) => near(logGamma(x), expected, 1e-13));
  it('is 0 at 1 and 2 and rejects x ≤ 0', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-14);
    expect(() => logGamma(0)).toThrow(RangeError);
  });
});

describe('logBinomial and the binomial tail', () => {
  it('matches log C(n, k) far beyond float overflow', () => {
    near(logBinomial(1100, 500), 754.186757845747, 1e-13); // mpmath log(binomial(1100, 500))
    near(logBinomial(1e6, 3e5), 610857.2556846419, 1e-13);
    expect(logBinomial(5, 7)).toBe(-Infinity);
  });
  it('matches pbinom', () => {
    near(2 * binomialCdf(500, 1100, 0.5), 0.0028195449914364284, 1e-11); // 2*pbinom(500, 1100, .5)
    near(binomialCdf(3, 10, 0.3), 0.6496107184000002, 1e-12);
    near(1 - binomialCdf(59, 100, 0.5), 0.028443966820490444, 1e-11);
    near(binomialLogCdf(0, 2000, 0.5), -2000 * Math.log(2), 1e-14); // underflows in linear space
  });
  it('is a CDF: monotone in k, 0 below, 1 at n', () => {
    let previous = 0;
    for (let k = 0; k <= 40; k += 1) {
      const value = binomialCdf(k, 40, 0.37);
      expect(value).toBeGreaterThanOrEqual(previous - 1e-15);
      previous = value;
    }
    expect(binomialCdf(-1, 40, 0.3)).toBe(0);
    expect(binomialCdf(40, 40, 0.3)).toBe(1);
  });
});

describe('regularized incomplete beta', () => {
  it('matches scipy.special.betainc', () => {
    near(regularizedBeta(0.4, 2.5, 3.5), 0.4869041915261176, 1e-12);
    near(regularizedBeta(0.1, 0.5, 0.5), 0.20483276469913345, 1e-12); // = (2/π) asin √0.1
    near(regularizedBeta(0.45, 50, 60), 0.4642352914306031, 1e-11);
  });
});

describe('Student t', () => {
  it('CDF matches pt', () => {
    near(studentTCdf(2, 5), 0.9490302605850708);
    near(studentTCdf(-3, 2), 0.04773298313335456);
    near(studentTCdf(1.5, 30), 0.927967035435677);
    near(studentTCdf(0.3, 1), 0.5927735790777423); // Cauchy: ½ + atan(0.3)/π
  });
  it.each([
    [1, 12.706204736174694],
    [2, 4.302652729749462],
    [5, 2.5705818356363146],
    [9, 2.262157162798205],
    [19, 2.0930240544083087],
    [100, 1.9839715185235518],
  ])('qt(0.975, %d)', (df, expected) => near(studentTQuantile(0.975, df), expected, 1e-11));
  it('quantile inverts the CDF and is odd', () => {
    near(studentTQuantile(0.8, 19), 0.8609505502689286, 1e-11);
    near(studentTQuantile(0.999, 3), 10.214531852407383, 1e-11);
    near(studentTQuantile(0.025, 7), -studentTQuantile(0.975, 7), 1e-15);
    near(studentTCdf(studentTQuantile(0.9, 4), 4), 0.9, 1e-13);
  });
});

describe('normal', () => {
  it('CDF matches pnorm, including the far tail', () => {
    near(normalCdf(1.96), 0.9750021048517795);
    near(normalCdf(0.5), 0.6914624612740131);
    near(normalCdf(-5) / 2.866515718791933e-7, 1, 1e-12);
    near(normalCdf(-10) / 7.61985302416047e-24, 1, 1e-12);
  });
  it('quantile matches qnorm', () => {
    near(normalQuantile(0.975), 1.959963984540054, 1e-14);
    near(normalQuantile(0.8), 0.8416212335729143, 1e-13);
    near(normalQuantile(0.3), -0.5244005127080409, 1e-13);
    near(normalQuantile(1e-10), -6.361340902404056, 1e-13);
    expect(normalQuantile(0.5)).toBe(0);
  });
});
