import type { RunSpec } from '../../core/domain/run-spec.ts';
import { UserError } from '../../core/errors.ts';

export interface ShardSelector {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string): ShardSelector {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count) {
    throw new UserError('CLI_USAGE', `--shard ${text}: must be i/n with 1 ≤ i ≤ n, e.g. --shard 2/4`);
  }
  return { index, count };
}

/**
 * A deterministic, contiguous slice of the plan: shard i of n gets specs
 * [floor((i-1)·N/n), floor(i·N/n)). Contiguous slices keep one served model's specs together,
 * and the shards in index order concatenate back to the whole plan.
 */
export function selectShard<T extends RunSpec>(specs: readonly T[], shard: ShardSelector): T[] {
  const start = Math.floor(((shard.index - 1) * specs.length) / shard.count);
  const end = Math.floor((shard.index * specs.length) / shard.count);
  return specs.slice(start, end);
}
