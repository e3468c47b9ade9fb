import { describe, expect, it } from 'vitest';
import { legacyVerdicts, type LegacyCohort } from '../../bench/support/legacy.ts';
import { mulberry32 } from './random.ts';
import { decideScorecard } from './verdicts.ts';
import type { CohortResults } from './verdict-types.ts';

const cohort = (id: string, perScenario: ReadonlyArray<readonly number[]>, infraErrors = 0): CohortResults => ({
  id,
  cells: perScenario.map((outcomes, g) => ({ scenario: `s${g}`, outcomes, infraErrors })),
});
const legacy = (c: CohortResults): LegacyCohort => ({ id: c.id, cells: new Map(c.cells.map((cell) => [cell.scenario, cell.outcomes])) });
const repeat = <T,>(count: number, make: (index: number) => T): T[] => Array.from({ length: count }, (_, index) => make(index));

describe('decideScorecard', () => {
  it('names a best only when it is significantly better than every other cohort, with an explanation', () => {
    const card = decideScorecard([cohort('A', repeat(12, () => [1, 1, 1])), cohort('B', repeat(12, () => [0, 0, 1])), cohort('C', repeat(12, () => [0, 0, 0]))]);
    expect(card.best).toBe('A');
    expect(card.familySize).toBe(3);
    const a = card.verdicts.find((v) => v.cohort === 'A');
    expect(a?.kind).toBe('best');
    expect(a?.explanation).toMatch(/^A is significantly better than each of the other 2 configurations; its narrowest win, over B, is better on \d+ of 12 shared scenarios .* still significant with 3 configurations compared \(3 pairwise tests\): Holm-adjusted p = /);
    const c = card.verdicts.find((v) => v.cohort === 'C');
    expect(c?.kind === 'significantly-worse' && c.worseThan.map((m) => m.other)).toEqual(['A', 'B']);
  });
  it('explains a "significantly worse" verdict with the family size and the Holm-adjusted p', () => {
    const cohorts = repeat(10, (k) => cohort(`M${k}`, repeat(16, (g) => (k === 9 ? [0, 0] : [g % 2, 1]))));
    const card = decideScorecard(cohorts);
    const worst = card.verdicts.find((v) => v.cohort === 'M9');
    expect(worst?.kind).toBe('significantly-worse');
    expect(worst?.explanation).toMatch(/^M9 is worse than M\d on 16 of 16 shared scenarios \(mean gap 75 points\); with 10 configurations compared \(45 pairwise tests\), this is still significant \(Holm-adjusted p = 0\.0014\); it is also significantly worse than M1, M2/);
    expect(card.verdicts.filter((v) => v.kind === 'top-group')).toHaveLength(9);
  });
  it('defect: infra-only cohorts are "nothing to rate" and stay out of the family', () => {
    const card = decideScorecard([cohort('A', repeat(8, () => [1, 0])), cohort('B', repeat(8, () => [1, 1])), cohort('broken', repeat(8, () => []), 3)]);
    const broken = card.verdicts.find((v) => v.cohort === 'broken');
    expect(broken?.kind === 'nothing-to-rate' && broken.infraErrors).toBe(24);
    expect(broken?.explanation).toContain('no model-answerable result (24 infra errors)');
    expect(card.familySize).toBe(1);
    expect(card.ratedCohorts).toBe(2);
  });
  it('defect: when nothing passed anywhere no best is named (today one is)', () => {
    const cohorts = [cohort('A', repeat(10, () => [0, 0])), cohort('B', repeat(10, () => [0, 0, 0]))];
    expect(legacyVerdicts(cohorts.map(legacy)).best).toBeDefined();
    const card = decideScorecard(cohorts);
    expect(card.status).toBe('nothing-passed');
    expect(card.best).toBeUndefined();
    expect(card.verdicts.every((v) => v.kind === 'nothing-passed')).toBe(true);
    expect(card.verdicts[0]?.explanation).toContain('no best is named');
  });
  it('defect: today a 1/1 cohort is "best" by point rate; now it is not, and nobody is called worse', () => {
    const lucky = cohort('lucky', [[1], ...repeat(9, () => [])]);
    const solid = cohort('solid', repeat(10, (g) => (g % 4 === 0 ? [0, 1, 1, 0, 1, 1] : [1, 1, 1, 1, 0, 1])));
    expect(legacyVerdicts([lucky, solid].map(legacy)).best).toBe('lucky');
    const card = decideScorecard([lucky, solid]);
    expect(card.best).toBeUndefined();
    expect(card.verdicts.map((v) => v.kind)).toEqual(['top-group', 'top-group']);
  });
  it('minimum-n rule: a cohort that wins every comparison on too few results is not named best', () => {
    const card = decideScorecard([cohort('A', repeat(6, () => [1])), cohort('B', repeat(6, () => [0]))], { minTrialsForBest: 10 });
    expect(card.best).toBeUndefined();
    const a = card.verdicts.find((v) => v.cohort === 'A');
    expect(a?.kind === 'top-group' && a.notBestBecause).toContain('needs 5 and 10');
    expect(card.verdicts.find((v) => v.cohort === 'B')?.kind).toBe('significantly-worse');
  });
  it('labels agree with the pairwise family in both directions on random scorecards', () => {
    const random = mulberry32(17);
    for (let trial = 0; trial < 40; trial += 1) {
      const k = 2 + (trial % 6);
      const quality = repeat(k, () => random());
      const cohorts = repeat(k, (c) => cohort(`c${c}`, repeat(12, () => repeat(1 + (trial % 4), () => (random() < (quality[c] ?? 0) ? 1 : 0)))));
      const card = decideScorecard(cohorts);
      const byId = new Map(card.verdicts.map((v) => [v.cohort, v]));
      expect(card.familySize).toBe((k * (k - 1)) / 2);
      expect(card.verdicts.filter((v) => v.kind === 'best').length).toBeLessThanOrEqual(1);
      for (const verdict of card.verdicts) {
        expect(verdict.explanation.length).toBeGreaterThan(20);
        if (verdict.kind !== 'significantly-worse') continue;
        for (const better of verdict.worseThan) {
          const other = byId.get(better.other);
          expect(other?.kind).not.toBe('nothing-to-rate');
          expect(other?.kind === 'significantly-worse' && other.worseThan.some((m) => m.other === verdict.cohort)).toBe(false);
          expect(other?.kind === 'best' && !other.beats.some((m) => m.other === verdict.cohort)).toBe(false);
        }
      }
      const best = card.verdicts.find((v) => v.kind === 'best');
      if (best?.kind === 'best') expect(best.beats).toHaveLength(k - 1);
    }
  });
  it("a top-group cohort that leads its closest rival states its own record, not the rival's", () => {
    const card = decideScorecard([cohort('A', [[1], [1], [0]]), cohort('B', [[0], [1], [0]])]);
    const a = card.verdicts.find((v) => v.cohort === 'A');
    expect(a?.explanation).toBe('A could be best: no configuration is significantly better, and it is not significantly better than B (it is better on 1 of 3 shared scenarios, worse on 0; Holm-adjusted p = 1.000 over the 1 pairwise test).');
    const b = card.verdicts.find((v) => v.cohort === 'B');
    expect(b?.explanation).toBe('No configuration is significantly better than B: the strongest challenger is A (better on 1 of 3 shared scenarios, worse on 0; Holm-adjusted p = 1.000 over the 1 pairwise test), so B could still be best.');
  });
  it('rejects duplicate ids', () => {
    expect(() => decideScorecard([cohort('A', [[1]]), cohort('A', [[0]])])).toThrow(RangeError);
  });
});
