import type { ConcurrencySample } from '../../core/domain/concurrency.ts';
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
  /** Set for `run --until-decided`: the sequential design the rounds follow (`specs` is round 1). */
  adaptive?: AdaptiveDesignRecord | undefined;
}

/** One compared configuration of an adaptive run: a target × prompt variant, named `target/variant`. */
export interface AdaptiveCohort {
  id: string;
  targetId: string;
  promptVariantId: string;
}

/**
 * The sequential design of `run --until-decided`, fixed when the run starts (resume keeps it):
 * the fields of the statistics engine's SequentialDesign, plus the cohorts' parts and the caps.
 */
export interface AdaptiveDesignRecord {
  cohorts: AdaptiveCohort[];
  scenarios: string[];
  initialRepeats: number;
  /** Repeats added per sampled cell in rounds 2, 3, … */
  repeatsPerRound: number[];
  maxRounds: number;
  /** Most repeats any cell gets (the last round ends there). */
  maxRepeats: number;
  alpha: number;
  spendingExponent: number;
  dropAfterRepeats: number;
  futilityMargin: number;
  /** Attempt budget (`--budget`): a round that would pass it is not started. */
  maxAttempts?: number | undefined;
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
  /** `--until-decided`: run in rounds until every verdict is settled. */
  untilDecided?: boolean | undefined;
  maxRepeats?: number | undefined;
  budget?: number | undefined;
}

/** Appended when `run --resume` continues an interrupted run in the same log. */
export interface RunResumedEvent {
  v: 1;
  type: 'run.resumed';
  at: string;
  /** Specs still to run when the run resumed. */
  remainingSpecs: number;
}

/** Why an adaptive run stopped adding rounds (the statistics engine's StopReason). */
export type AdaptiveStopReason = 'settled' | 'futile' | 'max-rounds' | 'nothing-discriminates' | 'budget';

/** `run --until-decided`: a round was planned — its cells, the alpha its look spends, and its specs. */
export interface RoundPlannedEvent {
  v: 1;
  type: 'round.planned';
  at: string;
  /** 1-based. */
  round: number;
  /** The alpha the look after this round spends (α-spending over the design's rounds). */
  alpha: number;
  cells: Array<{ cohort: string; scenario: string; repeats: number }>;
  /** The specs of this round (new repeat indexes of the cells); round 1's are also run.started's. */
  specs: RunSpec[];
}

/** `run --until-decided`: no further round, and why. */
export interface AdaptiveStoppedEvent {
  v: 1;
  type: 'adaptive.stopped';
  at: string;
  /** Rounds run. */
  rounds: number;
  reason: AdaptiveStopReason;
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

/** A decision of `concurrency: auto` for one model server (every few seconds while it runs). */
export interface ConcurrencySampleEvent extends ConcurrencySample {
  v: 1;
  type: 'concurrency.sample';
}

export function buildConcurrencySampleEvent(sample: ConcurrencySample): ConcurrencySampleEvent {
  return { v: 1, type: 'concurrency.sample', ...sample };
}

export type HarnessEvent =
  | RunStartedEvent
  | RunResumedEvent
  | RoundPlannedEvent
  | AdaptiveStoppedEvent
  | AttemptStartedEvent
  | AttemptFinishedEvent
  | RunFinishedEvent
  | ServingMetricsEvent
  | ConcurrencySampleEvent;

/** Every spec the run planned: run.started's, then each later round's, each once. */
export function plannedSpecsOf(events: readonly HarnessEvent[]): RunSpec[] {
  const specs: RunSpec[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    const added = event.type === 'run.started' || event.type === 'round.planned' ? event.specs : [];
    for (const spec of added) {
      if (seen.has(spec.id)) continue;
      seen.add(spec.id);
      specs.push(spec);
    }
  }
  return specs;
}

/**
 * Envelope check used when reading a log back. Event bodies were written by this harness
 * from typed values; the envelope guards against foreign or future files.
 */
export const eventEnvelopeSchema = z
  .object({
    v: z.literal(EVENT_LOG_VERSION),
    type: z.enum(['run.started', 'run.resumed', 'round.planned', 'adaptive.stopped', 'attempt.started', 'attempt.finished', 'run.finished', 'serving.metrics', 'concurrency.sample']),
    at: z.string(),
  })
  .passthrough();
