import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../core/errors.ts';
import type { Violation } from '../../core/domain/check-result.ts';
import { makeRepeats, makeSpecSummary, makeTarget } from '../summary/test-support.ts';
import { compareRuns, type RunComparison } from './compare-runs.ts';
import { describeGateFailure, evaluateGate, exitCodeOfGate, type GateSettings } from './gate.ts';
import { resolveGateSettings } from './gate-settings.ts';
import { decideRunExit } from './run-exit.ts';
import { createSummaryFromSpecs } from '../../bench/support/summary-from-specs.ts';

const NO_THRESHOLDS: GateSettings = { failOnSignificantRegression: true };
const violation: Violation = { kind: 'edit-outside-allowed', path: 'package.json', effective: true, detail: 'outside src/**' };

function statisticsOf(letters: string, extra: Parameters<typeof makeRepeats>[3] = {}) {
  return createSummaryFromSpecs(makeRepeats('s1', 't', letters, extra), [makeTarget('t')]).statistics;
}

/** One run of the cohort t: one string of outcome letters per scenario. */
function runOf(perScenario: readonly string[], runId: string) {
  return createSummaryFromSpecs(perScenario.flatMap((letters, g) => makeRepeats(`s${g}`, 't', letters)), [makeTarget('t')], { runId });
}

function compare(baseline: readonly string[], current: readonly string[]): RunComparison {
  const result = compareRuns(runOf(baseline, 'base'), runOf(current, 'now'));
  if (result.kind !== 'compared') throw new Error(result.reason);
  return result.comparison;
}

function gateAgainstBaseline(baseline: readonly string[], current: readonly string[], settings: GateSettings = NO_THRESHOLDS) {
  const comparison = compare(baseline, current);
  return evaluateGate({ settings, current: runOf(current, 'now').statistics, againstBaseline: comparison.cohorts.map((cohort) => ({ key: cohort.key, paired: cohort.paired })) });
}

const times = (count: number, letters: string): string[] => Array<string>(count).fill(letters);

describe('evaluateGate: thresholds', () => {
  it('passes (exit 0) with no thresholds and some failures', () => {
    const result = evaluateGate({ settings: NO_THRESHOLDS, current: statisticsOf('PPF') });
    expect(result.status).toBe('passed');
    expect(exitCodeOfGate(result)).toBe(EXIT_CODES.ok);
  });

  it('fails (exit 1) below the minimum pass rate and passes exactly at it', () => {
    const below = evaluateGate({ settings: { ...NO_THRESHOLDS, minPassRate: 0.8 }, current: statisticsOf('PPPF') });
    expect(below.status).toBe('failed');
    expect(exitCodeOfGate(below)).toBe(1);
    expect(below.status === 'failed' ? below.failures.map(describeGateFailure) : []).toEqual([
      't · default: [minPassRate] pass rate 75% (3/4; 95% CI 30.1%–95.4% over 1 scenario) is below the minimum 80%',
    ]);
    expect(evaluateGate({ settings: { ...NO_THRESHOLDS, minPassRate: 0.75 }, current: statisticsOf('PPPF') }).status).toBe('passed');
  });

  it('does not let infra errors drag the pass rate below the minimum', () => {
    expect(evaluateGate({ settings: { ...NO_THRESHOLDS, minPassRate: 1 }, current: statisticsOf('PPII') }).status).toBe('passed');
  });

  it('fails above the maximum violation rate, counting attempted violations too, and passes at it', () => {
    const specs = [
      makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 0, outcome: 'F', failedChecks: ['permissions'], violations: [{ ...violation, effective: false }] }),
      makeSpecSummary({ scenarioId: 's1', targetId: 't', repeatIndex: 1, outcome: 'P' }),
    ];
    const current = createSummaryFromSpecs(specs, [makeTarget('t')]).statistics;
    const failed = evaluateGate({ settings: { ...NO_THRESHOLDS, maxViolationRate: 0 }, current });
    expect(failed.status === 'failed' ? failed.failures.map((failure) => failure.rule) : []).toEqual(['max-violation-rate']);
    expect(evaluateGate({ settings: { ...NO_THRESHOLDS, maxViolationRate: 0.5 }, current }).status).toBe('passed');
  });

  it('fails a cohort with nothing model-attributable to judge', () => {
    const result = evaluateGate({ settings: NO_THRESHOLDS, current: statisticsOf('II-') });
    expect(result.status === 'failed' ? result.failures : []).toEqual([{ rule: 'min-answerable', cohort: { targetId: 't', promptVariantId: 'default' }, answerable: 0, minimum: 1, infraErrors: 2, pending: 1 }]);
  });
});

