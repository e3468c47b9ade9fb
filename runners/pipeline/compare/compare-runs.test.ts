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

const scenarios = (targetId: string, count: number, letters: string) => Array.from({ length: count }, (_, g) => makeRepeats(`s${g + 1}`, targetId, letters)).flat();

describe('compareRuns', () => {
  const targets = [makeTarget('a'), makeTarget('b'), makeTarget('c')];
  const baseline = createSummaryFromSpecs(
    [...scenarios('a', 8, 'PPP'), ...makeRepeats('s9', 'a', 'PF'), ...makeRepeats('s1', 'b', 'PFPF'), ...makeRepeats('s1', 'c', 'PP')],
    targets,
    { runId: 'base' },
  );
  const current = createSummaryFromSpecs(
    [...scenarios('a', 8, 'FFP'), ...makeRepeats('s9', 'a', 'FP'), ...makeRepeats('s1', 'b', 'PPPI'), ...makeRepeats('s10', 'a', 'P')],
    [makeTarget('a'), makeTarget('b')],
    { runId: 'now' },
  );
  const comparison = compared(compareRuns(baseline, current));

  it('matches cohorts by target and prompt variant and lists the unmatched', () => {
    expect(comparison.cohorts.map((cohort) => cohort.key.targetId)).toEqual(['a', 'b']);
    expect(comparison.onlyInBaseline).toEqual([{ targetId: 'c', promptVariantId: 'default' }]);
    expect(comparison.onlyInCurrent).toEqual([]);
    expect(comparison.scenariosOnlyInCurrent).toEqual(['s10']);
  });

  it('calls a paired drop over scenarios that survives Holm over the matched cohorts a regression', () => {
    const [a] = comparison.cohorts;
    // Shared scenarios s1–s9: 8 lost two of three repeats, s9 swapped one for one. Sign-flip p = 2/2^8; Holm × 2 cohorts.
    expect(a?.paired).toMatchObject({ kind: 'compared', scenarios: 9, aBetter: 0, bBetter: 8, ties: 1, familySize: 2, verdict: 'b-better' });
    expect(a?.paired.kind === 'compared' && a.paired.effect).toBeCloseTo(-16 / 27, 12);
    expect(a?.paired.kind === 'compared' && a.paired.pValue).toBeCloseTo(2 / 256, 12);
    expect(a?.paired.kind === 'compared' && a.paired.adjustedP).toBeCloseTo(4 / 256, 12);
    expect(a?.change).toBe('regression');
    expect(a?.score).toMatchObject({ kind: 'compared', scenarios: 9, familySize: 2 });
  });

  it('never calls a non-significant difference a regression or an improvement', () => {
    const b = comparison.cohorts[1];
    // Baseline PFPF, current PPPI: one scenario, better now; one scenario can never be significant across scenarios.
    expect(b?.paired).toMatchObject({ kind: 'compared', scenarios: 1, aBetter: 1, pValue: 1, verdict: 'not-significant' });
    expect(b?.change).toBe('not-significant');
  });

  it('tests each scenario with exact McNemar over its repeats (the drill-down), infra errors left out', () => {
    const cell = (scenarioId: string, targetId: string) => comparison.cells.find((candidate) => candidate.scenarioId === scenarioId && candidate.key.targetId === targetId);
    expect(cell('s1', 'a')?.mcnemar).toMatchObject({ pairs: 3, onlyA: 0, onlyB: 2, pValue: 0.5 });
    expect(cell('s1', 'b')?.mcnemar).toMatchObject({ pairs: 3, onlyA: 1, onlyB: 0, pValue: 1 });
  });

  it('lists flips per spec id, in both directions, and never for infra errors', () => {
    const flips = comparison.flips.map((flip) => `${flip.scenarioId}/${flip.key.targetId}/${flip.repeatIndex}:${flip.direction}`);
    expect(flips.filter((flip) => flip.startsWith('s1/'))).toEqual(['s1/a/0:pass-to-fail', 's1/a/1:pass-to-fail', 's1/b/1:fail-to-pass']);
    expect(flips).toHaveLength(8 * 2 + 2 + 1);
    const s9 = comparison.cells.find((cell) => cell.scenarioId === 's9');
    expect(s9?.flips).toHaveLength(2);
    expect(s9?.baseline.rate).toBe(0.5);
    expect(s9?.current.rate).toBe(0.5);
  });

  it('refuses runs with no cohort in common, and runs with no scenario in common', () => {
    const other = createSummaryFromSpecs(makeRepeats('s1', 'z', 'P'), [makeTarget('z')]);
    const noCohort = compareRuns(baseline, other);
    expect(noCohort.kind).toBe('not-comparable');
    expect(noCohort.kind === 'not-comparable' ? noCohort.reason : '').toContain('no cohort (target · prompt variant) in common');
    const elsewhere = createSummaryFromSpecs(makeRepeats('s99', 'a', 'P'), [makeTarget('a')]);
    const noScenario = compareRuns(baseline, elsewhere);
    expect(noScenario.kind === 'not-comparable' ? noScenario.reason : '').toContain('no scenario in common');
  });

  it('renders the comparison and the gate as Markdown, with the family size next to each verdict', () => {
    const gate = evaluateGate({ settings: { failOnSignificantRegression: true }, current: current.statistics, againstBaseline: comparison.cohorts.map((cohort) => ({ key: cohort.key, paired: cohort.paired })) });
    const markdown = renderCompareMarkdown(comparison, gate);
    expect(markdown).toContain('# Comparison: base → now');
    expect(markdown).toContain('**Gate: failed**');
    // Rates weigh every scenario the same (a's baseline: 8 scenarios at 100% and s9 at 50%).
    expect(markdown).toContain('| a · default | 94.4% (25/26) | 41.7% (10/27) | −59.3 pts (−86.9 to −31.6) | 9 | 8 worse / 0 better / 1 same | 0.0078 | 0.016 | **significant regression** (family of 2) |');
    expect(markdown).toContain('| b · default | 50.0% (2/4) | 100% (3/3) | +50 pts | 1 | 0 worse / 1 better / 0 same | 1.000 | 1.000 | not significant (family of 2) |');
    expect(markdown).toContain('| s1 | a · default | 100% (3/3) | 33.3% (1/3) | 2 | 0 | 0.500 |');
    expect(markdown).toContain("### Graded score (the tuner's more sensitive instrument; not gated)");
    expect(markdown).toContain('- pass → fail: **s1** — a · default, repeat 0 (passed → failed)');
    expect(markdown).toContain('- Cohorts only in the baseline: c · default');
  });
});

