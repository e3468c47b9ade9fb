import path from 'node:path';
import type { ResolvedConfig } from '../../inputs/config/load-config.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import { UserError } from '../../core/errors.ts';
import type { Invocation } from '../events/event-types.ts';
import type { PlanFilters } from '../plan/plan-runs.ts';

const FILTER_KEYS = ['scenario', 'target', 'prompt', 'tag'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/** `--filter key=value` (repeatable) plus the -s/-t/-p shortcuts, as plan filters. */
export function filtersOf(invocation: Invocation): PlanFilters {
  const wanted: Record<FilterKey, string[]> = {
    scenario: [...(invocation.scenario ?? [])],
    target: [...(invocation.target ?? [])],
    prompt: [...(invocation.prompt ?? [])],
    tag: [],
  };
  for (const expression of invocation.filter ?? []) {
    const match = /^([a-z]+)=(.+)$/.exec(expression);
    const key = match?.[1] as FilterKey | undefined;
    if (match === null || key === undefined || !FILTER_KEYS.includes(key)) {
      throw new UserError('FILTER_INVALID', `--filter ${expression}: must be key=value with key one of ${FILTER_KEYS.join(', ')} (e.g. --filter tag=trap)`);
    }
    wanted[key].push(...(match[2] ?? '').split(','));
  }
  return { scenarioIds: wanted.scenario, targetIds: wanted.target, promptVariantIds: wanted.prompt, tags: wanted.tag };
}

/** Applies the command line (ad-hoc target, repeats, output folder, concurrency) to the config. */
export function applyInvocation(
  config: ResolvedConfig,
  invocation: Invocation,
  local: { out?: string | undefined; concurrency?: number | 'auto' | undefined },
): ResolvedConfig {
  let targets = config.targets;
  if (invocation.endpoint !== undefined || invocation.model !== undefined) {
    if (invocation.endpoint === undefined || invocation.model === undefined) {
      throw new UserError('CLI_USAGE', '--endpoint and --model go together: e.g. --endpoint http://gpu:8000/v1 --model Qwen/Qwen2.5-Coder-14B-Instruct');
    }
    if (!/^https?:\/\//.test(invocation.endpoint)) throw new UserError('CLI_USAGE', `--endpoint ${invocation.endpoint}: must be an http(s) URL ending in /v1`);
    const adHoc: ResolvedTarget = {
      kind: 'openai-compatible',
      id: `adhoc-${invocation.model.replace(/[^A-Za-z0-9._-]/g, '_')}`,
      model: invocation.model,
      baseURL: invocation.endpoint,
      apiKeyEnv: invocation.apiKeyEnv,
      quantization: invocation.quantization ?? 'unknown',
      limits: { context: 32768, output: 4096 },
      sampling: { temperature: 0 },
    };
    targets = [adHoc];
  }
  return {
    ...config,
    targets,
    outputDir: local.out === undefined ? config.outputDir : path.resolve(local.out),
    repeats: invocation.repeats ?? config.repeats,
    concurrency: local.concurrency ?? config.concurrency,
  };
}
