import { describe, expect, it } from 'vitest';
import type { ResolvedTarget } from '../runners/core/domain/target.ts';
import { makeRepeats, makeTarget } from '../runners/pipeline/summary/test-support.ts';
import type { RunSummary, SpecSummary } from '../runners/pipeline/summary/summary-types.ts';
import { buildReportModel } from './report-model.ts';
import { createSummaryFromSpecs } from '../runners/bench/support/summary-from-specs.ts';

/** One letter per scenario (P passed, F failed, T timed out, I infra error), `repeats` times each. */
function cohortSpecs(targetId: string, letters: string, options: { repeats?: number; costUsd?: number } = {}): SpecSummary[] {
  return [...letters].flatMap((letter, index) => makeRepeats(`s${index + 1}`, targetId, letter.repeat(options.repeats ?? 1), { costUsd: options.costUsd ?? 0 }));
}

const TARGETS: ResolvedTarget[] = [makeTarget('a'), makeTarget('b', 'awq-int4'), makeTarget('c', 'fp8')];

function createRun(letters: { a: string; b?: string; c?: string }, overrides: Partial<RunSummary> = {}, repeats = 1): RunSummary {
  const specs = [
    ...cohortSpecs('a', letters.a, { repeats, costUsd: 0.02 }),
    ...(letters.b === undefined ? [] : cohortSpecs('b', letters.b, { repeats })),
    ...(letters.c === undefined ? [] : cohortSpecs('c', letters.c, { repeats })),
  ];
  return createSummaryFromSpecs(specs, TARGETS, overrides);
}

describe('the scorecard', () => {
  const run = createRun({ a: 'PPPPPPPPPP', b: 'PPFFFFFFFF', c: 'PPPPPPPPPF' });
  const { scorecard } = buildReportModel(run);

  it('takes verdicts from the scorecard family (3 pairwise tests, Holm) and ranks by verdict then rate', () => {
    expect(scorecard.rows.map((row) => [row.targetId, row.verdictLabel, row.passRate, row.verdictNote])).toEqual([
      ['a', 'Could be best', '100%', '3 tests, Holm'],
      ['c', 'Could be best', '90%', '3 tests, Holm'],
      ['b', 'Significantly worse', '20%', 'worse than a · default, c · default · 3 tests, Holm'],
    ]);
    expect(scorecard.familySize).toBe(3);
    expect(scorecard.rows[2]?.verdictDetail).toBe(
      'b is worse than a on 8 of 10 shared scenarios (mean gap 80 points); with 3 configurations compared (3 pairwise tests), this is still significant (Holm-adjusted p = 0.023); it is also significantly worse than c.',
    );
    expect(scorecard.rows[0]?.verdictDetail).toMatch(/^a could be best: no configuration is significantly better, and it is not significantly better than c/);
  });

  it('names no best when two could be best, and says what is worse and what the design can detect', () => {
    expect(scorecard.recommendation.tone).toBe('none');
    expect(scorecard.recommendation.headline).toBe('No single best: 2 configurations could be best');
    expect(scorecard.recommendation.lines.slice(0, 2)).toEqual([
      'Could be best — no configuration is significantly better: a · default, c · default.',
      'Significantly worse (3 pairwise tests, Holm, α = 0.05): b · default.',
    ]);
    expect(scorecard.recommendation.lines[2]).toMatch(/^With 10 scenarios × 1 repeat and 3 pairwise tests, a true gap of about \d+ points in pass rate is found with 80% power/);
    expect(scorecard.power).toBe(scorecard.recommendation.lines[2]);
    expect(scorecard.method).toContain('scenario-clustered Wilson');
  });

  it('names a best only when it is significantly better than every other configuration', () => {
    const clear = buildReportModel(createRun({ a: 'PPPPPPPPPP', b: 'FFFFFFFFFF' })).scorecard;
    expect(clear.rows.map((row) => row.verdict)).toEqual(['best', 'significantly-worse']);
    expect(clear.recommendation.headline).toBe('Best: a · default');
    expect(clear.recommendation.lines[0]).toMatch(/^100% passed \(10 of 10; 95% CI \d+–100% over 10 scenarios\)\.$/);
    expect(clear.recommendation.lines[1]).toBe('Significantly better than every other configuration (1 pairwise test, Holm, α = 0.05).');
  });

  it('shows the graded score beside the pass rate, and the interval method', () => {
    expect(scorecard.rows[0]).toMatchObject({ score: '1.00', intervalMethod: 'scenario-clustered over 10 scenarios' });
    expect(scorecard.rows[2]?.score).toBe('0.60');
  });

  it('shows cost per passed spec only when costs are configured', () => {
    expect(scorecard.hasCost).toBe(true);
    expect(scorecard.rows.find((row) => row.targetId === 'a')?.costPerPass).toBe('$0.02');
    expect(scorecard.rows.find((row) => row.targetId === 'b')?.costPerPass).toBe('—');
    expect(buildReportModel(createSummaryFromSpecs(cohortSpecs('b', 'PF'), TARGETS)).scorecard.hasCost).toBe(false);
  });

  it('adds the reliability over every repeat (pass^k) when cells have repeats', () => {
    expect(scorecard.reliabilityK).toBeNull();
    const repeated = buildReportModel(createRun({ a: 'PPP', b: 'PFF' }, {}, 3)).scorecard;
    expect(repeated.reliabilityK).toBe(3);
    expect(repeated.rows.map((row) => [row.targetId, row.reliability])).toEqual([
      ['a', '100%'],
      ['b', '33%'],
    ]);
  });

  it('says "nothing to rate" for a configuration with nothing the model is answerable for', () => {
    const infraOnly = buildReportModel(createRun({ a: 'PPF', b: 'III' })).scorecard;
    expect(infraOnly.rows.at(-1)).toMatchObject({ targetId: 'b', verdict: 'nothing-to-rate', verdictLabel: 'Nothing to rate', passRate: '—', excluded: 'excluded: 3 infra errors' });
    expect(infraOnly.rows.at(-1)?.verdictDetail).toBe('b has no model-answerable result (3 infra errors), so there is nothing to rate and it is left out of the comparisons.');
    expect(infraOnly.recommendation.lines.join(' ')).not.toContain('b · default');
  });

  it('names no best when every configuration failed everything', () => {
    const failing = buildReportModel(createRun({ a: 'FFFFFF', b: 'FFFFFF', c: 'FFFFFF' })).scorecard;
    expect(failing.rows.map((row) => row.verdict)).toEqual(['nothing-passed', 'nothing-passed', 'nothing-passed']);
    expect(failing.recommendation.headline).toBe('No best: no configuration passed anything.');
  });

  it('has no recommendation when no configuration has a result', () => {
    const nothing = buildReportModel(createRun({ a: 'II' })).scorecard;
    expect(nothing.recommendation).toEqual({ tone: 'none', headline: 'No configuration has a result the model is answerable for yet.', lines: [] });
  });
});

