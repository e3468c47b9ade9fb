import { CHECK_NAMES, type CheckName } from '../../core/domain/check-result.ts';
import type { RecordedTarget } from '../events/event-types.ts';
import { passAtK, passHatK } from '../statistics/binary.ts';
import { median } from '../statistics/descriptive.ts';
import { sumTokens } from '../../core/tokens.ts';
import { scoreOfSpec } from './attempt-score.ts';
import { computeFeatureStatistics } from './feature-statistics.ts';
import { toScenarioRate, toScoreStatistic } from './scenario-rates.ts';
import { failedChecksOf, finalAttemptOf, groupBy, healthFlagsOf, isModelAttributable, isPassed, toRate, violationsOf } from './spec-facts.ts';
import type { CellStatistics, CohortKey, CohortStatistics, ScenarioRateStatistic, SpecSummary } from './summary-types.ts';

/** One scenario under one cohort: its repeats' final outcomes, pass@k and pass^k for k = 1 … n. */
export function computeCellStatistics(scenarioId: string, key: CohortKey, specs: readonly SpecSummary[]): CellStatistics {
  const attributable = specs.filter(isModelAttributable);
  const n = attributable.length;
  const c = attributable.filter(isPassed).length;
  const atK: Record<number, number> = {};
  const hatK: Record<number, number> = {};
  for (let k = 1; k <= n; k += 1) {
    atK[k] = passAtK(n, c, k) ?? 0;
    hatK[k] = passHatK(n, c, k) ?? 0;
  }
  const scores = attributable.flatMap((spec) => scoreOfSpec(spec) ?? []);
  const meanScore = scores.length === 0 ? null : scores.reduce((sum, score) => sum + score, 0) / scores.length;
  return { scenarioId, key, pass: toRate(c, n), meanScore, passAtK: atK, passHatK: hatK };
}

export interface CohortInput {
  key: CohortKey;
  target: RecordedTarget | undefined;
  specs: readonly SpecSummary[];
  cells: readonly CellStatistics[];
}

export function computeCohortStatistics({ key, target, specs, cells }: CohortInput): CohortStatistics {
  const attributable = specs.filter(isModelAttributable);
  const trials = attributable.length;
  const passes = attributable.filter(isPassed).length;
  const timedOut = specs.filter((spec) => spec.outcome.kind === 'timed-out').length;
  const share = (count: number): number => (trials === 0 ? 0 : count / trials);
  const health = attributable.map(healthFlagsOf);
  const finals = attributable.flatMap((spec) => finalAttemptOf(spec) ?? []);
  const totalCostUsd = specs.flatMap((spec) => spec.attempts).reduce((sum, attempt) => sum + attempt.costUsd, 0);
  const byScenario = [...groupBy(attributable, (spec) => spec.spec.scenarioId).values()];
  const countPerScenario = (predicate: (spec: SpecSummary) => boolean) => byScenario.map((group) => ({ passes: group.filter(predicate).length, trials: group.length }));
  return {
    key,
    model: target?.model ?? 'unknown',
    quantization: target?.quantization ?? 'unknown',
    pass: toScenarioRate(countPerScenario(isPassed)),
    score: toScoreStatistic(byScenario.map((group) => group.flatMap((spec) => scoreOfSpec(spec) ?? []))),
    infraErrors: specs.filter((spec) => spec.outcome.kind === 'infra-error').length,
    timedOut,
    pending: specs.filter((spec) => spec.outcome.kind === 'pending').length,
    retries: specs.reduce((sum, spec) => sum + Math.max(0, spec.attempts.length - 1), 0),
    ...averagePassK(cells),
    checkFailureRates: computeCheckFailureRates(byScenario),
    violationRate: toScenarioRate(countPerScenario((spec) => violationsOf(spec).length > 0)),
    health: {
      textToolCallRate: share(health.filter((flags) => flags.textToolCalls).length),
      invalidToolCallRate: share(health.filter((flags) => flags.invalidToolCalls).length),
      contextOverflowRate: share(health.filter((flags) => flags.contextOverflow).length),
      timeoutRate: share(timedOut),
    },
    medianAttemptMs: median(finals.map((attempt) => attempt.timings.totalMs)) ?? null,
    medianAgentMs: median(finals.map((attempt) => attempt.timings.agentMs)) ?? null,
    medianTokens: median(finals.map((attempt) => sumTokens(attempt.tokens))) ?? null,
    outputTokensPerSecond: computeOutputTokensPerSecond(attributable),
    costPerPassUsd: totalCostUsd > 0 && passes > 0 ? totalCostUsd / passes : null,
    features: computeFeatureStatistics(specs.flatMap((spec) => spec.attempts)),
  };
}

/** Generated tokens (output + reasoning) per second of agent time, pooled over final attempts. */
export function computeOutputTokensPerSecond(attributable: readonly SpecSummary[]): number | null {
  let tokens = 0;
  let agentMs = 0;
  for (const spec of attributable) {
    const attempt = finalAttemptOf(spec);
    if (attempt === undefined) continue;
    tokens += attempt.tokens.output + attempt.tokens.reasoning;
    agentMs += attempt.timings.agentMs;
  }
  return agentMs > 0 ? tokens / (agentMs / 1000) : null;
}

/** Means over the cells that have model-attributable repeats, for k up to the fewest such repeats. */
function averagePassK(cells: readonly CellStatistics[]): Pick<CohortStatistics, 'passAtK' | 'passHatK'> {
  const counted = cells.filter((cell) => cell.pass.trials > 0);
  const passAtKMeans: Record<number, number> = {};
  const passHatKMeans: Record<number, number> = {};
  if (counted.length === 0) return { passAtK: passAtKMeans, passHatK: passHatKMeans };
  const maxK = Math.min(...counted.map((cell) => cell.pass.trials));
  for (let k = 1; k <= maxK; k += 1) {
    passAtKMeans[k] = mean(counted.map((cell) => cell.passAtK[k] ?? 0));
    passHatKMeans[k] = mean(counted.map((cell) => cell.passHatK[k] ?? 0));
  }
  return { passAtK: passAtKMeans, passHatK: passHatKMeans };
}

/** Per check, the share of model-attributable specs failing it, with the scenario-clustered interval. */
function computeCheckFailureRates(byScenario: ReadonlyArray<readonly SpecSummary[]>): Record<CheckName, ScenarioRateStatistic> {
  const failed = byScenario.map((group) => group.map(failedChecksOf));
  const entries = CHECK_NAMES.map((name) => [name, toScenarioRate(failed.map((group) => ({ passes: group.filter((names) => names.has(name)).length, trials: group.length })))] as const);
  return Object.fromEntries(entries) as Record<CheckName, ScenarioRateStatistic>;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
