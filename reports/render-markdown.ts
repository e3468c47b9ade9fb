import { buildConcurrencyView } from './model/concurrency-view.ts';
import { CHECK_NAMES } from '../runners/core/domain/check-result.ts';
import { cohortIdOf } from '../runners/pipeline/summary/spec-facts.ts';
import type { CohortKey, CohortStatistics, CohortVerdict, RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import { describeMethod, describePower, VERDICT_LABELS } from './model/statistics-text.ts';
import { foldCells } from './fold-cells.ts';
import { buildFeaturesView } from './model/feature-view.ts';
import { buildRunIndex } from './model/run-index.ts';
import { escapeMarkdownText, formatMarkdownCell, formatPercent, formatSeconds, formatTokenCount, renderMarkdownTable } from './markdown-text.ts';
import { renderAdaptiveMarkdown } from './render-adaptive-markdown.ts';
import type { ReportFile } from './report-file.ts';
import { formatP } from '../runners/pipeline/statistics/verdict-explanations.ts';
import { describeIsolation, GUARANTEES, lostGuarantees } from '../runners/core/domain/isolation.ts';

export const SUMMARY_MARKDOWN_PATH = 'summary.md';

const MAX_FAILING_CELLS = 50;

/**
 * A Markdown summary for a CI job page: the scorecard per cohort, infra errors apart, failing
 * cells. Every piece of text from the run (ids, model output, messages) is neutralised.
 */
export function renderMarkdownSummary(summary: RunSummary): ReportFile[] {
  const sections = [renderHeader(summary), renderScorecard(summary), renderFeatures(summary), renderConcurrency(summary), renderAdaptiveMarkdown(summary), renderCheckFailures(summary), renderInfraErrors(summary), renderFailingCells(summary)];
  return [{ path: SUMMARY_MARKDOWN_PATH, contents: `${sections.filter((section) => section !== '').join('\n\n')}\n` }];
}

function renderHeader(summary: RunSummary): string {
  const { totals } = summary;
  const lines = [`# Harness run ${escapeMarkdownText(summary.runId)}`, ''];
  if (summary.scriptedModel) lines.push('> **Scripted model:** some targets are the embedded scripted model, not a real LLM.', '');
  const lost = lostGuarantees(summary.isolation);
  if (lost.length > 0) {
    lines.push(`> **Containment was partial** (isolation ${escapeMarkdownText(describeIsolation(summary.isolation))}). This run does not guarantee that:`);
    for (const guarantee of lost) lines.push(`> - ${GUARANTEES[guarantee]}`);
    lines.push('');
  }
  lines.push(
    `**${summary.status === 'complete' ? 'Complete' : 'Incomplete'}** · ${totals.specs} specs: ${totals.passed} passed, ${totals.failed} failed, ` +
      `${totals.timedOut} timed out, ${totals.infraErrors} infra errors (not counted against the model), ${totals.pending} pending`,
  );
  return lines.join('\n');
}

export function formatCohortLabel(key: CohortKey): string {
  return `${escapeMarkdownText(key.targetId)} · ${escapeMarkdownText(key.promptVariantId)}`;
}

function renderScorecard(summary: RunSummary): string {
  const { cohorts, verdicts } = summary.statistics;
  if (cohorts.length === 0) return '## Scorecard\n\nNo specs were planned.';
  const showPassHatK = cohorts.some((cohort) => maxK(cohort) >= 2);
  const verdictOf = new Map(verdicts.cohorts.map((verdict) => [cohortIdOf(verdict.key), verdict]));
  const header = ['cohort', 'model', 'quantization', 'pass rate (95% CI)', 'score (95% CI)', ...(showPassHatK ? ['pass^k'] : []), 'violations', 'median time', 'median tokens', 'verdict'];
  const rows = cohorts.map((cohort) => [
    formatCohortLabel(cohort.key),
    formatMarkdownCell(cohort.model, 80),
    formatMarkdownCell(cohort.quantization, 40),
    formatPassRate(cohort),
    formatScore(cohort),
    ...(showPassHatK ? [formatPassHatK(cohort)] : []),
    `${formatPercent(cohort.violationRate.rate)} (${cohort.violationRate.passes}/${cohort.violationRate.trials})`,
    formatSeconds(cohort.medianAttemptMs),
    formatTokenCount(cohort.medianTokens),
    formatVerdict(verdictOf.get(cohortIdOf(cohort.key)), verdicts.familySize),
  ]);
  const sentences = verdicts.cohorts.map((verdict) => `- **${VERDICT_LABELS[verdict.verdict]}.** ${escapeMarkdownText(verdict.explanation, 600)}`);
  return [
    '## Scorecard',
    '',
    renderMarkdownTable(header, rows),
    '',
    describeBest(summary),
    '',
    ...sentences,
    '',
    `${describeMethod(verdicts)} ${describePower(summary.statistics.power)} Infra errors and pending specs are left out of every rate. ` +
      "The score is the mean share of hidden acceptance tests passed (0 on a type error or a violation): the tuner's more sensitive instrument; pass/fail is the headline.",
  ].join('\n');
}

/** How each configuration used OpenCode's TODOs, subagents and compaction; nothing when no attempt used any. */
function renderFeatures(summary: RunSummary): string {
  const view = buildFeaturesView(summary, buildRunIndex(summary));
  if (view === null) return '';
  const header = ['cohort', 'attempts', 'TODO completion', 'TODOs left open', 'attempts with TODOs', 'attempts with subagents', 'subagents started', 'subagent steps', 'attempts that compacted', 'compactions', 'passed after compacting'];
  const rows = view.rows.map((row) => [
    formatCohortLabel(row),
    row.attempts,
    row.todoCompletion,
    row.todosOpen,
    row.todoAttempts,
    row.subagentAttempts,
    row.subagentsStarted,
    row.subagentSteps,
    row.compactionAttempts,
    row.compactions,
    row.passedAfterCompacting ?? '—',
  ]);
  return [
    '## OpenCode features',
    '',
    renderMarkdownTable(header, rows),
    '',
    'Over every attempt the model answered (infra errors left out). TODO completion: items completed in the final lists over distinct items written. An attempt that compacted and then passed counts as a pass.',
  ].join('\n');
}

/** One line per server that ran with `concurrency: auto`, from the report's chart captions. */
function renderConcurrency(summary: RunSummary): string {
  const view = buildConcurrencyView(summary);
  if (view === null) return '';
  const rows = view.charts.map((chart) => [escapeMarkdownText(chart.server), escapeMarkdownText(chart.fallback === null ? [chart.caption, chart.firstByte].filter((part) => part !== null).join('. ') : `fallback: ${chart.fallback}`)]);
  return ['## Concurrency (auto)', '', renderMarkdownTable(['model server', 'decisions'], rows)].join('\n');
}

function describeBest(summary: RunSummary): string {
  const { verdicts } = summary.statistics;
  const tests = verdicts.familySize === 1 ? '1 pairwise test' : `${verdicts.familySize} pairwise tests`;
  switch (verdicts.status) {
    case 'nothing-to-rate':
      return '**No best:** no configuration has a result the model is answerable for (infra errors or pending only).';
    case 'nothing-passed':
      return '**No best:** no configuration passed anything.';
    case 'rated':
      return verdicts.best === null
        ? `**No best named:** no configuration is significantly better than every other (${tests}, Holm).`
        : `**Best: ${formatCohortLabel(verdicts.best)}** — significantly better than every other configuration (${tests}, Holm).`;
  }
}

function formatPassRate(cohort: CohortStatistics): string {
  const { pass } = cohort;
  if (pass.rate === null) return `— (0 model-attributable)`;
  return `${formatPercent(pass.rate)} (${pass.passes}/${pass.trials}; ${formatPercent(pass.interval.low)}–${formatPercent(pass.interval.high)})`;
}

function formatScore(cohort: CohortStatistics): string {
  const { score } = cohort;
  if (score.mean === null) return '—';
  return `${score.mean.toFixed(2)} (${score.interval.low.toFixed(2)}–${score.interval.high.toFixed(2)})`;
}

function maxK(cohort: CohortStatistics): number {
  return Math.max(0, ...Object.keys(cohort.passHatK).map(Number));
}

function formatPassHatK(cohort: CohortStatistics): string {
  const k = maxK(cohort);
  return k >= 2 ? `pass^${k} ${formatPercent(cohort.passHatK[k] ?? null)}` : '—';
}

function formatVerdict(verdict: CohortVerdict | undefined, familySize: number): string {
  if (verdict === undefined) return '—';
  const family = familySize > 0 ? ` (${familySize} test${familySize === 1 ? '' : 's'})` : '';
  switch (verdict.verdict) {
    case 'best':
      return `**best**${family}`;
    case 'significantly-worse':
      return `**significantly worse** than ${verdict.worseThan.map(formatCohortLabel).join(', ')}${family}`;
    case 'top-group':
      return `could be best${family}`;
    case 'nothing-to-rate':
      return 'nothing to rate';
    case 'nothing-passed':
      return 'nothing passed';
  }
}

function renderCheckFailures(summary: RunSummary): string {
  const { cohorts } = summary.statistics;
  if (cohorts.every((cohort) => cohort.pass.trials === cohort.pass.passes)) return '';
  const rows = cohorts.map((cohort) => [
    formatCohortLabel(cohort.key),
    ...CHECK_NAMES.map((name) => formatPercent(cohort.checkFailureRates[name].rate)),
    formatPercent(cohort.health.timeoutRate),
    formatPercent(cohort.health.textToolCallRate),
  ]);
  return ['## Check failure rates', '', renderMarkdownTable(['cohort', ...CHECK_NAMES, 'timed out', 'text tool calls'], rows)].join('\n');
}

function renderInfraErrors(summary: RunSummary): string {
  const cohorts = summary.statistics.cohorts.filter((cohort) => cohort.infraErrors > 0 || cohort.pending > 0 || cohort.retries > 0);
  if (cohorts.length === 0) return '';
  const rows = cohorts.map((cohort) => {
    const messages = summary.specs.flatMap((spec) =>
      cohortIdOf({ targetId: spec.spec.targetId, promptVariantId: spec.spec.promptVariantId }) === cohortIdOf(cohort.key) && spec.outcome.kind === 'infra-error'
        ? [`${spec.outcome.source}: ${spec.outcome.message}`]
        : [],
    );
    const distinct = [...new Set(messages)];
    const first = distinct[0] === undefined ? '—' : `${escapeMarkdownText(distinct[0], 200)}${distinct.length > 1 ? ` (+${distinct.length - 1} other messages)` : ''}`;
    return [formatCohortLabel(cohort.key), String(cohort.infraErrors), String(cohort.retries), String(cohort.pending), first];
  });
  return ['## Infra errors (not counted against the model)', '', renderMarkdownTable(['cohort', 'infra errors (final)', 'retried attempts', 'pending', 'first message'], rows)].join('\n');
}

function renderFailingCells(summary: RunSummary): string {
  const failing = foldCells(summary).flatMap((cell) => (cell.verdict.status === 'failed' ? [{ cell, verdict: cell.verdict }] : []));
  if (failing.length === 0) return '';
  const lines = failing.slice(0, MAX_FAILING_CELLS).map(({ cell, verdict }) => {
    const evidence = verdict.evidence.slice(1).map((line) => escapeMarkdownText(line, 240));
    const label = `**${escapeMarkdownText(cell.scenarioId)}** — ${formatCohortLabel(cell)}: ${escapeMarkdownText(verdict.message)}`;
    return evidence.length === 0 ? `- ${label}` : `- ${label}\n${evidence.map((line) => `  - ${line}`).join('\n')}`;
  });
  if (failing.length > MAX_FAILING_CELLS) lines.push(`- … and ${failing.length - MAX_FAILING_CELLS} more failing cells (see report.html)`);
  return ['## Failing cells', '', ...lines].join('\n');
}

export function formatPoints(effect: number, signed = true): string {
  const points = effect * 100;
  const text = `${Math.abs(points).toFixed(Number.isInteger(points) ? 0 : 1)} pts`;
  if (!signed || points === 0) return text;
  return `${points > 0 ? '+' : '−'}${text}`;
}

/** "0.012", "0.0014", or "< 0.0001" (the scorecard sentences' format). */
export function formatPValue(pValue: number): string {
  return formatP(pValue);
}
