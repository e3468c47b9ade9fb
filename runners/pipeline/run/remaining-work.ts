import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { HarnessEvent } from '../events/event-types.ts';

export interface WorkItem {
  spec: RunSpec;
  /** The attempt number the next attempt of this spec gets. */
  firstAttemptNumber: number;
}

/** Finished attempts per spec, in log order. */
export function finishedAttemptsBySpec(events: readonly HarnessEvent[]): Map<string, AttemptRecord[]> {
  const bySpec = new Map<string, AttemptRecord[]>();
  for (const event of events) {
    if (event.type !== 'attempt.finished') continue;
    const list = bySpec.get(event.attempt.specId) ?? [];
    list.push(event.attempt);
    bySpec.set(event.attempt.specId, list);
  }
  return bySpec;
}

/**
 * What a resumed run still has to do. A spec is done when its last finished attempt was not an
 * infra error, or when its infra retries are used up. Attempts that started but never finished
 * (the run was killed) are not counted, so nothing is counted twice.
 */
export function planRemainingWork(specs: readonly RunSpec[], events: readonly HarnessEvent[], maxAttempts: number): WorkItem[] {
  const finished = finishedAttemptsBySpec(events);
  const work: WorkItem[] = [];
  for (const spec of specs) {
    const attempts = finished.get(spec.id) ?? [];
    const last = attempts.at(-1);
    const done = last !== undefined && (last.outcome.kind !== 'infra-error' || attempts.length >= maxAttempts);
    if (!done) work.push({ spec, firstAttemptNumber: attempts.length + 1 });
  }
  return work;
}
