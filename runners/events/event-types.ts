import { z } from 'zod';
import type { AttemptRecord, ResolvedTarget, RunSpec } from '../domain.ts';

/** Bumped when an event's shape changes incompatibly; readers refuse other versions. */
export const EVENT_LOG_VERSION = 1;

/** A target as recorded: everything but secrets (the API key's env var name only). */
export type RecordedTarget = ResolvedTarget;

export interface RunStartedEvent {
  v: 1;
  type: 'run.started';
  at: string;
  runId: string;
  harnessVersion: string;
  opencodeVersion: string;
  configFile: string;
  /** True when any target is served by the embedded scripted model. */
  scriptedModel: boolean;
  targets: RecordedTarget[];
  scenarios: Array<{ id: string; title: string; fixture: string; tags: string[]; turns: string[] }>;
  promptVariants: Array<{ id: string; description: string }>;
  /** The system prompt each (scenario, prompt variant) pair rendered to, keyed `scenario/variant`. */
  renderedPrompts: Record<string, string>;
  specs: RunSpec[];
}

export interface AttemptStartedEvent {
  v: 1;
  type: 'attempt.started';
  at: string;
  specId: string;
  attemptId: string;
  attemptNumber: number;
}

export interface AttemptFinishedEvent {
  v: 1;
  type: 'attempt.finished';
  at: string;
  attempt: AttemptRecord;
}

export interface RunFinishedEvent {
  v: 1;
  type: 'run.finished';
  at: string;
  durationMs: number;
}

export type HarnessEvent = RunStartedEvent | AttemptStartedEvent | AttemptFinishedEvent | RunFinishedEvent;

/**
 * Envelope check used when reading a log back. Event bodies were written by this harness
 * from typed values; the envelope guards against foreign or future files.
 */
export const eventEnvelopeSchema = z
  .object({
    v: z.literal(EVENT_LOG_VERSION),
    type: z.enum(['run.started', 'attempt.started', 'attempt.finished', 'run.finished']),
    at: z.string(),
  })
  .passthrough();
