import { CHECK_NAMES } from '../runners/core/domain/check-result.ts';
import { cohortIdOf } from '../runners/pipeline/summary/spec-facts.ts';
import type { CohortKey, CohortStatistics, CohortVerdict, PairedComparison, RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import { foldCells } from './fold-cells.ts';
import { escapeMarkdownText, formatMarkdownCell, formatPercent, formatSeconds, formatTokenCount, renderMarkdownTable } from './markdown-text.ts';
import type { ReportFile } from './report-file.ts';
import { describeIsolation, GUARANTEES, lostGuarantees } from '../runners/core/domain/isolation.ts';

export const SUMMARY_MARKDOWN_PATH = 'summary.md';

const MAX_FAILING_CELLS = 50;

/**
 * A Markdown summary for a CI job page: the scorecard per cohort, infra errors apart, failing
 * cells. Every piece of text from the run (ids, model output, messages) is neutralised.
 */
export function renderMarkdownSummary(summary: RunSummary): ReportFile[] {
  const sections = [renderHeader(summary), renderScorecard(summary), renderCheckFailures(summary), renderInfraErrors(summary), renderFailingCells(summary)];
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
  const { cohorts, verdicts, alpha } = summary.statistics;
  if (cohorts.length === 0) return '## Scorecard\n\nNo specs were planned.';
  const showPassHatK = cohorts.some((cohort) => maxK(cohort) >= 2);
  const verdictOf = new Map(verdicts.map((verdict) => [cohortIdOf(verdict.key), verdict]));
  const header = ['cohort', 'model', 'quantization', 'pass rate (95% CI)', ...(showPassHatK ? ['pass^k'] : []), 'violations', 'median time', 'median tokens', 'verdict'];
  const rows = cohorts.map((cohort) => [
    formatCohortLabel(cohort.key),
    formatMarkdownCell(cohort.model, 80),
    formatMarkdownCell(cohort.quantization, 40),
    formatPassRate(cohort),
    ...(showPassHatK ? [formatPassHatK(cohort)] : []),
    `${formatPercent(cohort.violationRate.rate)} (${cohort.violationRate.passes}/${cohort.violationRate.trials})`,
    formatSeconds(cohort.medianAttemptMs),
    formatTokenCount(cohort.medianTokens),
    cohorts.length === 1 ? 'only cohort' : formatVerdict(verdictOf.get(cohortIdOf(cohort.key))),
  ]);
  return ['## Scorecard', '', renderMarkdownTable(header, rows), '', describeMethod(summary, alpha)].join('\n');
}

function formatPassRate(cohort: CohortStatistics): string {
  const { pass } = cohort;
  if (pass.rate === null) return `— (0 model-attributable)`;
  return `${formatPercent(pass.rate)} (${pass.passes}/${pass.trials}; ${formatPercent(pass.interval.low)}–${formatPercent(pass.interval.high)})`;
}

function maxK(cohort: CohortStatistics): number {
  return Math.max(0, ...Object.keys(cohort.passHatK).map(Number));
}

function formatPassHatK(cohort: CohortStatistics): string {
  const k = maxK(cohort);
  return k >= 2 ? `pass^${k} ${formatPercent(cohort.passHatK[k] ?? null)}` : '—';
}

function formatVerdict(verdict: CohortVerdict | undefined): string {
  if (verdict === undefined) return '—';
  const against = verdict.againstBest;
  const detail =
    against === undefined ? '' : against.pairs === 0 ? ' (no paired repeats)' : ` (Δ ${formatPoints(against.effect)}, p = ${formatPValue(against.pValue)}, ${against.pairs} pairs)`;
  switch (verdict.verdict) {
    case 'best':
      return '**best**';
    case 'not-distinguishable-from-best':
      return `not distinguishable from best${detail}`;
    case 'significantly-worse':
      return `**significantly worse**${detail}`;
  }
}

function describeMethod(summary: RunSummary, alpha: number): string {
  const paired = summary.statistics.verdicts.flatMap((verdict) => (verdict.againstBest === undefined || verdict.againstBest.pairs === 0 ? [] : [verdict.againstBest]));
  const most = paired.reduce<PairedComparison | undefined>((best, comparison) => (best === undefined || comparison.pairs > best.pairs ? comparison : best), undefined);
  let noise = '';
  if (most !== undefined) {
    const floor = most.minimumDetectableEffect;
    noise = floor === null
      ? ` With ${most.pairs} pairs no difference can be significant yet: add repeats.`
      : ` With ${most.pairs} pairs, no difference below ${formatPoints(floor, false)} can be significant.`;
  }
  return (
    `Pass rates count each spec's final attempt; infra errors and pending specs are left out. Verdicts compare each cohort with the best ` +
    `by an exact McNemar test on paired repeats (same scenario and repeat), α = ${alpha}.${noise}`
  );
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

export function formatPValue(pValue: number): string {
  return pValue < 0.001 ? '< 0.001' : pValue.toFixed(3);
}
