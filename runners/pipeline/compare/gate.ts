import { EXIT_CODES } from '../../core/errors.ts';
import type { CohortKey, Interval, PairedDifferenceStatistic, RunStatistics, ScenarioRateStatistic } from '../summary/summary-types.ts';

/**
 * Which number of a cohort's pass rate meets `minPassRate`:
 * - `estimate`: the point estimate (the mean of per-scenario rates) must reach it;
 * - `lower`: the lower bound of its 95% scenario-clustered interval must reach it ("we are sure
 *   it is at least this");
 * - `upper`: fails only when even the upper bound is below it ("we are sure it is below this").
 */
export type PassRateBound = 'estimate' | 'lower' | 'upper';

export const PASS_RATE_BOUNDS: readonly PassRateBound[] = ['estimate', 'lower', 'upper'];

/** The CI gate, from the config's `gate` and the command line. */
export interface GateSettings {
  /** Every cohort's pass rate (model-attributable specs) must reach this, 0…1, judged at `passRateBound`. */
  minPassRate?: number | undefined;
  /** Every cohort's violation rate must be at most this, 0…1. */
  maxViolationRate?: number | undefined;
  /** Fail when a cohort is significantly worse than in the baseline (paired over scenarios, Holm over the cohorts). */
  failOnSignificantRegression: boolean;
  /** Which number of the pass rate meets `minPassRate`; 'estimate' unless told. */
  passRateBound?: PassRateBound | undefined;
  /** Every cohort needs at least this many model-answerable specs (infra errors and pending specs do not count); 1 unless told. */
  minAnswerable?: number | undefined;
}

export type GateFailure =
  | { rule: 'min-pass-rate'; cohort: CohortKey; bound: PassRateBound; judged: number; rate: number; interval: Interval; passes: number; trials: number; scenarios: number; threshold: number }
  | { rule: 'max-violation-rate'; cohort: CohortKey; rate: number; violations: number; trials: number; threshold: number }
  /** Too few results the model is answerable for: infra errors and pending specs shrank the sample. */
  | { rule: 'min-answerable'; cohort: CohortKey; answerable: number; minimum: number; infraErrors: number; pending: number }
  /** `comparison` is current − baseline over the scenarios both runs have. */
  | { rule: 'significant-regression'; cohort: CohortKey; comparison: Extract<PairedDifferenceStatistic, { kind: 'compared' }> };

export type GateResult = { status: 'passed'; rules: string[] } | { status: 'failed'; rules: string[]; failures: GateFailure[] };

/** One matched cohort's paired difference with the baseline (current − baseline), adjusted within the gate's family. */
export interface BaselineComparison {
  key: CohortKey;
  paired: PairedDifferenceStatistic;
}

export interface GateInput {
  settings: GateSettings;
  /** The statistics of the run being gated. */
  current: RunStatistics;
  /** Paired comparisons with a baseline, when there is one: the matched cohorts are one Holm family. */
  againstBaseline?: readonly BaselineComparison[] | undefined;
}

/** The number `minPassRate` is compared with. */
export function judgedPassRate(pass: ScenarioRateStatistic, bound: PassRateBound): number | null {
  if (pass.rate === null) return null;
  switch (bound) {
    case 'estimate':
      return pass.rate;
    case 'lower':
      return pass.interval.low;
    case 'upper':
      return pass.interval.high;
  }
}

/**
 * Decides the gate. Pure. A difference that is not significant after Holm over the matched cohorts
 * is never a regression; a cohort with fewer model-answerable specs than `minAnswerable` (by
 * default: none at all) fails rather than passing unseen.
 */
export function evaluateGate({ settings, current, againstBaseline }: GateInput): GateResult {
  const failures: GateFailure[] = [];
  const bound = settings.passRateBound ?? 'estimate';
  const minimum = settings.minAnswerable ?? 1;
  for (const cohort of current.cohorts) {
    const { pass, violationRate, key } = cohort;
    if (pass.trials < minimum) {
      failures.push({ rule: 'min-answerable', cohort: key, answerable: pass.trials, minimum, infraErrors: cohort.infraErrors, pending: cohort.pending });
      if (pass.trials === 0) continue;
    }
    const judged = judgedPassRate(pass, bound);
    if (settings.minPassRate !== undefined && pass.rate !== null && judged !== null && judged < settings.minPassRate) {
      failures.push({ rule: 'min-pass-rate', cohort: key, bound, judged, rate: pass.rate, interval: pass.interval, passes: pass.passes, trials: pass.trials, scenarios: pass.scenarios, threshold: settings.minPassRate });
    }
    if (settings.maxViolationRate !== undefined && violationRate.rate !== null && violationRate.rate > settings.maxViolationRate) {
      failures.push({ rule: 'max-violation-rate', cohort: key, rate: violationRate.rate, violations: violationRate.passes, trials: violationRate.trials, threshold: settings.maxViolationRate });
    }
  }
  if (settings.failOnSignificantRegression && againstBaseline !== undefined) {
    for (const { key, paired } of againstBaseline) {
      if (paired.kind === 'compared' && paired.verdict === 'b-better') failures.push({ rule: 'significant-regression', cohort: key, comparison: paired });
    }
  }
  const rules = describeRules(settings, againstBaseline);
  return failures.length === 0 ? { status: 'passed', rules } : { status: 'failed', rules, failures };
}

