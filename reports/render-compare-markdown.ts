import { escapeMarkdownText, formatPercent, renderMarkdownTable } from './markdown-text.ts';
import { formatCohortLabel, formatPValue, formatPoints } from './render-markdown.ts';
import type { CohortKey, RateStatistic } from '../runners/pipeline/summary/summary-types.ts';
import type { CohortChange, RunComparison, SpecFlip } from '../runners/pipeline/compare/compare-runs.ts';
import { describeGateFailure, type GateResult } from '../runners/pipeline/compare/gate.ts';

export const COMPARE_MARKDOWN_PATH = 'compare.md';

const MAX_FLIPS = 100;

/** The comparison as Markdown (for `<current>/compare.md`, stdout and CI job summaries). */
export function renderCompareMarkdown(comparison: RunComparison, gate: GateResult): string {
  const sections = [renderHeader(comparison, gate), renderCohorts(comparison), renderCells(comparison), renderFlips(comparison.flips), renderUnmatched(comparison)];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function renderHeader(comparison: RunComparison, gate: GateResult): string {
  const { baseline, current } = comparison;
  const lines = [
    `# Comparison: ${escapeMarkdownText(baseline.runId)} → ${escapeMarkdownText(current.runId)}`,
    '',
    `Baseline ${escapeMarkdownText(baseline.runId)} (${baseline.status}), current ${escapeMarkdownText(current.runId)} (${current.status}).`,
    '',
  ];
  if (gate.status === 'passed') {
    lines.push(`**Gate: passed** — ${gate.rules.join('; ')}.`);
  } else {
    lines.push(`**Gate: failed** — ${gate.rules.join('; ')}.`, '', ...gate.failures.map((failure) => `- ${escapeMarkdownText(describeGateFailure(failure), 400)}`));
  }
  return lines.join('\n');
}

function renderCohorts(comparison: RunComparison): string {
  const rows = comparison.cohorts.map((cohort) => [
    formatCohortLabel(cohort.key),
    formatRate(cohort.baseline.pass),
    formatRate(cohort.current.pass),
    cohort.paired.pairs === 0 ? '—' : formatPoints(cohort.paired.effect),
    String(cohort.paired.pairs),
    `${cohort.paired.onlyB} lost / ${cohort.paired.onlyA} gained`,
    formatPValue(cohort.paired.pValue),
    formatChange(cohort),
  ]);
  const header = ['cohort', 'baseline pass rate', 'current pass rate', 'Δ (paired)', 'pairs', 'discordant', 'p', 'result'];
  return [
    '## Cohorts',
    '',
    renderMarkdownTable(header, rows),
    '',
    `Pairs are the same scenario and repeat in both runs, both model-attributable (infra errors and pending specs left out). ` +
      `Exact McNemar test, α = ${comparison.alpha}; a difference that is not significant is not a regression.`,
  ].join('\n');
}

function formatChange(cohort: CohortChange): string {
  switch (cohort.change) {
    case 'regression':
      return '**significant regression**';
    case 'improvement':
      return '**significant improvement**';
    case 'not-significant': {
      const floor = cohort.paired.minimumDetectableEffect;
      return floor === null ? 'not significant (too few pairs to tell)' : `not significant (needs ≥ ${formatPoints(floor, false)})`;
    }
  }
}

function formatRate(rate: RateStatistic): string {
  return rate.rate === null ? '—' : `${formatPercent(rate.rate)} (${rate.passes}/${rate.trials})`;
}

function renderCells(comparison: RunComparison): string {
  const changed = comparison.cells.filter((cell) => cell.flips.length > 0 || cell.baseline.rate !== cell.current.rate);
  if (changed.length === 0) return '## Scenarios\n\nNo scenario changed its pass rate.';
  const rows = changed.map((cell) => [
    escapeMarkdownText(cell.scenarioId),
    formatCohortLabel(cell.key),
    formatRate(cell.baseline),
    formatRate(cell.current),
    String(cell.flips.filter((flip) => flip.direction === 'pass-to-fail').length),
    String(cell.flips.filter((flip) => flip.direction === 'fail-to-pass').length),
  ]);
  return ['## Scenarios that changed', '', renderMarkdownTable(['scenario', 'cohort', 'baseline', 'current', 'pass → fail', 'fail → pass'], rows)].join('\n');
}

function renderFlips(flips: readonly SpecFlip[]): string {
  if (flips.length === 0) return '';
  const ordered = [...flips].sort((a, b) => Number(b.direction === 'pass-to-fail') - Number(a.direction === 'pass-to-fail'));
  const lines = ordered.slice(0, MAX_FLIPS).map((flip) => {
    const arrow = flip.direction === 'pass-to-fail' ? 'pass → fail' : 'fail → pass';
    return `- ${arrow}: **${escapeMarkdownText(flip.scenarioId)}** — ${formatCohortLabel(flip.key)}, repeat ${flip.repeatIndex} (${flip.baseline} → ${flip.current})`;
  });
  if (ordered.length > MAX_FLIPS) lines.push(`- … and ${ordered.length - MAX_FLIPS} more`);
  return ['## Flips', '', ...lines].join('\n');
}

function renderUnmatched(comparison: RunComparison): string {
  const keys = (list: readonly CohortKey[]) => list.map(formatCohortLabel).join(', ');
  const ids = (list: readonly string[]) => list.map((id) => escapeMarkdownText(id)).join(', ');
  const lines = [
    ...(comparison.onlyInBaseline.length > 0 ? [`- Cohorts only in the baseline: ${keys(comparison.onlyInBaseline)}`] : []),
    ...(comparison.onlyInCurrent.length > 0 ? [`- Cohorts only in the current run (no baseline; thresholds still apply): ${keys(comparison.onlyInCurrent)}`] : []),
    ...(comparison.scenariosOnlyInBaseline.length > 0 ? [`- Scenarios only in the baseline: ${ids(comparison.scenariosOnlyInBaseline)}`] : []),
    ...(comparison.scenariosOnlyInCurrent.length > 0 ? [`- Scenarios only in the current run: ${ids(comparison.scenariosOnlyInCurrent)}`] : []),
  ];
  return lines.length === 0 ? '' : ['## Not compared', '', ...lines].join('\n');
}
