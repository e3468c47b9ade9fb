import type { AttemptOutcome, AttemptRecord } from '../../core/domain/attempt.ts';
import type { CheckName } from '../../core/domain/check-result.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { RunStartedEvent } from '../events/event-types.ts';
import type { ServingMetricsRecord } from '../../core/domain/serving-metrics.ts';
import type { ConcurrencyTimeline } from './summarize-concurrency.ts';
import type { AdaptiveSummary } from './adaptive-summary.ts';

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
  /** `concurrency: auto`'s decisions per model server, when the run used it. */
  concurrency?: ConcurrencyTimeline[] | undefined;
  /** `run --until-decided`: the stopping rule, the rounds, why it stopped and the attempts saved. */
  adaptive?: AdaptiveSummary | undefined;
}

// ---------------------------------------------------------------- statistics

export interface Interval {
  low: number;
  high: number;
}

/** A proportion with its Wilson interval. `passes` counts the event the rate is about (for a failure rate, the failures). */
export interface RateStatistic {
  passes: number;
  trials: number;
  /** passes / trials, or null with no trials. */
  rate: number | null;
  /** Wilson 95% interval (the attempts taken as independent: right within one scenario). */
  interval: Interval;
}

/**
 * How a cohort-level interval was computed:
 * - `clustered-wilson`: scenarios are the clusters (repeats of one scenario are correlated): a
 *   Wilson interval on the effective sample size n/deff with a t quantile on G − 1 degrees of
 *   freedom (Korn & Graubard 1998), around the mean of the per-scenario rates;
 * - `one-scenario-wilson`: a single scenario: Wilson over its repeats, which speaks for that
 *   scenario only;
 * - `none`: nothing to rate (the interval is [0, 1]).
 */
export type RateIntervalMethod = 'clustered-wilson' | 'one-scenario-wilson' | 'none';

/** A rate over a cohort's scenarios, with the scenario-clustered interval. */
export interface ScenarioRateStatistic extends RateStatistic {
  /** Mean over scenarios of each scenario's rate (every scenario weighs the same); null with no trials. */
  rate: number | null;
  method: RateIntervalMethod;
  /** Scenarios with at least one model-answerable attempt: the clusters (G). */
  scenarios: number;
  /** Cluster-robust variance over the variance if every attempt were independent (≥ 1); null unless clustered. */
  designEffect: number | null;
  /** passes / trials, which weighs scenarios by their repeats; equals `rate` when every scenario has the same repeats. */
  pooledRate: number | null;
}

/**
 * The graded score of a cohort: the mean over scenarios of the mean per-attempt score in [0, 1]
 * (see attempt-score.ts for the rule), with the same scenario-clustered interval as the pass
 * rate. Pass/fail stays the headline; the score is the tuner's more sensitive instrument.
 */
export interface ScoreStatistic {
  /** Null with no model-answerable attempt. */
  mean: number | null;
  interval: Interval;
  method: RateIntervalMethod;
  scenarios: number;
  /** Model-answerable attempts scored (infra errors have no score). */
  attempts: number;
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
  pass: ScenarioRateStatistic;
  /** The graded score beside the pass rate (the tuner's instrument). */
  score: ScoreStatistic;
  infraErrors: number;
  timedOut: number;
  /** Specs with no finished attempt yet; left out of every rate. */
  pending: number;
  /** Attempts beyond each spec's first (retries), over the cohort. */
  retries: number;
  /** Mean over the cohort's cells of pass@k / pass^k, for k = 1 … the fewest model-attributable repeats of any cell. */
  passAtK: Record<number, number>;
  passHatK: Record<number, number>;
  /** Share of model-attributable specs failing each check, clustered by scenario. */
  checkFailureRates: Record<CheckName, ScenarioRateStatistic>;
  /** Share of model-attributable specs with at least one permission violation, clustered by scenario. */
  violationRate: ScenarioRateStatistic;
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
  /** What the cohort's attempts did with OpenCode's TODOs, subagents and compaction. */
  features: FeatureStatistics;
}

/**
 * How a cohort's attempts used the OpenCode features the platform is evaluated with, summed over
 * every attempt the model answered (infra errors left out, retries of them included), each
 * attempt read by `describeFeatureUse`. Counts are kept beside every rate, so a small one reads honestly.
 */
export interface FeatureStatistics {
  /** Attempts the numbers are over: every attempt that was not an infra error. */
  attempts: number;
  todos: {
    /** Attempts that wrote a TODO list. */
    attempts: number;
    /** Distinct items written, summed over attempts. */
    created: number;
    /** Items the final lists mark completed. */
    completed: number;
    /** Items the final lists leave pending or in progress. */
    open: number;
    cancelled: number;
    /** completed / created; null when no item was written. */
    completionRate: number | null;
  };
  subagents: {
    /** Attempts that started at least one subagent. */
    attempts: number;
    started: number;
    /** Model calls of the subagents, all together. */
    steps: number;
    /** Every agent a subagent ran as, in first-seen order. */
    agents: string[];
  };
  compactions: {
    /** Attempts that compacted at least once. */
    attempts: number;
    count: number;
    /** Compactions triggered by an overflow error from the endpoint. */
    afterOverflow: number;
    /** Attempts that compacted and then passed: compaction does not stop a pass from counting. */
    passed: number;
  };
}

