import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../pipeline/statistics/random.ts';
import { drawProbabilities, populationRate, repeatsForPower, shiftForRate, simulateFwer } from './simulate.ts';

describe('simulation helpers', () => {
  it('populationRate integrates expit over N(μ, σ²): symmetric about 0.5, and shiftForRate inverts it', () => {
    expect(populationRate(0, 1.5)).toBeCloseTo(0.5, 12);
    expect(populationRate(1, 1.5) + populationRate(-1, 1.5)).toBeCloseTo(1, 12);
    expect(populationRate(shiftForRate(0.65, 1.5), 1.5)).toBeCloseTo(0.65, 10);
    expect(populationRate(2, 0)).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
  });
  it('the PRNG is seeded: same seed, same world', () => {
    const world = { scenarios: 5, repeats: 2, shifts: [0, 1] };
    expect(drawProbabilities(mulberry32(5), world)).toEqual(drawProbabilities(mulberry32(5), world));
  });
  it('repeatsForPower interpolates on the monotone envelope', () => {
    const curve = [{ repeats: 4, power: 0.5 }, { repeats: 8, power: 0.7 }, { repeats: 12, power: 0.68 }, { repeats: 16, power: 0.9 }];
    expect(repeatsForPower(curve, 0.6)).toBeCloseTo(6, 12);
    expect(repeatsForPower(curve, 0.8)).toBeCloseTo(12 + (0.1 / 0.2) * 4, 12);
    expect(repeatsForPower(curve, 0.95)).toBeUndefined();
  });
  it('seeded FWER simulation: identical configs, K = 5, stays ≤ 0.05 with the Holm family', () => {
    expect(simulateFwer({ scenarios: 20, repeats: 3, shifts: [0, 0, 0, 0, 0] }, 300, 31).newMethod).toBeLessThanOrEqual(0.05);
  });
});
