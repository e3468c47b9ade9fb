/**
 * `--shard auto`: the shard from the environment of the engine that runs the shards, so that one
 * command line serves every member of a CI matrix or every pod of a Job. Neither engine puts both
 * numbers in the environment by itself:
 * - GitHub Actions has no shard variables; a matrix job sets `HARNESS_SHARD_INDEX` from
 *   `${{ strategy.job-index }}` and `HARNESS_SHARD_TOTAL` from `${{ strategy.job-total }}`
 *   (detected by `GITHUB_ACTIONS=true`).
 * - A Kubernetes Indexed Job gives each pod `JOB_COMPLETION_INDEX` but not the completions
 *   count: the Job passes it as `HARNESS_SHARD_TOTAL`.
 * Both indexes count from 0; shards count from 1.
 */

/** The variables the workflow or the Job sets; the engines' own are named where they are read. */
export const SHARD_INDEX_VARIABLE = 'HARNESS_SHARD_INDEX';
export const SHARD_TOTAL_VARIABLE = 'HARNESS_SHARD_TOTAL';
/** Set by Kubernetes in every pod of an Indexed Job; exported so the recipes' test can hold the manifests to it. */
export const KUBERNETES_INDEX_VARIABLE = 'JOB_COMPLETION_INDEX';

export type ShardEngine = 'github-actions' | 'kubernetes';

export type ShardEnvironment = Readonly<Record<string, string | undefined>>;

export type ShardDetection =
  /** Shard `index` (1-based) of `count`. */
  | { kind: 'detected'; engine: ShardEngine; index: number; count: number }
  /** What is wrong with the environment, and how to fix it. */
  | { kind: 'refused'; problem: string; fix: string };

const GITHUB_FIX = `in the matrix job set env ${SHARD_INDEX_VARIABLE}: \${{ strategy.job-index }} and ${SHARD_TOTAL_VARIABLE}: \${{ strategy.job-total }}`;
const KUBERNETES_FIX = `run the pods as a Job with completionMode: Indexed (Kubernetes sets ${KUBERNETES_INDEX_VARIABLE}) and set ${SHARD_TOTAL_VARIABLE} to the Job's completions`;
const EXPECTED = `expected GitHub Actions (GITHUB_ACTIONS=true, ${SHARD_INDEX_VARIABLE} and ${SHARD_TOTAL_VARIABLE}) or a Kubernetes Indexed Job (${KUBERNETES_INDEX_VARIABLE} and ${SHARD_TOTAL_VARIABLE})`;

/** Which shard this process is, from its engine's environment; `refused` says what is missing or inconsistent. */
export function detectShard(env: ShardEnvironment): ShardDetection {
  const kubernetesIndex = env[KUBERNETES_INDEX_VARIABLE];
  const matrixIndex = env[SHARD_INDEX_VARIABLE];
  if (kubernetesIndex !== undefined) {
    if (matrixIndex !== undefined && matrixIndex !== kubernetesIndex) {
      return {
        kind: 'refused',
        problem: `${KUBERNETES_INDEX_VARIABLE}=${kubernetesIndex} and ${SHARD_INDEX_VARIABLE}=${matrixIndex} disagree about this shard's index`,
        fix: `in a Kubernetes Indexed Job leave ${SHARD_INDEX_VARIABLE} unset (the index is ${KUBERNETES_INDEX_VARIABLE})`,
      };
    }
    return readNumbers('kubernetes', KUBERNETES_INDEX_VARIABLE, env, KUBERNETES_FIX);
  }
  if (env.GITHUB_ACTIONS === 'true') return readNumbers('github-actions', SHARD_INDEX_VARIABLE, env, GITHUB_FIX);
  if (env.KUBERNETES_SERVICE_HOST !== undefined) {
    return { kind: 'refused', problem: `this is a Kubernetes pod, but ${KUBERNETES_INDEX_VARIABLE} is not set (not an Indexed Job); ${EXPECTED}`, fix: KUBERNETES_FIX };
  }
  return { kind: 'refused', problem: `no engine that runs shards was found in the environment; ${EXPECTED}`, fix: 'run it there, or name the shard yourself with --shard i/n' };
}

function readNumbers(engine: ShardEngine, indexVariable: string, env: ShardEnvironment, fix: string): ShardDetection {
  const where = engine === 'kubernetes' ? 'in a Kubernetes Indexed Job' : 'on GitHub Actions';
  const index = readWholeNumber(indexVariable, env[indexVariable]);
  const count = readWholeNumber(SHARD_TOTAL_VARIABLE, env[SHARD_TOTAL_VARIABLE]);
  const unreadable = [index, count].flatMap((read) => (read.kind === 'bad' ? [read.problem] : []));
  if (index.kind === 'bad' || count.kind === 'bad') return { kind: 'refused', problem: `${where}, ${unreadable.join(' and ')}`, fix };
  if (count.value < 1 || index.value >= count.value) {
    return {
      kind: 'refused',
      problem: `${where}, ${indexVariable}=${index.value} is not an index of ${SHARD_TOTAL_VARIABLE}=${count.value} shards (it counts from 0 to ${SHARD_TOTAL_VARIABLE} - 1)`,
      fix,
    };
  }
  return { kind: 'detected', engine, index: index.value + 1, count: count.value };
}

type NumberRead = { kind: 'read'; value: number } | { kind: 'bad'; problem: string };

function readWholeNumber(name: string, value: string | undefined): NumberRead {
  if (value === undefined) return { kind: 'bad', problem: `${name} is not set` };
  if (!/^\d+$/.test(value.trim())) return { kind: 'bad', problem: `${name}=${JSON.stringify(value)} is not a whole number` };
  return { kind: 'read', value: Number(value.trim()) };
}