describe('trend arrows against the previous run', () => {
  const previous = createRun({ a: 'PPFFFFFFFF', c: 'PPPPPPPPPF' }, { runId: 'previous', startedAt: '2025-06-01T09:00:00.000Z' });
  const current = createRun({ a: 'PPPPPPPPPP', b: 'PPFFFFFFFF', c: 'PPPPPPPPFF' });
  const { scorecard } = buildReportModel(current, { previous });

  it('takes direction and significance from the same paired test over scenarios, Holm over the matched configurations', () => {
    const a = scorecard.rows.find((row) => row.targetId === 'a')?.trend;
    expect(a).toMatchObject({ direction: 'up', arrow: '▲', delta: '+80 pts', isSignificant: true, previousRate: 'was 20%' });
    expect(a?.detail).toContain('Paired over 10 shared scenarios: +80 pts (better on 8, worse on 0); sign-flip p = 0.008, Holm-adjusted p = 0.02 over 2 configurations: a real change.');
    const c = scorecard.rows.find((row) => row.targetId === 'c')?.trend;
    expect(c).toMatchObject({ direction: 'down', delta: '−10 pts', isSignificant: false });
    expect(c?.detail).toContain('within noise');
  });

  it('never draws a rise where the paired test found a significant decline (today: "▲ +63 pts … a real change")', () => {
    const scenarios = (letter: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => makeRepeats(`s${from + index}`, 'a', letter)).flat();
    // The same 8 scenarios all got worse; the pooled rate rose only because the scenario mix changed.
    const before = createSummaryFromSpecs([...scenarios('P', 1, 8), ...scenarios('F', 9, 40)], TARGETS, { runId: 'before' });
    const after = createSummaryFromSpecs([...scenarios('F', 1, 8), ...scenarios('P', 41, 80)], TARGETS);
    const trend = buildReportModel(after, { previous: before }).scorecard.rows[0]?.trend;
    expect(trend).toMatchObject({ direction: 'down', arrow: '▼', delta: '−100 pts', isSignificant: true, previousRate: 'was 20%' });
  });

  it('has no arrow for a configuration the previous run did not have', () => {
    expect(scorecard.rows.find((row) => row.targetId === 'b')?.trend).toBeNull();
    expect(scorecard.previousRun).toEqual({ runId: 'previous', startedAt: '2025-06-01T09:00:00.000Z', matchingCohorts: 2 });
    expect(scorecard.hasTrend).toBe(true);
  });

  it('shows a flat arrow when the paired change is zero', () => {
    const same = buildReportModel(createRun({ a: 'PPFF' }), { previous: createRun({ a: 'FFPP' }, { runId: 'p' }) }).scorecard.rows[0]?.trend;
    expect(same).toMatchObject({ direction: 'flat', arrow: '▶', delta: '±0 pts', isSignificant: false });
  });
});
