import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { CheckName, Violation } from '../../core/domain/check-result.ts';
import { wilsonInterval } from '../statistics/binary.ts';
import type { CohortKey, RateStatistic, SpecSummary } from './summary-types.ts';

/**
 * Facts about one spec's final attempt, shared by the statistics, the comparison and the
 * reporters. A spec is model-attributable when its final outcome is the model's doing: passed,
 * failed or timed out. Infra errors and pending specs never enter a denominator.
 */
export function isModelAttributable(spec: SpecSummary): boolean {
  const { kind } = spec.outcome;
  return kind === 'passed' || kind === 'failed' || kind === 'timed-out';
}

export function isPassed(spec: SpecSummary): boolean {
  return spec.outcome.kind === 'passed';
}

/** The attempt that decided the spec's outcome (the last one), if any finished. */
export function finalAttemptOf(spec: SpecSummary): AttemptRecord | undefined {
  return spec.attempts.at(-1);
}

/** Checks the final attempt failed: from the outcome and from the check results themselves. */
export function failedChecksOf(spec: SpecSummary): Set<CheckName> {
  const names = new Set<CheckName>(spec.outcome.kind === 'failed' ? spec.outcome.failedChecks : []);
  for (const check of finalAttemptOf(spec)?.checks ?? []) if (check.status === 'failed') names.add(check.check);
  return names;
}

/** Every violation the permissions check found in the final attempt, effective or attempted. */
export function violationsOf(spec: SpecSummary): Violation[] {
  for (const check of finalAttemptOf(spec)?.checks ?? []) {
    if (check.check === 'permissions' && check.status !== 'errored') return check.evidence.violations;
  }
  return [];
}

export interface HealthFlags {
  textToolCalls: boolean;
  invalidToolCalls: boolean;
  contextOverflow: boolean;
}

export function healthFlagsOf(spec: SpecSummary): HealthFlags {
  for (const check of finalAttemptOf(spec)?.checks ?? []) {
    if (check.check === 'agent-health' && check.status !== 'errored') {
      const { evidence } = check;
      return { textToolCalls: evidence.textToolCalls.length > 0, invalidToolCalls: evidence.invalidToolCalls.length > 0, contextOverflow: evidence.contextOverflow };
    }
  }
  return { textToolCalls: false, invalidToolCalls: false, contextOverflow: false };
}

export function toRate(passes: number, trials: number): RateStatistic {
  return { passes, trials, rate: trials === 0 ? null : passes / trials, interval: wilsonInterval(passes, trials) };
}

/** A stable map key for a cohort. */
export function cohortIdOf(key: CohortKey): string {
  return JSON.stringify([key.targetId, key.promptVariantId]);
}

export function cohortKeyOf(spec: SpecSummary): CohortKey {
  return { targetId: spec.spec.targetId, promptVariantId: spec.spec.promptVariantId };
}

/** Groups items by a string key, keeping first-seen order of keys and items. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [item]);
    else list.push(item);
  }
  return groups;
}
