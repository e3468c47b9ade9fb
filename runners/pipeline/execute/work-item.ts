import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';

/** A spec still to run, and the number its next attempt gets (resume continues the count). */
export interface WorkItem {
  spec: RunSpec;
  firstAttemptNumber: number;
}

/** An earlier run's result for a spec with identical inputs, used instead of running it again. */
export interface ReusableAttempt {
  runId: string;
  attempt: AttemptRecord;
}
