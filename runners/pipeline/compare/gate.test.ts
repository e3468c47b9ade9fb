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

function compare(baselineLetters: string, currentLetters: string): RunComparison {
  const baseline = createSummaryFromSpecs(makeRepeats('s1', 't', baselineLetters), [makeTarget('t')], { runId: 'base' });
  const current = createSummaryFromSpecs(makeRepeats('s1', 't', currentLetters), [makeTarget('t')], { runId: 'now' });
  const result = compareRuns(baseline, current);
  if (result.kind !== 'compared') throw new Error(result.reason);
  return result.comparison;
}

function gateAgainstBaseline(baselineLetters: string, currentLetters: string, settings: GateSettings = NO_THRESHOLDS) {
  const comparison = compare(baselineLetters, currentLetters);
  const current = createSummaryFromSpecs(makeRepeats('s1', 't', currentLetters), [makeTarget('t')]).statistics;
  return evaluateGate({ settings, current, againstBaseline: comparison.cohorts.map((cohort) => cohort.paired) });
}

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
    expect(below.status === 'failed' ? below.failures.map(describeGateFailure) : []).toEqual(['t · default: pass rate 75% (3/4) is below the minimum 80%']);
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
    expect(result.status === 'failed' ? result.failures : []).toEqual([{ rule: 'no-evidence', cohort: { targetId: 't', promptVariantId: 'default' }, infraErrors: 2, pending: 1 }]);
  });
});

describe('evaluateGate: regressions against a baseline', () => {
  it('fails on a significant regression (9 lost, 1 gained of 10 pairs)', () => {
    const result = gateAgainstBaseline('FPPPPPPPPP', 'PFFFFFFFFF');
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' ? result.failures.map(describeGateFailure) : []).toEqual([
      't · default: significantly worse than the baseline (-80.0 pts over 10 paired repeats, 9 lost vs 1 gained, p = 0.0215)',
    ]);
  });

  it('passes a large but not significant drop (3 of 4 lost: p = 0.25)', () => {
    expect(gateAgainstBaseline('PPPP', 'PFFF').status).toBe('passed');
  });

  it('passes a significant improvement', () => {
    expect(gateAgainstBaseline('FFFFFFFFFF', 'PPPPPPPPPP').status).toBe('passed');
  });

  it('passes a significant regression when regressions are allowed', () => {
    expect(gateAgainstBaseline('PPPPPPPPPP', 'FFFFFFFFFF', { failOnSignificantRegression: false }).status).toBe('passed');
    expect(gateAgainstBaseline('PPPPPPPPPP', 'FFFFFFFFFF').status).toBe('failed');
  });
});

describe('resolveGateSettings', () => {
  it('fails on regressions by default and lets flags override the config', () => {
    expect(resolveGateSettings(undefined, {})).toEqual({ minPassRate: undefined, maxViolationRate: undefined, failOnSignificantRegression: true });
    const configured = { minPassRate: 0.9, maxViolationRate: 0, failOnSignificantRegression: true };
    expect(resolveGateSettings(configured, { minPassRate: 0.5, allowRegressions: true })).toEqual({ minPassRate: 0.5, maxViolationRate: 0, failOnSignificantRegression: false });
    expect(resolveGateSettings({ failOnSignificantRegression: false }, {}).failOnSignificantRegression).toBe(false);
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
