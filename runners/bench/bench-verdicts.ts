/**
 * Seeded benchmark of the verdict engine against today's method: `npm run bench:verdicts`.
 * World: scenario logits N(0, 1.5²) (heterogeneous difficulty), repeats Bernoulli given the scenario.
 * Prints a Markdown table, then one summary line (the last line).
 */
import { sweepDesigns } from './support/design-sweep.ts';
import { simulateAdaptive, type AdaptiveOutcome } from './support/simulate-adaptive.ts';
import { fixedPowerCurve, repeatsForPower, shiftForRate, simulateDifferenceCoverage, simulateFwer, simulatePower, simulateRateCoverage, type Rates } from './support/simulate.ts';
import { untilDecidedSchema } from '../inputs/config/config-schema.ts';
import { doublingSchedule, type SequentialDesign } from '../pipeline/statistics/sequential.ts';

const SD = 1.5;
const shiftsFor = (rates: readonly number[]): number[] => rates.map((rate) => shiftForRate(rate, SD));
const fmt = (value: number): string => value.toFixed(3);
const rows: string[] = [];
const row = (metric: string, setting: string, result: Rates | { newMethod: number; oldMethod: string }, goal: string): void => {
  const old = typeof result.oldMethod === 'number' ? fmt(result.oldMethod) : result.oldMethod;
  rows.push(`| ${metric} | ${setting} | ${fmt(result.newMethod)} | ${old} | ${goal} |`);
};

// The design `harness run --until-decided` uses by default (the config's untilDecided defaults).
const defaults = untilDecidedSchema.parse({});
const design: Omit<SequentialDesign, 'cohorts' | 'scenarios'> = {
  initialRepeats: defaults.initialRepeats,
  ...doublingSchedule(defaults.initialRepeats, defaults.maxRepeats),
  alpha: defaults.alpha,
  spendingExponent: defaults.spendingExponent,
  dropAfterRepeats: defaults.dropAfterRepeats,
  futilityMargin: defaults.futilityMargin,
};
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

if (process.argv.includes('--designs')) {
  sweepDesigns(design, 600, say);
  process.exit(0);
}

const started = performance.now();
const fwer: Record<number, number> = {};
for (const cohorts of [2, 5, 10]) {
  const result = simulateFwer({ scenarios: 20, repeats: 3, shifts: Array<number>(cohorts).fill(0) }, 4000, 100 + cohorts);
  fwer[cohorts] = result.newMethod;
  row('FWER, identical configs', `K=${cohorts}, 20 scen × 3 rep`, result, '≤ 0.05');
}
row('FWER, equal mean, scenario × config interaction', 'K=2, 10 scen × 6 rep, τ=1.5 logit', simulateFwer({ scenarios: 10, repeats: 6, shifts: [0, 0], interactionSd: 1.5 }, 3000, 201), '≤ 0.05');

const gapShifts = shiftsFor([0.5, 0.65]);
const coverage = [
  simulateRateCoverage({ scenarios: 20, repeats: 3, shifts: [0] }, 4000, 301),
  simulateRateCoverage({ scenarios: 8, repeats: 3, shifts: [shiftForRate(0.8, SD)] }, 4000, 302),
  simulateDifferenceCoverage({ scenarios: 20, repeats: 3, shifts: gapShifts, interactionSd: 0.5 }, 4000, 303),
  simulateDifferenceCoverage({ scenarios: 8, repeats: 3, shifts: gapShifts, interactionSd: 0.5 }, 4000, 304),
];
row('Coverage, 95% pass-rate interval', 'rate 0.50, 20 scen × 3 rep', coverage[0] ?? { newMethod: 0, oldMethod: 0 }, '≥ 0.93');
row('Coverage, 95% pass-rate interval', 'rate 0.80, 8 scen × 3 rep', coverage[1] ?? { newMethod: 0, oldMethod: 0 }, '≥ 0.93');
row('Coverage, 95% paired-difference interval', '0.50 vs 0.65, τ=0.5, 20 scen × 3 rep', coverage[2] ?? { newMethod: 0, oldMethod: 0 }, '≥ 0.93');
row('Coverage, 95% paired-difference interval', '0.50 vs 0.65, τ=0.5, 8 scen × 3 rep', coverage[3] ?? { newMethod: 0, oldMethod: 0 }, '≥ 0.93');
const minCoverage = Math.min(...coverage.map((result) => result.newMethod));

const power = simulatePower({ scenarios: 20, repeats: 5, shifts: gapShifts }, 2000, 401);
row('Power, true 15-point gap', 'K=2, 20 scen × 5 rep, α=0.05', power, 'report');

const designText = 'default design';

