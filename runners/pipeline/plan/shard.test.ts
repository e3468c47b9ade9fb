import { describe, expect, it } from 'vitest';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { UserError } from '../../core/errors.ts';
import { parseShard, selectShard } from './shard.ts';

const specs: RunSpec[] = Array.from({ length: 10 }, (_, index) => ({
  id: `s${index}`,
  scenarioId: 'a',
  targetId: 't',
  promptVariantId: 'p',
  repeatIndex: index,
}));

describe('selectShard', () => {
  it('splits into contiguous slices that concatenate back to the plan', () => {
    for (const count of [1, 2, 3, 4, 7, 10, 13]) {
      const slices = Array.from({ length: count }, (_, index) => selectShard(specs, { index: index + 1, count }));
      expect(slices.flat()).toEqual(specs);
      const sizes = slices.map((slice) => slice.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('is deterministic', () => {
    expect(selectShard(specs, { index: 2, count: 3 })).toEqual(selectShard([...specs], { index: 2, count: 3 }));
  });
});

describe('parseShard', () => {
  it('parses i/n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
  });

  it.each(['0/2', '3/2', '1', 'a/b', '1/0', '-1/2'])('rejects %s', (text) => {
    expect(() => parseShard(text)).toThrowError(UserError);
  });
});