export function exitCodeOfGate(result: GateResult): number {
  return result.status === 'passed' ? EXIT_CODES.ok : EXIT_CODES.gateFailed;
}

const BOUND_PHRASES: Record<PassRateBound, string> = {
  estimate: 'pass rate',
  lower: "lower bound of the pass rate's 95% interval",
  upper: "upper bound of the pass rate's 95% interval",
};

function describeRules(settings: GateSettings, againstBaseline: readonly BaselineComparison[] | undefined): string[] {
  const minimum = settings.minAnswerable ?? 1;
  const rules = [minimum === 1 ? 'every cohort has at least one model-answerable result' : `every cohort has at least ${minimum} model-answerable results`];
  if (settings.minPassRate !== undefined) rules.push(`${BOUND_PHRASES[settings.passRateBound ?? 'estimate']} ≥ ${formatShare(settings.minPassRate)} in every cohort`);
  if (settings.maxViolationRate !== undefined) rules.push(`violation rate ≤ ${formatShare(settings.maxViolationRate)} in every cohort`);
  if (againstBaseline !== undefined) {
    rules.push(
      settings.failOnSignificantRegression
        ? `no significant regression against the baseline (paired over scenarios, Holm over ${againstBaseline.length} matched cohort${againstBaseline.length === 1 ? '' : 's'})`
        : 'regressions allowed',
    );
  }
  return rules;
}

/** One line naming the rule that failed and its numbers. */
export function describeGateFailure(failure: GateFailure): string {
  const label = (key: CohortKey) => `${key.targetId} · ${key.promptVariantId}`;
  switch (failure.rule) {
    case 'min-pass-rate':
      return describePassRateFailure(failure, label(failure.cohort));
    case 'max-violation-rate':
      return `${label(failure.cohort)}: [maxViolationRate] violation rate ${formatShare(failure.rate)} (${failure.violations}/${failure.trials}) is above the maximum ${formatShare(failure.threshold)}`;
    case 'min-answerable':
      return `${label(failure.cohort)}: [minAnswerable] ${failure.answerable} model-answerable result${failure.answerable === 1 ? '' : 's'}, fewer than the minimum ${failure.minimum} (${failure.infraErrors} infra errors, ${failure.pending} pending are not the model's)`;
    case 'significant-regression': {
      const { comparison } = failure;
      const points = (comparison.effect * 100).toFixed(1);
      return (
        `${label(failure.cohort)}: [failOnSignificantRegression] significantly worse than the baseline (${points} pts, worse on ${comparison.bBetter} of ${comparison.scenarios} scenarios, better on ${comparison.aBetter}; ` +
        `sign-flip p = ${comparison.pValue.toPrecision(3)}, Holm-adjusted p = ${comparison.adjustedP.toPrecision(3)} over ${comparison.familySize} matched cohort${comparison.familySize === 1 ? '' : 's'})`
      );
    }
  }
}

function describePassRateFailure(failure: Extract<GateFailure, { rule: 'min-pass-rate' }>, cohort: string): string {
  const interval = `95% CI ${formatShare(failure.interval.low)}–${formatShare(failure.interval.high)} over ${failure.scenarios} scenario${failure.scenarios === 1 ? '' : 's'}`;
  const measured = `pass rate ${formatShare(failure.rate)} (${failure.passes}/${failure.trials}; ${interval})`;
  switch (failure.bound) {
    case 'estimate':
      return `${cohort}: [minPassRate] ${measured} is below the minimum ${formatShare(failure.threshold)}`;
    case 'lower':
      return `${cohort}: [minPassRate, passRateBound 'lower'] ${measured}: the lower bound ${formatShare(failure.judged)} is below the minimum ${formatShare(failure.threshold)}, so the run does not show the minimum is met`;
    case 'upper':
      return `${cohort}: [minPassRate, passRateBound 'upper'] ${measured}: even the upper bound ${formatShare(failure.judged)} is below the minimum ${formatShare(failure.threshold)}`;
  }
}

function formatShare(rate: number): string {
  return `${Number((rate * 100).toFixed(1))}%`;
}
