import { describe, expect, it } from 'vitest';
import { DEFAULT_POWER_PARAMETERS, detectableGap, estimatePowerParameters, noiseFloor, repeatsNeeded, scenariosNeeded } from './power.ts';
import { bernoulliDraws, mulberry32, normalDraw } from './random.ts';
import { studentTQuantile } from './distributions.ts';

describe('detectableGap', () => {
  it('follows (t_{1−α/2m} + t_{power}) · √((τ² + 2σ²/R)/G)', () => {
    const result = detectableGap({ scenarios: 20, repeats: 5, familySize: 1 }, { betweenScenarioSd: 0.1, withinVariance: 0.2 });
    const expected = (studentTQuantile(0.975, 19) + studentTQuantile(0.8, 19)) * Math.sqrt((0.01 + 0.4 / 5) / 20);
    expect(result.kind === 'detectable' && result.gap).toBeCloseTo(expected, 12);
  });
  it('shrinks with scenarios and repeats, grows with the family', () => {
    const gap = (scenarios: number, repeats: number, familySize: number): number => {
      const result = detectableGap({ scenarios, repeats, familySize });
      return result.kind === 'detectable' ? result.gap : Infinity;
    };
    expect(gap(20, 3, 1)).toBeGreaterThan(gap(40, 3, 1));
    expect(gap(20, 3, 1)).toBeGreaterThan(gap(20, 10, 1));
    expect(gap(20, 3, 45)).toBeGreaterThan(gap(20, 3, 1));
  });
  it('too few scenarios for the family: not detectable at all (sign-flip minimum p)', () => {
    const result = detectableGap({ scenarios: 5, repeats: 10, familySize: 1 });
    expect(result.kind).toBe('not-detectable');
    expect(detectableGap({ scenarios: 10, repeats: 3, familySize: 45 }).kind).toBe('not-detectable'); // 2^-9 > 0.05/45
  });
  it('the old "noise floor" understates what is needed', () => {
    const result = detectableGap({ scenarios: 10, repeats: 6, familySize: 1 });
    expect(noiseFloor(60, 0.05)).toBeCloseTo(6 / 60, 12); // 6 one-way discordant pairs: p = 2/64
    expect(result.kind === 'detectable' && result.noiseFloor !== undefined && result.gap > 2 * result.noiseFloor).toBe(true);
  });
});

describe('repeatsNeeded and scenariosNeeded', () => {
  it('solves R ≥ 2σ² / (G(gap/q)² − τ²)', () => {
    const needed = repeatsNeeded(0.15, { scenarios: 20, familySize: 1 }, { betweenScenarioSd: 0.1, withinVariance: 0.2 });
    expect(needed.kind).toBe('repeats');
    if (needed.kind !== 'repeats') return;
    const check = (repeats: number): number => {
      const result = detectableGap({ scenarios: 20, repeats, familySize: 1 }, { betweenScenarioSd: 0.1, withinVariance: 0.2 });
      return result.kind === 'detectable' ? result.gap : Infinity;
    };
    expect(check(needed.repeats)).toBeLessThanOrEqual(0.15);
    expect(check(needed.repeats - 1)).toBeGreaterThan(0.15);
  });
  it('says "not reachable by repeats alone: add scenarios" when the between-scenario spread dominates', () => {
    const needed = repeatsNeeded(0.1, { scenarios: 10, familySize: 1 }, { betweenScenarioSd: 0.2, withinVariance: 0.2 });
    expect(needed.kind).toBe('not-reachable-by-repeats');
    if (needed.kind !== 'not-reachable-by-repeats') return;
    expect(needed.reason).toContain('add scenarios');
    expect(needed.scenariosNeeded).toBe(scenariosNeeded(0.1, { repeats: 5, familySize: 1 }, { betweenScenarioSd: 0.2, withinVariance: 0.2 }));
    expect(needed.scenariosNeeded ?? 0).toBeGreaterThan(10);
  });
});

describe('estimatePowerParameters', () => {
  it('recovers τ and σ² from simulated paired data', () => {
    const random = mulberry32(12);
    const pairs = Array.from({ length: 400 }, (_, g) => {
      const p = 0.2 + 0.6 * random();
      const gap = 0.1 + 0.1 * normalDraw(random);
      return { scenario: `s${g}`, a: bernoulliDraws(random, Math.min(1, Math.max(0, p + gap)), 8), b: bernoulliDraws(random, p, 8) };
    });
    const estimate = estimatePowerParameters(pairs);
    expect(estimate.kind).toBe('estimated');
    if (estimate.kind !== 'estimated') return;
    expect(estimate.betweenScenarioSd).toBeGreaterThan(0.05);
    expect(estimate.betweenScenarioSd).toBeLessThan(0.15);
    expect(estimate.withinVariance).toBeGreaterThan(0.15);
    expect(estimate.withinVariance).toBeLessThan(0.25);
  });
  it('needs enough data', () => {
    expect(estimatePowerParameters([{ scenario: 's', a: [1, 0], b: [0, 0] }]).kind).toBe('insufficient');
    expect(DEFAULT_POWER_PARAMETERS.withinVariance).toBeCloseTo(0.177, 3);
  });
});