describe('compareRuns: one scenario with many repeats', () => {
  it('exact McNemar stays exact past 1024 discordant pairs (600 lost, 500 gained: p ≈ 0.0028, not NaN)', () => {
    const baseline = createSummaryFromSpecs(makeRepeats('s1', 't', 'P'.repeat(600) + 'F'.repeat(500)), [makeTarget('t')], { runId: 'base' });
    const current = createSummaryFromSpecs(makeRepeats('s1', 't', 'F'.repeat(600) + 'P'.repeat(500)), [makeTarget('t')], { runId: 'now' });
    const [cell] = compared(compareRuns(baseline, current)).cells;
    expect(cell?.mcnemar).toMatchObject({ pairs: 1100, onlyA: 500, onlyB: 600, discordant: 1100 });
    expect(cell?.mcnemar.pValue).toBeCloseTo(0.0028195449914364275, 12);
  });
});

describe('compareRuns: the gate\'s family', () => {
  it('twenty unchanged cohorts and one lucky drop: Holm over the 20 keeps the gate from failing', () => {
    const variants = Array.from({ length: 20 }, (_, k) => `v${k}`);
    const run = (runId: string, dropped: boolean) =>
      createSummaryFromSpecs(
        variants.flatMap((variant, k) => Array.from({ length: 6 }, (_, g) => makeRepeats(`s${g}`, 't', dropped && k === 0 ? 'FFF' : 'PPF', { promptVariantId: variant })).flat()),
        [makeTarget('t')],
        { runId: runId },
  );
    const comparison = compared(compareRuns(run('base', false), run('now', true)));
    const [first] = comparison.cohorts;
    // Alone, 6 of 6 scenarios worse is p = 1/32 < 0.05 (today: a failed gate); among 20 cohorts it is 20/32.
    expect(first?.paired).toMatchObject({ kind: 'compared', pValue: 1 / 32, adjustedP: 20 / 32, familySize: 20, verdict: 'not-significant' });
    const gate = evaluateGate({ settings: { failOnSignificantRegression: true }, current: run('now', true).statistics, againstBaseline: comparison.cohorts.map((cohort) => ({ key: cohort.key, paired: cohort.paired })) });
    expect(gate.status).toBe('passed');
  });
});
