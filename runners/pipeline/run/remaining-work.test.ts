import { describe, expect, it } from 'vitest';
import type { AttemptOutcome, AttemptRecord } from '../../core/domain/attempt.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { HarnessEvent } from '../events/event-types.ts';
import { planRemainingWork } from './remaining-work.ts';

const spec = (id: string): RunSpec => ({ id, scenarioId: 'a', targetId: 't', promptVariantId: 'p', repeatIndex: 0 });
const finished = (specId: string, attemptNumber: number, outcome: AttemptOutcome): HarnessEvent => ({
  v: 1,
  type: 'attempt.finished',
  at: '',
  attempt: { specId, attemptNumber, attemptId: `${specId}-a${attemptNumber}`, outcome } as AttemptRecord,
});
const started = (specId: string, attemptNumber: number): HarnessEvent => ({
  v: 1,
  type: 'attempt.started',
  at: '',
  specId,
  attemptId: `${specId}-a${attemptNumber}`,
  attemptNumber,
});
const infra: AttemptOutcome = { kind: 'infra-error', source: 'endpoint', message: 'down' };

describe('planRemainingWork', () => {
  const specs = [spec('done'), spec('failed'), spec('killed'), spec('infra-once'), spec('infra-exhausted'), spec('untouched')];
  const events: HarnessEvent[] = [
    started('done', 1),
    finished('done', 1, { kind: 'passed' }),
    started('failed', 1),
    finished('failed', 1, { kind: 'failed', failedChecks: ['tests'] }),
    started('killed', 1),
    started('infra-once', 1),
    finished('infra-once', 1, infra),
    finished('infra-exhausted', 1, infra),
    finished('infra-exhausted', 2, infra),
    finished('infra-exhausted', 3, infra),
  ];

  it('reruns only unfinished specs and infra errors with retries left, never model failures', () => {
    const work = planRemainingWork(specs, events, 3);
    expect(work.map((item) => [item.spec.id, item.firstAttemptNumber])).toEqual([
      ['killed', 1],
      ['infra-once', 2],
      ['untouched', 1],
    ]);
  });

  it('with no events, everything is to do from attempt 1', () => {
    expect(planRemainingWork(specs, [], 3).every((item) => item.firstAttemptNumber === 1)).toBe(true);
  });
});
