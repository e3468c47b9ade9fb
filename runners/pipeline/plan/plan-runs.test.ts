import { describe, expect, it } from 'vitest';
import type { ResolvedPromptVariant, ResolvedTarget } from '../../core/domain/target.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import { UserError } from '../../core/errors.ts';
import { specIdOf } from '../../core/domain/run-spec.ts';
import { planRuns } from './plan-runs.ts';

const scenario = (id: string) => ({ id }) as ResolvedScenario;
const target = (id: string) => ({ id }) as ResolvedTarget;
const variant = (id: string) => ({ id }) as ResolvedPromptVariant;

const input = {
  scenarios: [scenario('a'), scenario('b')],
  targets: [target('t1'), target('t2')],
  promptVariants: [variant('default')],
  repeats: 2,
};

describe('planRuns', () => {
  it('expands the full matrix with targets outermost', () => {
    const specs = planRuns(input);
    expect(specs).toHaveLength(8);
    expect(specs.slice(0, 4).every((spec) => spec.targetId === 't1')).toBe(true);
    expect(specs.map((spec) => `${spec.scenarioId}#${spec.repeatIndex}`).slice(0, 4)).toEqual(['a#0', 'a#1', 'b#0', 'b#1']);
  });

  it('gives deterministic, unique ids', () => {
    const first = planRuns(input).map((spec) => spec.id);
    expect(planRuns(input).map((spec) => spec.id)).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    expect(first[0]).toBe(specIdOf({ scenarioId: 'a', targetId: 't1', promptVariantId: 'default', repeatIndex: 0 }));
  });

  it('keeps ids stable when filtering', () => {
    const all = planRuns(input);
    const filtered = planRuns(input, { targetIds: ['t2'], scenarioIds: ['b'] });
    expect(filtered).toHaveLength(2);
    expect(filtered.map((spec) => spec.id)).toEqual(all.filter((s) => s.targetId === 't2' && s.scenarioId === 'b').map((s) => s.id));
  });

  it('rejects an unknown id in a filter, naming it', () => {
    expect(() => planRuns(input, { targetIds: ['nope'] })).toThrowError(UserError);
    expect(() => planRuns(input, { targetIds: ['nope'] })).toThrowError(/unknown target "nope".*t1, t2/);
  });
});
