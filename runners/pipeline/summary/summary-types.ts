import type { AttemptOutcome, AttemptRecord } from '../../core/domain/attempt.ts';
import type { CheckName } from '../../core/domain/check-result.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { RunStartedEvent } from '../events/event-types.ts';
import type { ServingMetricsRecord } from '../../core/domain/serving-metrics.ts';

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
  /** How the agent was confined (absent in logs written before isolation was recorded). */
  isolation?: RunStartedEvent['isolation'];
  targets: RunStartedEvent['targets'];
  scenarios: RunStartedEvent['scenarios'];
  promptVariants: RunStartedEvent['promptVariants'];
  renderedPrompts: RunStartedEvent['renderedPrompts'];
  renderedInstructions?: RunStartedEvent['renderedInstructions'];
  effectiveConfigs?: RunStartedEvent['effectiveConfigs'];
  specs: SpecSummary[];
  totals: OutcomeTotals;
  /** How many finished specs failed each check. */
  checkFailures: Record<CheckName, number>;
  /** Pass rates with intervals, reliability over repeats, paired comparisons and verdicts. */
  statistics: RunStatistics;
  /** vLLM's serving metrics per served-model group, when the endpoints expose /metrics. */
  servingMetrics?: ServingMetricsRecord[] | undefined;
}

// ---------------------------------------------------------------- statistics

/** A proportion with its Wilson interval. `passes` counts the event the rate is about (for a failure rate, the failures). */
export interface RateStatistic {
  passes: number;
  trials: number;
  /** passes / trials, or null with no trials. */
  rate: number | null;
  /** Wilson 95% interval. */
  interval: { low: number; high: number };
}

/** A group of attempts compared as a unit: one target × one prompt variant. */
export interface CohortKey {
  targetId: string;
  promptVariantId: string;
}

export interface CohortStatistics {
  key: CohortKey;
  model: string;
  quantization: string;
  /** Final outcome per spec; infra errors and pending specs are left out of `trials`. */
  pass: RateStatistic;
  infraErrors: number;
  timedOut: number;
  /** Specs with no finished attempt yet; left out of every rate. */
  pending: number;
  /** Attempts beyond each spec's first (retries), over the cohort. */
  retries: number;
  /** Mean over the cohort's cells of pass@k / pass^k, for k = 1 … the fewest model-attributable repeats of any cell. */
  passAtK: Record<number, number>;
  passHatK: Record<number, number>;
  /** Share of model-attributable specs failing each check. */
  checkFailureRates: Record<CheckName, RateStatistic>;
  violationRate: RateStatistic;
  /** Shares of model-attributable specs (0 when there are none; see `pass.trials`). */
  health: { textToolCallRate: number; invalidToolCallRate: number; contextOverflowRate: number; timeoutRate: number };
  /** Medians over the final attempts of model-attributable specs. */
  medianAttemptMs: number | null;
  medianAgentMs: number | null;
  medianTokens: number | null;
  /** Generated (output + reasoning) tokens per second of agent time, over model-attributable final attempts. */
  outputTokensPerSecond: number | null;
  /** Cost of every attempt (retries included) / passes; null when nothing cost anything or nothing passed. */
  costPerPassUsd: number | null;
}

export interface CellStatistics {
  scenarioId: string;
  key: CohortKey;
  pass: RateStatistic;
  passAtK: Record<number, number>;
  passHatK: Record<number, number>;
}

/** Exact McNemar over pairs (same scenario and repeat index) of two cohorts. */
export interface PairedComparison {
  a: CohortKey;
  b: CohortKey;
  pairs: number;
  onlyA: number;
  onlyB: number;
  /** Difference in pass rate over the pairs, a − b. */
  effect: number;
  pValue: number;
  /**
   * The smallest |effect| that could reach p < alpha with this many pairs (every discordant pair
   * one way): the noise floor. Null when no result on these pairs can be significant.
   */
  minimumDetectableEffect: number | null;
  /** Never a win or a regression unless p < alpha. */
  verdict: 'a-better' | 'b-better' | 'not-significant';
}

export interface CohortVerdict {
  key: CohortKey;
  verdict: 'best' | 'not-distinguishable-from-best' | 'significantly-worse';
  /** The comparison with the best cohort: a = this cohort, b = the best (absent for the best itself). */
  againstBest?: PairedComparison | undefined;
}

export interface RunStatistics {
  alpha: number;
  cells: CellStatistics[];
  cohorts: CohortStatistics[];
  /** Aggregates over everything a quantization label covers (same statistics shape). */
  byQuantization: Array<{ quantization: string; cohorts: CohortKey[]; pass: RateStatistic; outputTokensPerSecond: number | null; medianAgentMs: number | null }>;
  verdicts: CohortVerdict[];
  /** Every pair of cohorts, each once (a before b in cohort order). */
  comparisons: PairedComparison[];
}
