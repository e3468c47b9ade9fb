import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { specIdOf } from '../../core/domain/run-spec.ts';
import type { ReplayAttemptReport } from './replay-server.ts';

/**
 * The cassette a replayed attempt plays: the attempt recorded for the same scenario, prompt
 * variant, repeat and attempt number under the recorded target's id (`replayOf`, by default
 * the replay target's own id, in which case spec and attempt ids are the recorded ones).
 */
export function cassetteIdForReplay(spec: RunSpec, attemptNumber: number, replayOf: string | undefined): string {
  const recordedSpecId = replayOf === undefined || replayOf === spec.targetId ? spec.id : specIdOf({ ...spec, targetId: replayOf });
  return `${recordedSpecId}-a${attemptNumber}`;
}

/**
 * An attempt that missed the recording cannot be trusted as a re-check: whatever the agent
 * did after the miss was not the recorded model's doing. It ends as an endpoint infra error
 * naming the first miss, never as a pass or a model failure.
 */
export function applyReplayReport(record: AttemptRecord, report: ReplayAttemptReport): AttemptRecord {
  const first = report.misses[0];
  if (first === undefined) return record;
  const more = report.misses.length > 1 ? ` (+${report.misses.length - 1} more)` : '';
  return { ...record, outcome: { kind: 'infra-error', source: 'endpoint', message: `replay miss: ${first.reason}${more}` } };
}
