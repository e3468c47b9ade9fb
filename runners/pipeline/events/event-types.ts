import { z } from 'zod';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { Isolation } from '../../core/domain/isolation.ts';
import type { RunFingerprints } from '../plan/fingerprints.ts';
import type { ServingMetricsRecord } from '../../core/domain/serving-metrics.ts';

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
  /** The system prompt each (scenario, prompt variant) pair rendered to, keyed `scenario/variant` (absent: OpenCode's own prompt). */
  renderedPrompts: Record<string, string>;
  /** The AGENTS.md each pair rendered to, for variants that have one. */
  renderedInstructions?: Record<string, string> | undefined;
  /** The OpenCode config each pair ran with (endpoints as placeholders, prompts by reference), deduplicated. */
  effectiveConfigs?: EffectiveConfigs | undefined;
  specs: RunSpec[];
  /** Hashes of what the run's results depend on: resume refuses when they changed. */
  fingerprints: RunFingerprints;
  /** Set when this run is one slice of a sharded plan. */
  shard?: { index: number; count: number; plannedSpecs: number } | undefined;
  /** The command-line choices that shaped the plan, re-applied on resume. */
  invocation?: Invocation | undefined;
  /** How the agent was confined in this run. */
  isolation?: Isolation | undefined;
}

/** OpenCode configs by id, and which one each `scenario/variant` pair used. */
export interface EffectiveConfigs {
  byPair: Record<string, string>;
  configs: Record<string, unknown>;
}

/** Command-line choices that change what a run plans (not how fast it runs). */
export interface Invocation {
  scenario?: string[] | undefined;
  target?: string[] | undefined;
  prompt?: string[] | undefined;
  filter?: string[] | undefined;
  endpoint?: string | undefined;
  model?: string | undefined;
  quantization?: string | undefined;
  apiKeyEnv?: string | undefined;
  repeats?: number | undefined;
  attemptTimeout?: number | undefined;
  shard?: string | undefined;
}

/** Appended when `run --resume` continues an interrupted run in the same log. */
export interface RunResumedEvent {
  v: 1;
  type: 'run.resumed';
  at: string;
  /** Specs still to run when the run resumed. */
  remainingSpecs: number;
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

/** vLLM's /metrics read around one served-model group: throughput, time to first token, queue time. */
export interface ServingMetricsEvent extends ServingMetricsRecord {
  v: 1;
  type: 'serving.metrics';
  at: string;
}

/** The event to append to the run's log for a measured (or unmeasurable) window. */
export function buildServingMetricsEvent(record: ServingMetricsRecord): ServingMetricsEvent {
  return { v: 1, type: 'serving.metrics', at: record.window.finishedAt, ...record };
}

export type HarnessEvent = RunStartedEvent | RunResumedEvent | AttemptStartedEvent | AttemptFinishedEvent | RunFinishedEvent | ServingMetricsEvent;

/**
 * Envelope check used when reading a log back. Event bodies were written by this harness
 * from typed values; the envelope guards against foreign or future files.
 */
export const eventEnvelopeSchema = z
  .object({
    v: z.literal(EVENT_LOG_VERSION),
    type: z.enum(['run.started', 'run.resumed', 'attempt.started', 'attempt.finished', 'run.finished', 'serving.metrics']),
    at: z.string(),
  })
  .passthrough();
