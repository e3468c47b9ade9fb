import { CHECK_NAMES } from '../../runners/core/domain/check-result.ts';
import type { CohortKey, CohortStatistics, RateStatistic, RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { countFailureSignatures, countInfraErrors } from './failure-reasons.ts';
import { failureHeatClassOf, formatCount, formatInterval, formatRate } from './format.ts';
import type { RunIndex } from './run-index.ts';
import { describeServerLoad, measureServerLoad } from './server-load.ts';
import { nameOf } from './scorecard-view.ts';

export interface RateCellView {
  rate: string;
  /** `3/20`, or empty when the statistic carries no count. */
  count: string;
  heat: string;
  title: string;
}

export interface BreakdownRowView {
  cohortIndex: number;
  targetId: string;
  promptVariantId: string;
  /** Specs the model is answerable for: every rate's denominator. */
  trials: string;
  cells: RateCellView[];
}

export interface ReasonRowView {
  check: string;
  text: string;
  attempts: string;
  cohorts: string;
  exampleAttemptId: string;
}

export interface InfraRowView {
  source: string;
  message: string;
  attempts: string;
  retried: string;
  cohorts: string;
  exampleAttemptId: string;
}

export interface TimeoutRowView {
  configuration: string;
  scenarioId: string;
  repeat: number;
  /** `saturated: up to 12 requests waiting (4 running), mean queue time 8.2 s`, or why it is not known. */
  server: string;
  tone: 'saturated' | 'not-saturated' | 'not-measured';
  attemptId: string;
}

export interface FailureBreakdownView {
  checkColumns: string[];
  checkRows: BreakdownRowView[];
  healthColumns: string[];
  healthRows: BreakdownRowView[];
  reasons: ReasonRowView[];
  infra: { total: number; summary: string; rows: InfraRowView[] };
  /** Timed-out final attempts and what vLLM's /metrics said about the server in each one's window. */
  timeouts: { total: number; summary: string; rows: TimeoutRowView[] };
}

const MAX_REASONS = 25;
const MAX_INFRA_ROWS = 15;
const MAX_TIMEOUT_ROWS = 25;
const HEALTH_COLUMNS: Array<{ label: string; rateOf: (cohort: CohortStatistics) => number }> = [
  { label: 'Tool calls written as text', rateOf: (cohort) => cohort.health.textToolCallRate },
  { label: 'Invalid tool calls', rateOf: (cohort) => cohort.health.invalidToolCallRate },
  { label: 'Context overflow', rateOf: (cohort) => cohort.health.contextOverflowRate },
  { label: 'Timed out', rateOf: (cohort) => cohort.health.timeoutRate },
];
const INFRA_SOURCE_LABELS = { endpoint: 'model endpoint', opencode: 'OpenCode', harness: 'harness' } as const;

/** Which checks fail how often per cohort, agent-health signals, the commonest reasons, and infra errors apart. */
export function buildFailureBreakdown(summary: RunSummary, index: RunIndex): FailureBreakdownView {
  const cohorts = summary.statistics.cohorts;
  const rowBase = (cohort: CohortStatistics) => ({
    cohortIndex: index.cohortIndexOf(cohort.key),
    targetId: cohort.key.targetId,
    promptVariantId: cohort.key.promptVariantId,
    trials: formatCount(cohort.pass.trials),
  });
  const infra = countInfraErrors(summary, MAX_INFRA_ROWS);
  return {
    checkColumns: [...CHECK_NAMES, 'any violation'],
    checkRows: cohorts.map((cohort) => ({
      ...rowBase(cohort),
      cells: [...CHECK_NAMES.map((name) => rateCell(cohort.checkFailureRates[name], `${nameOf(cohort.key)}: ${name} failed`)), rateCell(cohort.violationRate, `${nameOf(cohort.key)}: at least one permission violation`)],
    })),
    healthColumns: HEALTH_COLUMNS.map((column) => column.label),
    healthRows: cohorts.map((cohort) => ({
      ...rowBase(cohort),
      cells: HEALTH_COLUMNS.map((column) => shareCell(cohort.pass.trials === 0 ? null : column.rateOf(cohort), `${nameOf(cohort.key)}: ${column.label.toLowerCase()}`)),
    })),
    reasons: countFailureSignatures(summary, MAX_REASONS).map((reason) => ({
      check: reason.check,
      text: reason.text,
      attempts: formatCount(reason.attempts),
      cohorts: describeCohorts(reason.cohorts),
      exampleAttemptId: reason.exampleAttemptId,
    })),
    infra: {
      total: infra.total,
      summary: describeInfraTotals(infra.total, infra.retried),
      rows: infra.rows.map((row) => ({
        source: INFRA_SOURCE_LABELS[row.source],
        message: row.message,
        attempts: formatCount(row.attempts),
        retried: row.retried === 0 ? '—' : formatCount(row.retried),
        cohorts: describeCohorts(row.cohorts),
        exampleAttemptId: row.exampleAttemptId,
      })),
    },
    timeouts: buildTimeouts(summary),
  };
}

/** Each timed-out final attempt, saturated windows first: was the server at capacity while it ran? */
function buildTimeouts(summary: RunSummary): FailureBreakdownView['timeouts'] {
  const rows = summary.specs.flatMap((spec): TimeoutRowView[] => {
    const attempt = spec.attempts.at(-1);
    if (attempt === undefined || attempt.outcome.kind !== 'timed-out') return [];
    const load = measureServerLoad(attempt, spec.spec.targetId, summary.servingMetrics);
    const tone = load.kind === 'not-measured' ? 'not-measured' : load.saturated ? 'saturated' : 'not-saturated';
    return [{ configuration: nameOf(spec.spec), scenarioId: spec.spec.scenarioId, repeat: spec.spec.repeatIndex + 1, server: describeServerLoad(load), tone, attemptId: attempt.attemptId }];
  });
  const rank = { saturated: 0, 'not-saturated': 1, 'not-measured': 2 } as const;
  rows.sort((left, right) => rank[left.tone] - rank[right.tone]);
  const saturated = rows.filter((row) => row.tone === 'saturated').length;
  const measured = rows.filter((row) => row.tone !== 'not-measured').length;
  const summaryText =
    rows.length === 0
      ? 'No final attempt timed out.'
      : measured === 0
        ? `${formatCount(rows.length)} final attempt${rows.length === 1 ? '' : 's'} timed out. The model server exposed no vLLM /metrics readings for their windows, so whether it was saturated is not known.`
        : `${formatCount(rows.length)} final attempt${rows.length === 1 ? '' : 's'} timed out; in ${formatCount(saturated)} of the ${formatCount(measured)} with vLLM /metrics readings the server was saturated (requests waiting for a slot) — a slow server, not only a slow model.`;
  return { total: rows.length, summary: summaryText, rows: rows.slice(0, MAX_TIMEOUT_ROWS) };
}

function rateCell(statistic: RateStatistic, what: string): RateCellView {
  const rate = statistic.rate;
  return {
    rate: formatRate(rate),
    count: statistic.trials === 0 ? '' : `${statistic.passes}/${statistic.trials}`,
    heat: failureHeatClassOf(rate),
    title: rate === null ? `${what}: nothing to rate` : `${what} in ${statistic.passes} of ${statistic.trials} specs (95% CI ${formatInterval(statistic.interval)})`,
  };
}

function shareCell(rate: number | null, what: string): RateCellView {
  return { rate: formatRate(rate), count: '', heat: failureHeatClassOf(rate), title: rate === null ? `${what}: nothing to rate` : `${what}: ${formatRate(rate)} of specs` };
}

function describeCohorts(cohorts: CohortKey[]): string {
  const names = cohorts.slice(0, 3).map(nameOf);
  return cohorts.length > 3 ? `${names.join(', ')} and ${cohorts.length - 3} more` : names.join(', ');
}

function describeInfraTotals(attempts: number, retried: number): string {
  if (attempts === 0) return 'No attempt hit an infra error.';
  const plural = attempts === 1 ? ' was' : 's were';
  const retriedText = retried === 0 ? '' : ` ${formatCount(retried)} of them were retried.`;
  return `${formatCount(attempts)} attempt${plural} not carried out because of the endpoint, OpenCode or the harness.${retriedText} Infra errors are never counted against the model: they are left out of every rate above.`;
}
