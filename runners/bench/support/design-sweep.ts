/**
 * The design study behind --until-decided's defaults (`npm run bench:verdicts -- --designs`): each
 * variant changes one parameter of the default design and is simulated on the two saving worlds
 * of the benchmark, against one fixed-design power curve per world.
 */
import { doublingSchedule, type SequentialDesign } from '../../pipeline/statistics/sequential.ts';
import { simulateAdaptive } from './simulate-adaptive.ts';
import { fixedPowerCurve, repeatsForPower, shiftForRate } from './simulate.ts';

type Design = Omit<SequentialDesign, 'cohorts' | 'scenarios'>;

export function designVariants(base: Design): Array<{ label: string; design: Design }> {
  return [
    { label: 'default', design: base },
    { label: 'first round 2, doubling to 32', design: { ...base, initialRepeats: 2, ...doublingSchedule(2, 32) } },
    { label: 'first round 3, doubling to 24', design: { ...base, initialRepeats: 3, ...doublingSchedule(3, 24) } },
    { label: 'increments +4, +4, +8 (cum. 4/8/12/20)', design: { ...base, repeatsPerRound: [4, 4, 8], maxRounds: 4 } },
    { label: 'three rounds, cum. 4/12/28', design: { ...base, repeatsPerRound: [8, 16], maxRounds: 3 } },
    { label: 'drop a scenario after 4 identical', design: { ...base, dropAfterRepeats: 4 } },
    { label: 'never drop a scenario', design: { ...base, dropAfterRepeats: Infinity } },
    { label: 'futility margin 1', design: { ...base, futilityMargin: 1 } },
    { label: 'futility margin 3', design: { ...base, futilityMargin: 3 } },
    { label: 'no futility', design: { ...base, futility: false } },
    { label: 'spending ρ = 2', design: { ...base, spendingExponent: 2 } },
  ];
}

const WORLDS = [
  { label: 'K=10 scorecard', rates: [0.65, 0.5, 0.45, 0.4, 0.35, 0.3, 0.3, 0.25, 0.2, 0.15], grid: [12, 16, 20, 24, 28, 32, 36, 40], nullRates: Array<number>(10).fill(0.5) },
  { label: 'K=2, 0.50 vs 0.65', rates: [0.5, 0.65], grid: [4, 6, 8, 10, 12, 14, 16, 20, 24, 32], nullRates: [0.5, 0.5] },
];

/** One Markdown row per variant and world: power, wrong decisions, attempts, the saving, and the attempts under the null. */
export function sweepDesigns(base: Design, trials: number, say: (line: string) => void): void {
  say('| world | design | power | wrong | mean attempts | fixed R* | saving | attempts when all equal | FWER when all equal |');
  say('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [index, world] of WORLDS.entries()) {
    const shifts = world.rates.map((rate) => shiftForRate(rate, 1.5));
    const curve = fixedPowerCurve({ scenarios: 20, shifts }, world.grid, trials, 900 + index);
    for (const { label, design } of designVariants(base)) {
      const adaptive = simulateAdaptive({ scenarios: 20, shifts }, design, trials, 910 + index);
      const none = simulateAdaptive({ scenarios: 20, shifts: world.nullRates.map((rate) => shiftForRate(rate, 1.5)) }, design, Math.ceil(trials / 2), 920 + index);
      const repeats = repeatsForPower(curve, adaptive.correct);
      const saving = repeats === undefined ? Number.NaN : (repeats * shifts.length * 20) / adaptive.meanAttempts;
      say(
        `| ${world.label} | ${label} | ${adaptive.correct.toFixed(3)} | ${adaptive.wrong.toFixed(3)} | ${adaptive.meanAttempts.toFixed(0)} | ${repeats?.toFixed(1) ?? '> grid'} | ${saving.toFixed(2)}x | ${none.meanAttempts.toFixed(0)} | ${none.wrong.toFixed(3)} |`,
      );
    }
  }
}
