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

  it('takes verdicts from the paired comparison with the best, and ranks by verdict then rate', () => {
    expect(scorecard.rows.map((row) => [row.targetId, row.verdictLabel, row.passRate])).toEqual([
      ['a', 'Best', '100%'],
      ['c', 'Not distinguishable from best', '90%'],
      ['b', 'Significantly worse', '20%'],
    ]);
    expect(scorecard.rows[2]?.verdictDetail).toBe('Against the best over 10 paired results (same scenario and repeat): only the best passed 8, only this one 0; p = 0.008, exact McNemar.');
  });

  it('says how many configurations are worse and which cannot be told apart from the best', () => {
    expect(scorecard.recommendation.headline).toBe('Best: a · default');
    expect(scorecard.recommendation.lines).toEqual([
      '100% of specs passed (10 of 10; 95% CI 72–100%).',
      '1 other configuration is not distinguishable from it at this sample size: c · default.',
      '1 other configuration is significantly worse (paired exact McNemar, p < 0.05).',
      'With 10 paired results, only differences of about 60 points or more can be shown; add repeats to see smaller ones.',
    ]);
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

  it('gives no verdict to a configuration with nothing the model is answerable for', () => {
    const infraOnly = buildReportModel(createRun({ a: 'PPF', b: 'III' })).scorecard;
    expect(infraOnly.rows.at(-1)).toMatchObject({ targetId: 'b', verdict: 'unrated', passRate: '—', excluded: 'excluded: 3 infra errors' });
    expect(infraOnly.recommendation.lines.join(' ')).not.toContain('b · default');
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

  it('calls a change significant only when the paired test across the runs says so', () => {
    const a = scorecard.rows.find((row) => row.targetId === 'a')?.trend;
    expect(a).toMatchObject({ direction: 'up', arrow: '▲', delta: '+80 pts', isSignificant: true, previousRate: 'was 20%' });
    expect(a?.detail).toContain('paired over 10 scenario × repeat pairs: p = 0.008, a real change');
    const c = scorecard.rows.find((row) => row.targetId === 'c')?.trend;
    expect(c).toMatchObject({ direction: 'down', delta: '−10 pts', isSignificant: false });
    expect(c?.detail).toContain('within noise');
  });

  it('has no arrow for a configuration the previous run did not have', () => {
    expect(scorecard.rows.find((row) => row.targetId === 'b')?.trend).toBeNull();
    expect(scorecard.previousRun).toEqual({ runId: 'previous', startedAt: '2025-06-01T09:00:00.000Z', matchingCohorts: 2 });
    expect(scorecard.hasTrend).toBe(true);
  });

  it('shows a flat arrow when the rate did not move', () => {
    const same = buildReportModel(createRun({ a: 'PPFF' }), { previous: createRun({ a: 'FFPP' }, { runId: 'p' }) }).scorecard.rows[0]?.trend;
    expect(same).toMatchObject({ direction: 'flat', arrow: '▶', delta: '±0 pts', isSignificant: false });
  });
});