export interface CellStatistics {
  scenarioId: string;
  key: CohortKey;
  /** The repeats of one scenario: Wilson over them is the right interval here. */
  pass: RateStatistic;
  /** Mean graded score of the cell's model-attributable repeats; null when there are none. */
  meanScore: number | null;
  passAtK: Record<number, number>;
  passHatK: Record<number, number>;
}

/**
 * A paired difference between two cohorts (or one cohort in two runs) with the scenario as the
 * unit: per shared scenario the difference of the mean outcomes, averaged over scenarios. Tested
 * by the exact sign-flip permutation test over scenarios; Holm-adjusted within its family.
 */
export type PairedDifferenceStatistic =
  | { kind: 'no-shared-scenarios'; scenarios: 0; familySize: number; verdict: 'not-significant' }
  | {
      kind: 'compared';
      /** Scenarios with an answerable result on both sides. */
      scenarios: number;
      /** Mean over scenarios of (mean a − mean b): positive means a is better. */
      effect: number;
      /** 95% t interval over scenarios on G − 1 df, clipped to [−1, 1]. */
      interval: Interval;
      /** Two-sided exact sign-flip p-value over scenarios. */
      pValue: number;
      /** Holm-adjusted p-value within the family. */
      adjustedP: number;
      /** Tests in the Holm family this one was adjusted in. */
      familySize: number;
      /** Scenarios where a did better, worse, the same. */
      aBetter: number;
      bBetter: number;
      ties: number;
      /** A winner only when the Holm-adjusted p-value is below alpha. */
      verdict: 'a-better' | 'b-better' | 'not-significant';
    };

/** Two cohorts compared on pass/fail (the headline) and on the graded score (the tuner's instrument). */
export interface PairedComparison {
  a: CohortKey;
  b: CohortKey;
  pass: PairedDifferenceStatistic;
  score: PairedDifferenceStatistic;
}

export type CohortVerdictKind = 'best' | 'top-group' | 'significantly-worse' | 'nothing-to-rate' | 'nothing-passed';

export interface CohortVerdict {
  key: CohortKey;
  /**
   * - `best`: significantly better than every other rated cohort, with ≥ 5 scenarios and ≥ 10 answerable attempts;
   * - `top-group`: no cohort is significantly better (it could be best);
   * - `significantly-worse`: at least one cohort is significantly better (named in `worseThan`);
   * - `nothing-to-rate`: no model-answerable result (infra errors or pending only);
   * - `nothing-passed`: no cohort passed anything, so no best is named.
   */
  verdict: CohortVerdictKind;
  /** One plain sentence: the comparison behind the verdict and the family it survived. */
  explanation: string;
  /** The cohorts this one is significantly better than. */
  betterThan: CohortKey[];
  /** The cohorts significantly better than this one, the strongest evidence first. */
  worseThan: CohortKey[];
}

/** The scorecard: every pair of rated cohorts compared as ONE Holm family. */
export interface RunVerdicts {
  status: 'rated' | 'nothing-passed' | 'nothing-to-rate';
  /** Named only when significantly better than every other cohort; null otherwise. */
  best: CohortKey | null;
  /** Pairwise tests in the family. */
  familySize: number;
  /** Cohorts with at least one model-answerable result. */
  ratedCohorts: number;
  alpha: number;
  cohorts: CohortVerdict[];
}

/** Where the power parameters came from: this run's paired data, an earlier run's (by id), or cautious defaults. */
export type PowerParameterSource = { kind: 'this run' } | { kind: 'previous run'; runId: string } | { kind: 'defaults'; reason: string };

/** What the run's design can detect: the smallest gap found with 80% power. */
export interface PowerStatistic {
  scenarios: number;
  /** Repeats per cell of the design (the most any cell was planned with). */
  repeats: number;
  /** Pairwise tests among the run's cohorts (at least 1). */
  familySize: number;
  alpha: number;
  power: number;
  /** Spread of the true gap across scenarios and the variance of one attempt, and where they came from. */
  parameters: { betweenScenarioSd: number; withinVariance: number; source: PowerParameterSource };
  /** The smallest true gap in pass rate (0.12 = 12 points) detected with `power`; null when none can be. */
  detectableGap: number | null;
  /** Why no gap is detectable, when `detectableGap` is null. */
  reason: string | null;
}

export interface RunStatistics {
  alpha: number;
  cells: CellStatistics[];
  cohorts: CohortStatistics[];
  /** Aggregates over everything a quantization label covers (clustered by scenario). */
  byQuantization: Array<{ quantization: string; cohorts: CohortKey[]; pass: ScenarioRateStatistic; outputTokensPerSecond: number | null; medianAgentMs: number | null }>;
  verdicts: RunVerdicts;
  /** Every pair of cohorts, each once (a before b in cohort order); pass and score each one Holm family. */
  comparisons: PairedComparison[];
  power: PowerStatistic;
}
