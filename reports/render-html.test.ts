import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from './render-html.ts';
import { SCRIPTED_BANNER } from './report-model.ts';
import { createSampleSummary } from './test-support/sample-summary.ts';

function renderSample(scriptedModel = false): string {
  const files = renderHtmlReport(createSampleSummary({ scriptedModel }));
  expect(files.map((file) => file.path)).toEqual(['report.html']);
  return files[0]?.contents ?? '';
}

describe('renderHtmlReport', () => {
  const html = renderSample();

  it('is one self-contained document', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\bsrc=/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html.match(/<script\b/g)).toHaveLength(1);
  });

  it('names the run, its scenarios, targets, prompt variants and checks', () => {
    for (const text of ['2025-06-02T09-00-00Z-3f9a', 'Sortable holdings table', 'Format amounts as EUR', 'qwen-awq', 'terse', '1.18.33']) {
      expect(html).toContain(text);
    }
    for (const check of ['typecheck', 'lint', 'tests', 'permissions', 'agent-health']) {
      expect(html).toContain(`<code class="check-name">${check}</code>`);
    }
  });

  it('shows the comparison pass rate and the matrix cells', () => {
    expect(html).toContain('<span class="rate-value rate-warn">50%</span>');
    expect(html).toMatch(/<td class="cell cell-good"><a href="#attempt-\d+">1\/1<\/a>/);
  });

  it('shows each violation path and kind, and typecheck diagnostics', () => {
    expect(html).toContain('<td class="cell-code">package.json</td>');
    expect(html).toContain('<td class="cell-code">.env</td>');
    expect(html).toContain('Edit outside allowed paths');
    expect(html).toContain('src/components/HoldingsTable.tsx:11:18');
    expect(html).toContain('Cannot find name &#x27;sortBy&#x27;.');
  });

  it('renders the diff with added and removed lines', () => {
    expect(html).toMatch(/<tr class="line-add"><td class="ln"><\/td><td class="ln">11<\/td><td class="sign">\+<\/td><td class="src"> {2}const sorted &#x3D; \[\.\.\.rows\]\.sort/);
    expect(html).toMatch(/<tr class="line-del"><td class="ln">11<\/td>/);
    expect(html).toContain('&quot;lodash&quot;: &quot;^4.17.21&quot;,');
  });

  it('marks infra errors apart from model failures', () => {
    expect(html).toContain('Infra error (model endpoint)');
    expect(html).toContain('connect ECONNREFUSED 10.0.0.7:8000');
    expect(html).toMatch(/<details class="attempt tone-infra-error/);
    expect(html).toMatch(/<details class="attempt tone-failed/);
    expect(html).toContain('Failed: typecheck, tests, permissions');
    expect(html).toContain('Timed out after 5m 00s');
  });

  it('folds tool input and output and shows the scripted answers', () => {
    expect(html).toContain('<summary>Input</summary>');
    expect(html).toContain('→ Ascending');
    expect(html).toContain('Session error · ContextOverflowError');
  });

  it('shows the scripted-model banner only when the model was scripted', () => {
    expect(html).not.toContain(SCRIPTED_BANNER);
    expect(renderSample(true)).toContain(SCRIPTED_BANNER);
  });

  it('folds the rendered system prompts', () => {
    expect(html).toMatch(/<details class="fold prompt">\s*<summary><code>sortable\/default<\/code>/);
  });
});
