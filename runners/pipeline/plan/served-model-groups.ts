import type { ResolvedTarget } from '../../core/domain/target.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';

/**
 * Which model server a target needs: one GPU serves one model at a time, so targets with the
 * same (base URL, served model) run together and a model switch happens once per group.
 * Scripted targets share the embedded server, which serves every profile at once.
 */
export function servedModelKeyOf(target: ResolvedTarget): string {
  switch (target.kind) {
    case 'scripted':
      return 'scripted';
    case 'openai-compatible':
      return `${normalizeBaseURL(target.baseURL)} ${target.model}`;
    case 'replay':
      return `replay ${target.cassettesDir}`;
  }
}

function normalizeBaseURL(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return baseURL;
  }
}

/** Targets reordered so that each served model's targets are adjacent; otherwise in their given order. */
export function orderTargetsByServedModel<T extends ResolvedTarget>(targets: readonly T[]): T[] {
  const groups = new Map<string, T[]>();
  for (const target of targets) {
    const key = servedModelKeyOf(target);
    const group = groups.get(key) ?? [];
    group.push(target);
    groups.set(key, group);
  }
  return [...groups.values()].flat();
}

/** A run of consecutive specs whose targets share one served model. */
export interface ServedModelGroup {
  key: string;
  /** The targets of the group, in plan order; bring the group up with the first one's `serve`. */
  targetIds: string[];
  specs: RunSpec[];
}

/**
 * Cuts a planned spec list into consecutive groups by served model (the plan already puts
 * each model's specs together). Execution runs the groups one after another: bring the model
 * up, open a serving-metrics window, run the group's specs, close the window.
 */
export function groupSpecsByServedModel(specs: readonly RunSpec[], targets: ReadonlyMap<string, ResolvedTarget>): ServedModelGroup[] {
  const groups: ServedModelGroup[] = [];
  for (const spec of specs) {
    const target = targets.get(spec.targetId);
    if (target === undefined) throw new Error(`internal: spec ${spec.id} names unknown target "${spec.targetId}"`);
    const key = servedModelKeyOf(target);
    const last = groups.at(-1);
    if (last?.key === key) {
      last.specs.push(spec);
      if (!last.targetIds.includes(target.id)) last.targetIds.push(target.id);
    } else {
      groups.push({ key, targetIds: [target.id], specs: [spec] });
    }
  }
  return groups;
}
