import type { ResolvedPromptVariant, ResolvedTarget } from '../../core/domain/target.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import { specIdOf, type RunSpec } from '../../core/domain/run-spec.ts';
import { UserError } from '../../core/errors.ts';
import { orderTargetsByServedModel } from './served-model-groups.ts';

export interface PlanInput {
  scenarios: ResolvedScenario[];
  targets: ResolvedTarget[];
  promptVariants: ResolvedPromptVariant[];
  repeats: number;
}

export interface PlanFilters {
  scenarioIds?: string[] | undefined;
  targetIds?: string[] | undefined;
  promptVariantIds?: string[] | undefined;
  /** Keep scenarios carrying any of these tags. */
  tags?: string[] | undefined;
}

/**
 * Turns scenarios × targets × prompt variants × repeats into a flat, ordered list of specs.
 * Pure and synchronous. Targets are the outer loop so one served model's attempts run together.
 */
export function planRuns(input: PlanInput, filters: PlanFilters = {}): RunSpec[] {
  const scenarios = selectByTag(selectById('scenario', input.scenarios, filters.scenarioIds), filters.tags);
  // Targets sharing a served model (base URL + model) are adjacent: one model switch per group.
  const targets = orderTargetsByServedModel(selectById('target', input.targets, filters.targetIds));
  const variants = selectById('prompt variant', input.promptVariants, filters.promptVariantIds);
  const specs: RunSpec[] = [];
  for (const target of targets) {
    for (const variant of variants) {
      for (const scenario of scenarios) {
        for (let repeatIndex = 0; repeatIndex < input.repeats; repeatIndex += 1) {
          const parts = { scenarioId: scenario.id, targetId: target.id, promptVariantId: variant.id, repeatIndex };
          specs.push({ id: specIdOf(parts), ...parts });
        }
      }
    }
  }
  return specs;
}

function selectById<T extends { id: string }>(noun: string, items: T[], wanted: string[] | undefined): T[] {
  if (wanted === undefined || wanted.length === 0) return items;
  const known = new Set(items.map((item) => item.id));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UserError(
      'FILTER_INVALID',
      `unknown ${noun} ${unknown.map((id) => `"${id}"`).join(', ')} in the filter; known: ${[...known].join(', ')}`,
    );
  }
  const keep = new Set(wanted);
  return items.filter((item) => keep.has(item.id));
}

function selectByTag(scenarios: ResolvedScenario[], tags: string[] | undefined): ResolvedScenario[] {
  if (tags === undefined || tags.length === 0) return scenarios;
  const known = new Set(scenarios.flatMap((scenario) => scenario.tags));
  const unknown = tags.filter((tag) => !known.has(tag));
  if (unknown.length > 0) {
    throw new UserError('FILTER_INVALID', `no scenario has tag ${unknown.map((tag) => `"${tag}"`).join(', ')}; tags in use: ${[...known].sort().join(', ')}`);
  }
  return scenarios.filter((scenario) => scenario.tags.some((tag) => tags.includes(tag)));
}
