import { describe, expect, it } from 'vitest';
import { summarizeRun } from '../runners/pipeline/summary/summarize.ts';
import { adaptiveRunEvents } from '../runners/pipeline/summary/test-support/adaptive-events.ts';
import { buildAdaptiveView } from './model/adaptive-view.ts';
import { renderHtmlReport } from './render-html.ts';
import { renderMarkdownSummary } from './render-markdown.ts';

const settled = summarizeRun(
  adaptiveRunEvents([{ repeats: [0, 2], targets: ['good', 'bad'] }], (target) => target === 'good', { v: 1, type: 'adaptive.stopped', at: '', rounds: 1, reason: 'settled' }),
);

describe('the adaptive section of the report and summary.md', () => {
  it('states why it stopped, each round, one sentence per verdict and the attempts against fixed designs', () => {
    const view = buildAdaptiveView(settled);
    expect(view?.state).toBe('Stopped after round 1: settled: at most one configuration is not shown worse than another, so the top group is decided.');
    expect(view?.rounds).toEqual([{ round: '1', configurations: 'good/default, bad/default', scenarios: '8', repeats: '2', attempts: '32', alpha: '0.0167', family: '1', decided: '1' }]);
    expect(view?.verdicts.map((verdict) => verdict.sentence)).toEqual([
      'good/default is better than every other configuration (bad/default); over 1 pair and 1 round, the chance of any false verdict is held at α = 0.05.',
      'bad/default is worse than good/default (decided after round 1); it got no repeats after that.',
    ]);
    expect(view?.attempts[1]).toEqual({ label: 'Fixed design to --max-repeats 8', value: '128', note: "4.0× this run's attempts (96 saved)" });
  });

  it('is in summary.md and report.html only for an adaptive run', () => {
    const markdown = renderMarkdownSummary(settled)[0]?.contents ?? '';
    expect(markdown).toContain('## Until decided');
    expect(markdown).toContain('| 1 | good/default, bad/default | 8 | 2 | 32 | 0.0167 | 1 | 1 |');
    const html = renderHtmlReport(settled)[0]?.contents ?? '';
    expect(html).toContain('<section id="adaptive" class="section section-adaptive">');
    expect(html).toContain('<a href="#adaptive">Rounds</a>');
    const ordinary = { ...settled, adaptive: undefined };
    expect(renderMarkdownSummary(ordinary)[0]?.contents).not.toContain('## Until decided');
    expect(renderHtmlReport(ordinary)[0]?.contents).not.toContain('id="adaptive"');
  });

  it('says when a round has not finished', () => {
    const events = adaptiveRunEvents([{ repeats: [0, 2], targets: ['good', 'bad'] }], () => true);
    expect(buildAdaptiveView(summarizeRun(events.slice(0, -1)))?.state).toBe('Round 1 has not finished; resume the run to go on deciding.');
  });
});
