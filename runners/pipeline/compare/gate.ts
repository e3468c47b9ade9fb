import { EXIT_CODES } from '../../core/errors.ts';
import type { CohortKey, PairedComparison, RunStatistics } from '../summary/summary-types.ts';

/** The CI gate, from the config's `gate` and the command line. */
export interface GateSettings {
  /** Every cohort's pass rate (model-attributable specs) must be at least this, 0…1. */
  minPassRate?: number | undefined;
  /** Every cohort's violation rate must be at most this, 0…1. */
  maxViolationRate?: number | undefined;
  /** Fail when a cohort is significantly worse than in the baseline (exact McNemar, p < alpha). */
  failOnSignificantRegression: boolean;
}

export type GateFailure =
  | { rule: 'min-pass-rate'; cohort: CohortKey; rate: number; passes: number; trials: number; threshold: number }
  | { rule: 'max-violation-rate'; cohort: CohortKey; rate: number; violations: number; trials: number; threshold: number }
  /** Nothing the model did can be judged: every spec was an infra error or is pending. */
  | { rule: 'no-evidence'; cohort: CohortKey; infraErrors: number; pending: number }
  /** `comparison.a` is the current run, `comparison.b` the baseline. */
  | { rule: 'significant-regression'; comparison: PairedComparison };

export type GateResult = { status: 'passed'; rules: string[] } | { status: 'failed'; rules: string[]; failures: GateFailure[] };

export interface GateInput {
  settings: GateSettings;
  /** The statistics of the run being gated. */
  current: RunStatistics;
  /** Paired comparisons with a baseline (a = current, b = baseline), when there is one. */
  againstBaseline?: readonly PairedComparison[] | undefined;
}

/**
 * Decides the gate. Pure. A difference that is not significant is never a regression; a cohort
 * whose every spec was an infra error fails as "no evidence" rather than passing unseen.
 */
export function evaluateGate({ settings, current, againstBaseline }: GateInput): GateResult {
  const failures: GateFailure[] = [];
  for (const cohort of current.cohorts) {
    const { pass, violationRate, key } = cohort;
    if (pass.rate === null) {
      failures.push({ rule: 'no-evidence', cohort: key, infraErrors: cohort.infraErrors, pending: cohort.pending });
      continue;
    }
    if (settings.minPassRate !== undefined && pass.rate < settings.minPassRate) {
      failures.push({ rule: 'min-pass-rate', cohort: key, rate: pass.rate, passes: pass.passes, trials: pass.trials, threshold: settings.minPassRate });
    }
    if (settings.maxViolationRate !== undefined && violationRate.rate !== null && violationRate.rate > settings.maxViolationRate) {
      failures.push({ rule: 'max-violation-rate', cohort: key, rate: violationRate.rate, violations: violationRate.passes, trials: violationRate.trials, threshold: settings.maxViolationRate });
    }
  }
  if (settings.failOnSignificantRegression && againstBaseline !== undefined) {
    for (const comparison of againstBaseline) {
      if (comparison.verdict === 'b-better') failures.push({ rule: 'significant-regression', comparison });
    }
  }
  const rules = describeRules(settings, againstBaseline !== undefined);
  return failures.length === 0 ? { status: 'passed', rules } : { status: 'failed', rules, failures };
}

export function exitCodeOfGate(result: GateResult): number {
  return result.status === 'passed' ? EXIT_CODES.ok : EXIT_CODES.gateFailed;
}

function describeRules(settings: GateSettings, hasBaseline: boolean): string[] {
  const rules = ['every cohort has at least one model-attributable result'];
  if (settings.minPassRate !== undefined) rules.push(`pass rate ≥ ${formatShare(settings.minPassRate)} in every cohort`);
  if (settings.maxViolationRate !== undefined) rules.push(`violation rate ≤ ${formatShare(settings.maxViolationRate)} in every cohort`);
  if (hasBaseline) rules.push(settings.failOnSignificantRegression ? 'no significant regression against the baseline' : 'regressions allowed');
  return rules;
}

export function describeGateFailure(failure: GateFailure): string {
  const label = (key: CohortKey) => `${key.targetId} · ${key.promptVariantId}`;
  switch (failure.rule) {
    case 'min-pass-rate':
      return `${label(failure.cohort)}: pass rate ${formatShare(failure.rate)} (${failure.passes}/${failure.trials}) is below the minimum ${formatShare(failure.threshold)}`;
    case 'max-violation-rate':
      return `${label(failure.cohort)}: violation rate ${formatShare(failure.rate)} (${failure.violations}/${failure.trials}) is above the maximum ${formatShare(failure.threshold)}`;
    case 'no-evidence':
      return `${label(failure.cohort)}: no model-attributable result to judge (${failure.infraErrors} infra errors, ${failure.pending} pending)`;
    case 'significant-regression': {
      const { comparison } = failure;
      const points = (comparison.effect * 100).toFixed(1);
      return `${label(comparison.a)}: significantly worse than the baseline (${points} pts over ${comparison.pairs} paired repeats, ${comparison.onlyB} lost vs ${comparison.onlyA} gained, p = ${comparison.pValue.toPrecision(3)})`;
    }
  }
}

function formatShare(rate: number): string {
  return `${Number((rate * 100).toFixed(1))}%`;
}
