import { describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.ts';
import { detectShard, type ShardEnvironment } from './shard-environment.ts';
import { parseShard } from './shard.ts';

const ACTIONS = { GITHUB_ACTIONS: 'true', CI: 'true' };
const POD = { KUBERNETES_SERVICE_HOST: '10.96.0.1' };

describe('--shard auto', () => {
  it('reads a GitHub Actions matrix job: HARNESS_SHARD_INDEX from strategy.job-index (0-based), HARNESS_SHARD_TOTAL from strategy.job-total', () => {
    const env = { ...ACTIONS, HARNESS_SHARD_INDEX: '2', HARNESS_SHARD_TOTAL: '4' };
    expect(detectShard(env)).toEqual({ kind: 'detected', engine: 'github-actions', index: 3, count: 4 });
    expect(parseShard('auto', env)).toEqual({ index: 3, count: 4 });
  });

  it("reads a Kubernetes Indexed Job: JOB_COMPLETION_INDEX, and the completions count passed as HARNESS_SHARD_TOTAL", () => {
    const env = { ...POD, JOB_COMPLETION_INDEX: '0', HARNESS_SHARD_TOTAL: '3' };
    expect(detectShard(env)).toEqual({ kind: 'detected', engine: 'kubernetes', index: 1, count: 3 });
    expect(parseShard(' auto ', env)).toEqual({ index: 1, count: 3 });
    // The Job may pass the same index twice.
    expect(parseShard('auto', { ...env, HARNESS_SHARD_INDEX: '0' })).toEqual({ index: 1, count: 3 });
  });

  it('still takes i/n as given, whatever the environment', () => {
    expect(parseShard('2/4', { ...POD, JOB_COMPLETION_INDEX: '0', HARNESS_SHARD_TOTAL: '3' })).toEqual({ index: 2, count: 4 });
  });

  const refusals: Array<[string, ShardEnvironment, string[]]> = [
    ['outside a known engine', { HARNESS_SHARD_INDEX: '0', HARNESS_SHARD_TOTAL: '2' }, ['no engine that runs shards', 'GITHUB_ACTIONS=true', 'JOB_COMPLETION_INDEX', '--shard i/n']],
    ['a Kubernetes pod that is not an Indexed Job', POD, ['JOB_COMPLETION_INDEX is not set', 'completionMode: Indexed', 'HARNESS_SHARD_TOTAL']],
    ['GitHub Actions without the matrix variables', ACTIONS, ['HARNESS_SHARD_INDEX is not set and HARNESS_SHARD_TOTAL is not set', '${{ strategy.job-index }}', '${{ strategy.job-total }}']],
    ['GitHub Actions without the total', { ...ACTIONS, HARNESS_SHARD_INDEX: '1' }, ['on GitHub Actions, HARNESS_SHARD_TOTAL is not set']],
    ['an empty index (a matrix expression that named nothing)', { ...ACTIONS, HARNESS_SHARD_INDEX: '', HARNESS_SHARD_TOTAL: '2' }, ['HARNESS_SHARD_INDEX="" is not a whole number']],
    ['an index past the total', { ...ACTIONS, HARNESS_SHARD_INDEX: '4', HARNESS_SHARD_TOTAL: '4' }, ['HARNESS_SHARD_INDEX=4 is not an index of HARNESS_SHARD_TOTAL=4 shards', 'counts from 0']],
    ['a total of zero', { ...POD, JOB_COMPLETION_INDEX: '0', HARNESS_SHARD_TOTAL: '0' }, ['in a Kubernetes Indexed Job, JOB_COMPLETION_INDEX=0 is not an index of HARNESS_SHARD_TOTAL=0']],
    ['an Indexed Job without the completions count', { ...POD, JOB_COMPLETION_INDEX: '1' }, ['in a Kubernetes Indexed Job, HARNESS_SHARD_TOTAL is not set', "to the Job's completions"]],
    ['a total that is not a number', { ...POD, JOB_COMPLETION_INDEX: '1', HARNESS_SHARD_TOTAL: 'four' }, ['HARNESS_SHARD_TOTAL="four" is not a whole number']],
    ['two indexes that disagree', { ...POD, JOB_COMPLETION_INDEX: '1', HARNESS_SHARD_INDEX: '2', HARNESS_SHARD_TOTAL: '4' }, ['JOB_COMPLETION_INDEX=1 and HARNESS_SHARD_INDEX=2 disagree', 'leave HARNESS_SHARD_INDEX unset']],
  ];

  it.each(refusals)('refuses %s with a user error (exit 2) naming the variables and the fix', (_name, env, fragments) => {
    expect(detectShard(env).kind).toBe('refused');
    let thrown: unknown;
    try {
      parseShard('auto', env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    if (!(thrown instanceof UserError)) return;
    expect(thrown.code).toBe('CLI_USAGE');
    expect(thrown.message).toMatch(/^--shard auto: .*\. Fix: .*\.$/);
    for (const fragment of fragments) expect(thrown.message).toContain(fragment);
  });
});
