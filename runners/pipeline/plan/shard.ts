import type { RunSpec } from '../../core/domain/run-spec.ts';
import { UserError } from '../../core/errors.ts';
import { detectShard, type ShardEnvironment } from './shard-environment.ts';

export interface ShardSelector {
  /** 1-based. */
  index: number;
  count: number;
}

/** `--shard i/n`, or `--shard auto`: the shard from the environment of the engine running the shards (see detectShard). */
export function parseShard(text: string, env: ShardEnvironment = process.env): ShardSelector {
  if (text.trim() === 'auto') {
    const detected = detectShard(env);
    if (detected.kind === 'refused') throw new UserError('CLI_USAGE', `--shard auto: ${detected.problem}. Fix: ${detected.fix}.`);
    return { index: detected.index, count: detected.count };
  }
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count) {
    throw new UserError('CLI_USAGE', `--shard ${text}: must be i/n with 1 ≤ i ≤ n, e.g. --shard 2/4, or auto (the shard from a GitHub Actions matrix or a Kubernetes Indexed Job)`);
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