function savingRow(label: string, shifts: readonly number[], grid: readonly number[], adaptiveTrials: number, fixedTrials: number, seed: number): number {
  const adaptive: AdaptiveOutcome = simulateAdaptive({ scenarios: 20, shifts }, design, adaptiveTrials, seed);
  const curve = fixedPowerCurve({ scenarios: 20, shifts }, grid, fixedTrials, seed + 1);
  const fixedRepeats = repeatsForPower(curve, adaptive.correct);
  const fixedAttempts = fixedRepeats === undefined ? Number.NaN : fixedRepeats * shifts.length * 20;
  const saving = fixedAttempts / adaptive.meanAttempts;
  const curveText = curve.map((point) => `R=${point.repeats}: ${point.power.toFixed(3)}`).join(', ');
  rows.push(`| Adaptive: power / wrong decisions | ${label} | ${fmt(adaptive.correct)} / ${fmt(adaptive.wrong)} | — | FWER ≤ 0.05 |`);
  rows.push(`| Adaptive: mean attempts (rounds) | ${label} | ${adaptive.meanAttempts.toFixed(0)} (${adaptive.meanRounds.toFixed(2)}) | — | report |`);
  rows.push(`| Fixed design of equal power | ${label}; ${curveText} | R*=${fixedRepeats?.toFixed(1) ?? 'n/a'}, ${fixedAttempts.toFixed(0)} attempts | — | report |`);
  rows.push(`| Saving (fixed / adaptive attempts) | ${label} | ${saving.toFixed(2)}x | — | ≥ 2x |`);
  return saving;
}

savingRow(`K=2, 0.50 vs 0.65, 20 scen, ${designText}`, gapShifts, [6, 8, 10, 12, 14, 16, 20, 24], 2000, 1500, 501);
const scorecardRates = [0.65, 0.5, 0.45, 0.4, 0.35, 0.3, 0.3, 0.25, 0.2, 0.15];
const saving = savingRow(`K=10 scorecard (${scorecardRates.join('/')}), 20 scen, ${designText}`, shiftsFor(scorecardRates), [16, 20, 22, 24, 26, 28, 32, 36], 1500, 1000, 601);

/** Family-wise error of the adaptive design (any wrong decision) under the global null and partial nulls. */
const fwerWorlds: Array<{ label: string; rates: number[]; trials: number; interactionSd?: number }> = [
  { label: 'identical configs, K=10', rates: Array<number>(10).fill(0.5), trials: 600 },
  { label: 'identical configs, K=3', rates: [0.5, 0.5, 0.5], trials: 1000 },
  { label: 'partial null 0.65/0.5/0.5/0.5/0.3, K=5', rates: [0.65, 0.5, 0.5, 0.5, 0.3], trials: 1000 },
  { label: 'partial null: two equal best, 8 equal worse (0.6/0.6/0.3×8)', rates: [0.6, 0.6, ...Array<number>(8).fill(0.3)], trials: 600 },
  { label: 'partial null: two equal best, 8 equal close (0.6/0.6/0.5×8)', rates: [0.6, 0.6, ...Array<number>(8).fill(0.5)], trials: 400 },
  { label: 'partial null: 0.5×5 / 0.35×5', rates: [...Array<number>(5).fill(0.5), ...Array<number>(5).fill(0.35)], trials: 400 },
  { label: 'equal means, scenario × config interaction τ=1.5 logit, K=2', rates: [0.5, 0.5], trials: 1000, interactionSd: 1.5 },
];
const adaptiveFwer = fwerWorlds.map(({ label, rates, trials, interactionSd }, index) => {
  const result = simulateAdaptive({ scenarios: 20, shifts: shiftsFor(rates), interactionSd }, design, trials, 701 + index);
  rows.push(`| Adaptive: FWER | ${label}, 20 scen | ${fmt(result.wrong)} (mean attempts ${result.meanAttempts.toFixed(0)}) | — | ≤ 0.05 |`);
  return result.wrong;
});


say('| metric | setting | new | old (pooled McNemar vs best, no Holm, pooled Wilson) | goal |');
say('| --- | --- | --- | --- | --- |');
for (const line of rows) say(line);
say('');
say(`Default design (harness run --until-decided): round 1 = ${design.initialRepeats} repeats per cell, then +${(design.repeatsPerRound as number[]).join(', +')} (cumulative up to ${defaults.maxRepeats}) on the configurations that could still be best × the scenarios still discriminating`);
const spending = defaults.spendingExponent === 1 ? `α_t = ${defaults.alpha}/${design.maxRounds} each (linear spending)` : `α_t = ${defaults.alpha}·((t/${design.maxRounds})^${defaults.spendingExponent} − ((t−1)/${design.maxRounds})^${defaults.spendingExponent})`;
say(`(dropped after ${defaults.dropAfterRepeats} identical outcomes per sampled configuration); ${design.maxRounds} looks, ${spending}, union bound over looks; Holm per look over the decided pairs and the pairs of configurations not yet shown worse; futility margin ${defaults.futilityMargin}.`);
say('Fixed design of equal power: K × 20 × R* attempts, R* interpolated on the fixed-design power curve (new method, α = 0.05, Holm over all pairs) at the adaptive power.');
say(`Adaptive FWER, worst of ${fwerWorlds.length} null and partial-null worlds: ${fmt(Math.max(...adaptiveFwer))}.`);
say("Old difference interval: naive paired Wald over pooled (scenario, repeat) pairs (today's code has none).");
say(`World: scenario logit ~ N(0, 1.5²); 'wrong' = any decision against the truth or between equal cohorts. Elapsed ${((performance.now() - started) / 1000).toFixed(0)} s.`);
say(`verdicts: fwer10=${fmt(fwer[10] ?? Number.NaN)} coverage=${fmt(minCoverage)} power15=${fmt(power.newMethod)} saving=${saving.toFixed(2)}x`);
