import type { AttemptOutcome, AttemptRecord, CheckName, RunSpec } from '../domain.ts';
import type { RunStartedEvent } from '../events/event-types.ts';

export interface SpecSummary {
  spec: RunSpec;
  /** Every attempt of the spec, in order; infra-error attempts are kept. */
  attempts: AttemptRecord[];
  /** The spec's outcome: its last attempt's, or `pending` when none finished. */
  outcome: AttemptOutcome | { kind: 'pending' };
}

export interface OutcomeTotals {
  specs: number;
  passed: number;
  failed: number;
  timedOut: number;
  infraErrors: number;
  pending: number;
}

export interface RunSummary {
  version: 1;
  runId: string;
  startedAt: string;
  finishedAt: string | null;
  /** `complete` once run.finished is logged and no spec is pending. */
  status: 'complete' | 'incomplete';
  scriptedModel: boolean;
  harnessVersion: string;
  opencodeVersion: string;
  configFile: string;
  targets: RunStartedEvent['targets'];
  scenarios: RunStartedEvent['scenarios'];
  promptVariants: RunStartedEvent['promptVariants'];
  renderedPrompts: RunStartedEvent['renderedPrompts'];
  specs: SpecSummary[];
  totals: OutcomeTotals;
  /** How many finished specs failed each check. */
  checkFailures: Record<CheckName, number>;
}
