import { describe, expect, it } from 'vitest';
import { makeRepeats, makeTarget } from '../summary/test-support.ts';
import { compareRuns, type RunComparison } from './compare-runs.ts';
import { evaluateGate } from './gate.ts';
import { renderCompareMarkdown } from '../../../reports/render-compare-markdown.ts';
import { createSummaryFromSpecs } from '../../bench/support/summary-from-specs.ts';

function compared(result: ReturnType<typeof compareRuns>): RunComparison {
  if (result.kind !== 'compared') throw new Error(result.reason);
  return result.comparison;
}

describe('compareRuns', () => {
  const targets = [makeTarget('a'), makeTarget('b'), makeTarget('c')];
  const baseline = createSummaryFromSpecs(
    [...makeRepeats('s1', 'a', 'PPPPPPPPPP'), ...makeRepeats('s2', 'a', 'PF'), ...makeRepeats('s1', 'b', 'PFPF'), ...makeRepeats('s1', 'c', 'PP')],
    targets,
    { runId: 'base' },
  );
  const current = createSummaryFromSpecs(
    [...makeRepeats('s1', 'a', 'FFFFFFFFFP'), ...makeRepeats('s2', 'a', 'FP'), ...makeRepeats('s1', 'b', 'PPPI'), ...makeRepeats('s3', 'a', 'P')],
    [makeTarget('a'), makeTarget('b')],
    { runId: 'now' },
  );
  const comparison = compared(compareRuns(baseline, current));

  it('matches cohorts by target and prompt variant and lists the unmatched', () => {
    expect(comparison.cohorts.map((cohort) => cohort.key.targetId)).toEqual(['a', 'b']);
    expect(comparison.onlyInBaseline).toEqual([{ targetId: 'c', promptVariantId: 'default' }]);
    expect(comparison.onlyInCurrent).toEqual([]);
    expect(comparison.scenariosOnlyInCurrent).toEqual(['s3']);
  });

  it('calls a significant paired drop a regression, with effect and p', () => {
    const [a] = comparison.cohorts;
    // Pairs: s1 × 10 and s2 × 2 (s3 has no baseline). Lost: s1 repeats 0–8 and s2 repeat 0; gained: s2 repeat 1.
    expect(a?.paired).toMatchObject({ a: { targetId: 'a' }, b: { targetId: 'a' }, pairs: 12, onlyA: 1, onlyB: 10, verdict: 'b-better' });
    expect(a?.paired.effect).toBeCloseTo(-9 / 12, 12);
    expect(a?.paired.pValue).toBeCloseTo((2 * 12) / 2048, 12);
    expect(a?.change).toBe('regression');
  });

  it('never calls a non-significant difference a regression or an improvement', () => {
    const b = comparison.cohorts[1];
    // Baseline PFPF, current PPPI: the infra error leaves 3 pairs, 1 gained → p = 1.
    expect(b?.paired).toMatchObject({ pairs: 3, onlyA: 1, onlyB: 0, pValue: 1, verdict: 'not-significant' });
    expect(b?.change).toBe('not-significant');
  });

  it('lists flips per spec id, in both directions, and never for infra errors', () => {
    const flips = comparison.flips.map((flip) => `${flip.scenarioId}/${flip.key.targetId}/${flip.repeatIndex}:${flip.direction}`);
    expect(flips).toEqual([
      ...Array.from({ length: 9 }, (_, index) => `s1/a/${index}:pass-to-fail`),
      's2/a/0:pass-to-fail',
      's2/a/1:fail-to-pass',
      's1/b/1:fail-to-pass',
    ]);
    const s2 = comparison.cells.find((cell) => cell.scenarioId === 's2');
    expect(s2?.flips).toHaveLength(2);
    expect(s2?.baseline.rate).toBe(0.5);
    expect(s2?.current.rate).toBe(0.5);
  });

  it('refuses runs with no cohort in common, and runs with no scenario in common', () => {
    const other = createSummaryFromSpecs(makeRepeats('s1', 'z', 'P'), [makeTarget('z')]);
    const noCohort = compareRuns(baseline, other);
    expect(noCohort.kind).toBe('not-comparable');
    expect(noCohort.kind === 'not-comparable' ? noCohort.reason : '').toContain('no cohort (target · prompt variant) in common');
    const elsewhere = createSummaryFromSpecs(makeRepeats('s9', 'a', 'P'), [makeTarget('a')]);
    const noScenario = compareRuns(baseline, elsewhere);
    expect(noScenario.kind === 'not-comparable' ? noScenario.reason : '').toContain('no scenario in common');
  });

  it('renders the comparison and the gate as Markdown', () => {
    const gate = evaluateGate({ settings: { failOnSignificantRegression: true }, current: current.statistics, againstBaseline: comparison.cohorts.map((cohort) => cohort.paired) });
    const markdown = renderCompareMarkdown(comparison, gate);
    expect(markdown).toContain('# Comparison: base → now');
    expect(markdown).toContain('**Gate: failed**');
    expect(markdown).toContain('| a · default | 91.7% (11/12) | 23.1% (3/13) | −75 pts | 12 | 10 lost / 1 gained | 0.012 | **significant regression** |');
    expect(markdown).toContain('| b · default | 50.0% (2/4) | 100% (3/3) | +33.3 pts | 3 | 0 lost / 1 gained | 1.000 | not significant (too few pairs to tell) |');
    expect(markdown).toContain('- pass → fail: **s1** — a · default, repeat 0 (passed → failed)');
    expect(markdown).toContain('- Cohorts only in the baseline: c · default');
  });
});
