import { escapeMarkdownText, formatPercent, renderMarkdownTable } from './markdown-text.ts';
import { formatCohortLabel, formatPValue, formatPoints } from './render-markdown.ts';
import type { CohortKey, PairedDifferenceStatistic, RateStatistic } from '../runners/pipeline/summary/summary-types.ts';
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
    ...formatDifference(cohort.paired),
    formatChange(cohort),
  ]);
  const header = ['cohort', 'baseline pass rate', 'current pass rate', 'Δ (paired, 95% CI)', 'scenarios', 'scenarios worse / better / same', 'p', 'Holm p', 'result'];
  const scores = comparison.cohorts.map((cohort) => [
    formatCohortLabel(cohort.key),
    formatScore(cohort.baseline.score.mean),
    formatScore(cohort.current.score.mean),
    ...formatDifference(cohort.score),
    formatScoreChange(cohort.score),
  ]);
  return [
    '## Cohorts',
    '',
    renderMarkdownTable(header, rows),
    '',
    `Each cohort is compared over the scenarios both runs have (the scenario is the unit; its repeats are averaged): Δ is the mean over scenarios of ` +
      `(current − baseline), tested by the exact sign-flip permutation test over scenarios. The ${comparison.cohorts.length} matched ` +
      `cohort${comparison.cohorts.length === 1 ? ' is' : 's are'} one family: Holm-adjusted p < α = ${comparison.alpha} and a negative Δ is a significant regression; ` +
      `anything else is not. Infra errors and pending specs are left out.`,
    '',
    "### Graded score (the tuner's more sensitive instrument; not gated)",
    '',
    renderMarkdownTable(['cohort', 'baseline score', 'current score', 'Δ (paired, 95% CI)', 'scenarios', 'scenarios worse / better / same', 'p', 'Holm p', 'result'], scores),
  ].join('\n');
}

function formatDifference(paired: PairedDifferenceStatistic): string[] {
  if (paired.kind === 'no-shared-scenarios') return ['—', '0', '—', '—', '—'];
  const interval = paired.scenarios < 2 ? '' : ` (${formatSignedPoints(paired.interval.low)} to ${formatSignedPoints(paired.interval.high)})`;
  return [
    `${formatPoints(paired.effect)}${interval}`,
    String(paired.scenarios),
    `${paired.bBetter} worse / ${paired.aBetter} better / ${paired.ties} same`,
    formatPValue(paired.pValue),
    formatPValue(paired.adjustedP),
  ];
}

function formatSignedPoints(effect: number): string {
  const points = Math.round(effect * 1000) / 10;
  return points === 0 ? '0' : `${points > 0 ? '+' : '−'}${Math.abs(points)}`;
}

function formatChange(cohort: CohortChange): string {
  const family = `(family of ${cohort.paired.familySize})`;
  switch (cohort.change) {
    case 'regression':
      return `**significant regression** ${family}`;
    case 'improvement':
      return `**significant improvement** ${family}`;
    case 'not-significant':
      return `not significant ${family}`;
  }
}

function formatScoreChange(paired: PairedDifferenceStatistic): string {
  const family = `(family of ${paired.familySize})`;
  switch (paired.verdict) {
    case 'a-better':
      return `significantly higher ${family}`;
    case 'b-better':
      return `significantly lower ${family}`;
    case 'not-significant':
      return `not significant ${family}`;
  }
}

function formatScore(mean: number | null): string {
  return mean === null ? '—' : mean.toFixed(2);
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
    cell.mcnemar.discordant === 0 ? '—' : formatPValue(cell.mcnemar.pValue),
  ]);
  return [
    '## Scenarios that changed',
    '',
    renderMarkdownTable(['scenario', 'cohort', 'baseline', 'current', 'pass → fail', 'fail → pass', 'McNemar p (this scenario)'], rows),
    '',
    'McNemar p: the exact test over this scenario\'s repeats paired by repeat index — about this one scenario, and not adjusted for the number of scenarios shown.',
  ].join('\n');
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
