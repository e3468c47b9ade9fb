import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './binary.ts';
import { clusteredRate } from './clustered-rate.ts';
import { simulateRateCoverage } from '../../bench/support/simulate.ts';

describe('clusteredRate', () => {
  it('handles no cells and zero-trial cells', () => {
    expect(clusteredRate([])).toEqual({ kind: 'empty', scenarios: 0, trials: 0, interval: { low: 0, high: 1 } });
    expect(clusteredRate([{ passes: 0, trials: 0 }]).kind).toBe('empty');
  });
  it('G = 1 says nothing about other scenarios', () => {
    const rate = clusteredRate([{ passes: 3, trials: 5 }, { passes: 0, trials: 0 }]);
    expect(rate.kind).toBe('single-scenario');
    if (rate.kind !== 'single-scenario') return;
    expect(rate.interval).toEqual({ low: 0, high: 1 });
    expect(rate.withinScenarioInterval.low).toBeCloseTo(wilsonInterval(3, 5).low, 12);
    expect(rate.withinScenarioInterval.high).toBeCloseTo(wilsonInterval(3, 5).high, 12);
  });
  it('all-pass and all-fail give one-sided intervals touching 1 and 0', () => {
    const allPass = clusteredRate(Array.from({ length: 10 }, () => ({ passes: 3, trials: 3 })));
    const allFail = clusteredRate(Array.from({ length: 10 }, () => ({ passes: 0, trials: 3 })));
    expect(allPass.kind === 'clustered' && allPass.rate === 1 && allPass.interval.high === 1 && allPass.interval.low > 0.8).toBe(true);
    expect(allFail.kind === 'clustered' && allFail.rate === 0 && allFail.interval.low === 0 && allFail.interval.high < 0.2).toBe(true);
  });
  it('clustered outcomes (each scenario all-pass or all-fail) get a design effect ≈ R and a wider interval than pooled Wilson', () => {
    const cells = Array.from({ length: 10 }, (_, g) => ({ passes: g < 5 ? 6 : 0, trials: 6 }));
    const rate = clusteredRate(cells);
    expect(rate.kind).toBe('clustered');
    if (rate.kind !== 'clustered') return;
    expect(rate.rate).toBe(0.5);
    expect(rate.designEffect).toBeGreaterThan(5);
    expect(rate.effectiveTrials).toBeLessThan(12);
    const pooled = wilsonInterval(30, 60);
    expect(rate.interval.high - rate.interval.low).toBeGreaterThan(2 * (pooled.high - pooled.low));
  });
  it('weighs scenarios equally whatever their repeats', () => {
    const rate = clusteredRate([{ passes: 10, trials: 10 }, { passes: 0, trials: 1 }]);
    expect(rate.kind === 'clustered' && rate.rate === 0.5 && Math.abs(rate.pooledRate - 10 / 11) < 1e-12).toBe(true);
  });
  it('keeps every bound inside [0, 1] and the estimate inside its interval', () => {
    for (let g = 2; g <= 12; g += 1) {
      const cells = Array.from({ length: g }, (_, index) => ({ passes: (index * 7) % 4, trials: 3 + (index % 2) }));
      const rate = clusteredRate(cells);
      if (rate.kind !== 'clustered') throw new Error('expected clustered');
      expect(rate.interval.low >= 0 && rate.interval.high <= 1 && rate.interval.low <= rate.rate && rate.rate <= rate.interval.high).toBe(true);
    }
  });
  it('rejects impossible cells', () => {
    expect(() => clusteredRate([{ passes: 4, trials: 3 }])).toThrow(RangeError);
  });
  it('seeded simulation: coverage ≥ 0.93 under heterogeneous difficulty, where pooled Wilson under-covers', () => {
    const result = simulateRateCoverage({ scenarios: 12, repeats: 4, shifts: [0.5] }, 1500, 11);
    expect(result.newMethod).toBeGreaterThanOrEqual(0.93);
    expect(result.oldMethod).toBeLessThan(0.9);
  });
});
