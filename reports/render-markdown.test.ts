import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../runners/core/domain/check-result.ts';
import type { SpecSummary } from '../runners/pipeline/summary/summary-types.ts';
import { makeFeatureTranscript, makeRepeats, makeSpecSummary, makeTarget } from '../runners/pipeline/summary/test-support.ts';
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
  const scenarios = ['s1', 's2', 's3', 's4', 's5', 's6'];
  const specs = [
    ...scenarios.flatMap((scenario) => makeRepeats(scenario, 'good', 'PPPPP')),
    ...scenarios.slice(0, 5).flatMap((scenario) => makeRepeats(scenario, 'bad', 'FFFFF', { failedChecks: ['tests', 'lint'] })),
    ...makeRepeats('s6', 'bad', 'FPFII'),
  ];
  const markdown = render(specs, ['good', 'bad']);

  it('shows a scorecard per cohort: clustered pass rate, score, pass^k, violations, time, tokens, verdict with its family', () => {
    const rows = tableRows(markdown, 'Scorecard');
    expect(rows.map((row) => row[0])).toEqual(['good · default', 'bad · default']);
    expect(rows[0]?.[3]).toMatch(/^100% \(30\/30; \d+\.\d%–100%\)$/);
    expect(rows[0]?.[4]).toMatch(/^1\.00 \(0\.\d\d–1\.00\)$/);
    expect(rows[0]?.[5]).toBe('pass^5 100%');
    expect(rows[0]?.[9]).toBe('**best** (1 test)');
    // Scenario-weighted: s1–s5 0/5, s6 1/3 → (1/3)/6 = 5.6%.
    expect(rows[1]?.[3]).toMatch(/^5\.6% \(1\/28; 0\.\d%–\d+\.\d%\)$/);
    // s1–s5 have 5 attributable repeats, s6 only 3 (two infra errors): k stops at 3.
    expect(rows[1]?.[5]).toBe('pass^3 0%');
    expect(rows[1]?.[9]).toBe('**significantly worse** than good · default (1 test)');
  });

  it('names the best and puts one plain sentence under each verdict, with the method and the power', () => {
    expect(markdown).toContain('**Best: good · default** — significantly better than every other configuration (1 pairwise test, Holm).');
    expect(markdown).toContain('- **Best.** good is significantly better than the other configuration; its narrowest win, over bad, is better on 6 of 6 shared scenarios (mean gap 94 points) and is still significant with 2 configurations compared (1 pairwise test): Holm-adjusted p = 0.031.');
    expect(markdown).toContain('- **Significantly worse.** bad is worse than good on 6 of 6 shared scenarios (mean gap 94 points); with 2 configurations compared (1 pairwise test), this is still significant (Holm-adjusted p = 0.031).');
    expect(markdown).toContain('scenario-clustered Wilson');
    expect(markdown).toMatch(/With 6 scenarios × 5 repeats, a true gap of about \d+ points in pass rate is found with 80% power/);
  });

  it('names no best when every configuration failed everything', () => {
    const failing = render([...makeRepeats('s1', 'x', 'FF'), ...makeRepeats('s1', 'y', 'FF')], ['x', 'y']);
    expect(failing).toContain('**No best:** no configuration passed anything.');
    expect(failing).not.toContain('**best**');
    expect(tableRows(failing, 'Scorecard').map((row) => row.at(-1))).toEqual(['nothing passed', 'nothing passed']);
  });

  it('lists infra errors apart from the pass rates', () => {
    expect(tableRows(markdown, 'Infra errors (not counted against the model)')).toEqual([
      ['bad · default', '2', '0', '0', 'endpoint: connect ECONNREFUSED 127.0.0.1:8000'],
    ]);
  });

  it('lists failing cells with their failed checks', () => {
    const failing = markdown.split('## Failing cells')[1] ?? '';
    expect(failing).toContain('- **s1** — bad · default: 0/5 passed; failed checks: lint×5, tests×5');
    expect(failing).toContain('- **s6** — bad · default: 1/3 passed; failed checks: tests×2; infra errors×2 (not counted)');
    expect(failing).not.toContain('good');
  });

  it('leaves out pass^k with a single repeat and the failure sections when all passed', () => {
    const single = render(makeRepeats('s1', 'good', 'P'), ['good']);
    expect(single).not.toContain('pass^');
    expect(single).not.toContain('## Failing cells');
    expect(single).not.toContain('## Infra errors');
  });
});

describe('the OpenCode features table of summary.md', () => {
  const planned = makeFeatureTranscript({
    todoLists: [{ read: 'completed', edit: 'completed', test: 'pending' }],
    subagents: [{ agent: 'general', steps: 5 }],
    compactions: [{ atMs: 3000, tokensBefore: 20_000, tokensAfter: 3000 }],
  });
  const cleanFinish = makeFeatureTranscript({ todoLists: [{ plan: 'completed', build: 'completed' }] });

  it('gives per configuration the TODO completion with its counts, subagents and compactions', () => {
    const markdown = render(
      [...makeRepeats('s1', 'tools', 'PF', { transcript: planned }), ...makeRepeats('s2', 'tools', 'P', { transcript: cleanFinish }), ...makeRepeats('s1', 'plain', 'PP')],
      ['tools', 'plain'],
    );
    expect(markdown.indexOf('## OpenCode features')).toBeGreaterThan(markdown.indexOf('## Scorecard'));
    expect(tableRows(markdown, 'OpenCode features')).toEqual([
      // 2 + 2 of 3 + 3 + 2 items done; one left open in each of the two planned attempts.
      ['tools · default', '3', '6/8 (75%)', '2', '3 of 3', '2 of 3', '2', '10', '2 of 3', '2', '1 of 2'],
      ['plain · default', '2', '—', '0', '0 of 2', '0 of 2', '0', '0', '0 of 2', '0', '—'],
    ]);
    expect(markdown).toContain('An attempt that compacted and then passed counts as a pass.');
  });

  it('is left out when no attempt used a TODO, a subagent or a compaction', () => {
    const markdown = render([...makeRepeats('s1', 'tools', 'PF'), ...makeRepeats('s1', 'plain', 'P')], ['tools', 'plain']);
    expect(markdown).not.toContain('OpenCode features');
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
    expect(scorecard[0]).toHaveLength(9);
  });
});
