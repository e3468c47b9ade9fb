import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../runners/core/domain/check-result.ts';
import type { SpecSummary } from '../runners/pipeline/summary/summary-types.ts';
import { makeRepeats, makeSpecSummary, makeTarget } from '../runners/pipeline/summary/test-support.ts';
import { escapeMarkdownText } from './markdown-text.ts';
import { renderMarkdownSummary } from './render-markdown.ts';
import { createSummaryFromSpecs } from '../runners/bench/support/summary-from-specs.ts';

function render(specs: SpecSummary[], targetIds: string[]): string {
  const [file] = renderMarkdownSummary(createSummaryFromSpecs(specs, targetIds.map((id) => makeTarget(id))));
  expect(file?.path).toBe('summary.md');
  return file?.contents ?? '';
}

function tableRows(markdown: string, heading: string): string[][] {
  const section = markdown.split(`## ${heading}`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
    .slice(1)
    .map((line) => line.slice(2, -2).split(/(?<!\\) \| /));
}

describe('renderMarkdownSummary', () => {
  const specs = [
    ...makeRepeats('s1', 'good', 'PPPPP'), ...makeRepeats('s2', 'good', 'PPPPP'),
    ...makeRepeats('s1', 'bad', 'FFFFF', { failedChecks: ['tests', 'lint'] }), ...makeRepeats('s2', 'bad', 'FPFII'),
  ];
  const markdown = render(specs, ['good', 'bad']);

  it('shows a scorecard per cohort: pass rate with interval, pass^k, violations, time, tokens, verdict', () => {
    const rows = tableRows(markdown, 'Scorecard');
    expect(rows.map((row) => row[0])).toEqual(['good · default', 'bad · default']);
    expect(rows[0]?.[3]).toBe('100% (10/10; 72.2%–100%)');
    expect(rows[0]?.[4]).toBe('pass^5 100%');
    expect(rows[0]?.[8]).toBe('**best**');
    expect(rows[1]?.[3]).toBe('12.5% (1/8; 2.2%–47.1%)');
    // s1 has 5 attributable repeats, s2 only 3 (two infra errors): k stops at 3; s1 pass^3 = 0, s2 pass^3 = 0.
    expect(rows[1]?.[4]).toBe('pass^3 0%');
    expect(rows[1]?.[8]).toBe('**significantly worse** (Δ −87.5 pts, p = 0.016, 8 pairs)');
    expect(markdown).toContain('With 8 pairs, no difference below 75 pts can be significant.');
  });

  it('lists infra errors apart from the pass rates', () => {
    expect(tableRows(markdown, 'Infra errors (not counted against the model)')).toEqual([
      ['bad · default', '2', '0', '0', 'endpoint: connect ECONNREFUSED 127.0.0.1:8000'],
    ]);
  });

  it('lists failing cells with their failed checks', () => {
    const failing = markdown.split('## Failing cells')[1] ?? '';
    expect(failing).toContain('- **s1** — bad · default: 0/5 passed; failed checks: lint×5, tests×5');
    expect(failing).toContain('- **s2** — bad · default: 1/3 passed; failed checks: tests×2; infra errors×2 (not counted)');
    expect(failing).not.toContain('good');
  });

  it('leaves out pass^k with a single repeat and the failure sections when all passed', () => {
    const single = render(makeRepeats('s1', 'good', 'P'), ['good']);
    expect(single).not.toContain('pass^');
    expect(single).not.toContain('## Failing cells');
    expect(single).not.toContain('## Infra errors');
  });
});

describe('Markdown neutralisation of model text', () => {
  const hostile = '| `rm -rf` <img src=x onerror=alert(1)> [click](javascript:alert(1)) **bold** ~~x~~ \\ &lt;\n# heading\u0007\u202E';

  it('escapes pipes, backticks, HTML, links and emphasis, on one line', () => {
    const escaped = escapeMarkdownText(hostile);
    expect(escaped).toBe(
      '\\| \\`rm -rf\\` &lt;img src=x onerror=alert(1)&gt; \\[click\\](javascript:alert(1)) \\*\\*bold\\*\\* \\~\\~x\\~\\~ \\\\ &amp;lt; # heading',
    );
    expect(escaped).not.toMatch(/(?<!\\)[|`[\]*~<>\n]/);
  });

  it('escapes block syntax at the start of the text', () => {
    expect(escapeMarkdownText('# title')).toBe('\\# title');
    expect(escapeMarkdownText('- item')).toBe('\\- item');
    expect(escapeMarkdownText('12. item')).toBe('12\\. item');
    expect(escapeMarkdownText('> quote')).toBe('&gt; quote');
  });

  it('truncates without splitting a surrogate pair', () => {
    expect(escapeMarkdownText('ab😀cd', 4)).toBe('ab😀…');
    expect(escapeMarkdownText('x'.repeat(10), 5)).toBe('xxxx…');
  });

  it('keeps a hostile failure message inside its list item and table cell', () => {
    const failing = makeSpecSummary({ scenarioId: '| evil `id`', targetId: 't', repeatIndex: 0, outcome: 'F', failedChecks: ['tests'] });
    const poisoned: SpecSummary = {
      ...failing,
      attempts: failing.attempts.map((attempt) => ({
        ...attempt,
        checks: attempt.checks.map((check): CheckResult =>
          check.check === 'tests'
            ? { check: 'tests', durationMs: 1, status: 'failed', reason: hostile, evidence: { exitCode: 1, suites: [
                { suite: 'acceptance', total: 1, passed: 0, failed: 1, skipped: 0, failures: [{ file: hostile, name: hostile, message: hostile }] },
              ] } }
            : check,
        ),
      })),
    };
    const infra = makeSpecSummary({ scenarioId: 's2', targetId: 't', repeatIndex: 0, outcome: 'I', infraMessage: hostile });
    const markdown = render([poisoned, infra], ['t']);
    expect(markdown).not.toContain('<img');
    expect(markdown).not.toContain('\u0007');
    expect(markdown).not.toMatch(/(?<!\\)`/);
    expect(markdown).not.toContain('\n# heading');
    const infraRows = tableRows(markdown, 'Infra errors (not counted against the model)');
    expect(infraRows[0]).toHaveLength(5);
    const scorecard = tableRows(markdown, 'Scorecard');
    expect(scorecard[0]).toHaveLength(8);
  });
});