describe('evaluateGate: the interval and the answerable n', () => {
  it("1/1 passes a 0.8 minimum on the point estimate but not with passRateBound 'lower'", () => {
    const current = statisticsOf('P');
    expect(evaluateGate({ settings: { ...NO_THRESHOLDS, minPassRate: 0.8 }, current }).status).toBe('passed');
    const lower = evaluateGate({ settings: { ...NO_THRESHOLDS, minPassRate: 0.8, passRateBound: 'lower' }, current });
    expect(lower.status === 'failed' ? lower.failures.map(describeGateFailure) : []).toEqual([
      "t · default: [minPassRate, passRateBound 'lower'] pass rate 100% (1/1; 95% CI 20.7%–100% over 1 scenario): the lower bound 20.7% is below the minimum 80%, so the run does not show the minimum is met",
    ]);
  });

  it("7/10 over ten scenarios fails a 0.8 minimum on the estimate but not with 'upper', whose interval still includes 0.8", () => {
    const current = runOf(['P', 'P', 'P', 'P', 'P', 'P', 'P', 'F', 'F', 'F'], 'now').statistics;
    expect(evaluateGate({ settings: { ...NO_THRESHOLDS, minPassRate: 0.8 }, current }).status).toBe('failed');
    expect(evaluateGate({ settings: { ...NO_THRESHOLDS, minPassRate: 0.8, passRateBound: 'upper' }, current }).status).toBe('passed');
    const hopeless = evaluateGate({ settings: { ...NO_THRESHOLDS, minPassRate: 0.8, passRateBound: 'upper' }, current: runOf(times(10, 'F'), 'now').statistics });
    expect(hopeless.status === 'failed' ? hopeless.failures.map(describeGateFailure)[0] : '').toMatch(/^t · default: \[minPassRate, passRateBound 'upper'\] pass rate 0% \(0\/10; .*\): even the upper bound [\d.]+% is below the minimum 80%$/);
  });

  it('minAnswerable: infra errors shrinking the sample fail the gate, naming the rule and the numbers', () => {
    const current = statisticsOf('PPIIII');
    expect(evaluateGate({ settings: { ...NO_THRESHOLDS, minPassRate: 1 }, current }).status).toBe('passed');
    const result = evaluateGate({ settings: { ...NO_THRESHOLDS, minPassRate: 1, minAnswerable: 3 }, current });
    expect(result.status === 'failed' ? result.failures.map(describeGateFailure) : []).toEqual([
      't · default: [minAnswerable] 2 model-answerable results, fewer than the minimum 3 (4 infra errors, 0 pending are not the model\'s)',
    ]);
    expect(result.rules).toContain('every cohort has at least 3 model-answerable results');
  });
});

describe('evaluateGate: regressions against a baseline', () => {
  it('fails on a significant regression over scenarios (8 of 8 worse: p = 2/256), naming the family', () => {
    const result = gateAgainstBaseline(times(8, 'PPP'), times(8, 'PFF'));
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' ? result.failures.map(describeGateFailure) : []).toEqual([
      't · default: [failOnSignificantRegression] significantly worse than the baseline (-66.7 pts, worse on 8 of 8 scenarios, better on 0; sign-flip p = 0.00781, Holm-adjusted p = 0.00781 over 1 matched cohort)',
    ]);
  });

  it('passes a large drop on one scenario: ten repeats of one scenario are not ten scenarios', () => {
    expect(gateAgainstBaseline(['PPPPPPPPPP'], ['FFFFFFFFFF']).status).toBe('passed');
  });

  it('passes a large but not significant drop (3 of 3 scenarios worse: p = 0.25)', () => {
    expect(gateAgainstBaseline(times(3, 'PP'), times(3, 'FF')).status).toBe('passed');
  });

  it('passes a significant improvement', () => {
    expect(gateAgainstBaseline(times(8, 'FF'), times(8, 'PP')).status).toBe('passed');
  });

  it('passes a significant regression when regressions are allowed', () => {
    expect(gateAgainstBaseline(times(8, 'PP'), times(8, 'FF'), { failOnSignificantRegression: false }).status).toBe('passed');
    expect(gateAgainstBaseline(times(8, 'PP'), times(8, 'FF')).status).toBe('failed');
  });
});

describe('resolveGateSettings', () => {
  it('fails on regressions by default and lets flags override the config', () => {
    expect(resolveGateSettings(undefined, {})).toEqual({ minPassRate: undefined, maxViolationRate: undefined, failOnSignificantRegression: true, passRateBound: 'estimate', minAnswerable: 1 });
    const configured = { minPassRate: 0.9, maxViolationRate: 0, failOnSignificantRegression: true, passRateBound: 'lower', minAnswerable: 5 } as const;
    expect(resolveGateSettings(configured, { minPassRate: 0.5, allowRegressions: true, minAnswerable: 2 })).toEqual({
      minPassRate: 0.5, maxViolationRate: 0, failOnSignificantRegression: false, passRateBound: 'lower', minAnswerable: 2,
    });
    expect(resolveGateSettings({ failOnSignificantRegression: false, passRateBound: 'estimate', minAnswerable: 1 }, { passRateBound: 'upper' })).toMatchObject({ failOnSignificantRegression: false, passRateBound: 'upper' });
  });
});

describe('decideRunExit', () => {
  const mixed = createSummaryFromSpecs(makeRepeats('s1', 't', 'PPPF'), [makeTarget('t')]);
  const allPassed = createSummaryFromSpecs(makeRepeats('s1', 't', 'PP'), [makeTarget('t')]);
  const base = { reporterFailures: 0, exitZero: false, gate: undefined };

  it('without a gate: 0 when every spec passed, 1 otherwise', () => {
    expect(decideRunExit({ ...base, summary: allPassed })).toEqual({ exitCode: 0, gate: undefined });
    expect(decideRunExit({ ...base, summary: mixed }).exitCode).toBe(1);
  });

  it('with a gate: the gate decides, not "all passed"', () => {
    expect(decideRunExit({ ...base, summary: mixed, gate: { failOnSignificantRegression: true, minPassRate: 0.7 } }).exitCode).toBe(0);
    const failed = decideRunExit({ ...base, summary: mixed, gate: { failOnSignificantRegression: true, minPassRate: 0.8 } });
    expect(failed.exitCode).toBe(1);
    expect(failed.gate?.status).toBe('failed');
  });

  it('a reporter bug is exit 3 and --exit-zero is 0, whatever the gate says', () => {
    const gate = { failOnSignificantRegression: true, minPassRate: 1 };
    expect(decideRunExit({ ...base, summary: mixed, gate, reporterFailures: 1 }).exitCode).toBe(3);
    expect(decideRunExit({ ...base, summary: mixed, gate, exitZero: true }).exitCode).toBe(0);
  });
});
