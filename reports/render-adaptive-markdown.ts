import type { RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import { escapeMarkdownText, formatMarkdownCell, renderMarkdownTable } from './markdown-text.ts';
import { buildAdaptiveView } from './model/adaptive-view.ts';

/** summary.md's section for `run --until-decided`: the rule, the rounds, why it stopped, the verdicts and the attempts saved. */
export function renderAdaptiveMarkdown(summary: RunSummary): string {
  const view = buildAdaptiveView(summary);
  if (view === null) return '';
  const rounds = renderMarkdownTable(
    ['round', 'configurations sampled', 'scenarios', 'repeats', 'attempts', 'alpha of its look', 'Holm family', 'pairs decided'],
    view.rounds.map((round) => [round.round, formatMarkdownCell(round.configurations, 200), round.scenarios, round.repeats, round.attempts, round.alpha, round.family, round.decided]),
  );
  const attempts = renderMarkdownTable(
    ['', 'attempts', ''],
    view.attempts.map((line) => [escapeMarkdownText(line.label), line.value, formatMarkdownCell(line.note, 300)]),
  );
  return [
    '## Until decided',
    '',
    `**${escapeMarkdownText(view.state)}** Alpha spent: ${view.alphaSpent}.`,
    '',
    rounds,
    '',
    ...view.verdicts.map((verdict) => `- **${verdict.label}** — ${escapeMarkdownText(verdict.sentence, 600)}`),
    '',
    attempts,
    '',
    `_Stopping rule:_ ${escapeMarkdownText(view.rule, 2000)}`,
  ].join('\n');
}
