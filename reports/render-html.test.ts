import { describe, expect, it } from 'vitest';
import { decodeDataBlock, type DataEncoding } from './embed-data.ts';
import { DATA_BLOCK_ID, renderHtmlReport } from './render-html.ts';
import { renderOnePageScorecard } from './render-one-page.ts';
import type { ReportData } from './report-model.ts';
import { SCRIPTED_BANNER } from './report-model.ts';
import { buildRunIndex } from './model/run-index.ts';
import { createSampleSummary } from '../runners/testing/support/reports/sample-summary.ts';
import { createSyntheticSummary } from '../runners/bench/support/synthetic-summary.ts';
import { createSummaryFromSpecs } from '../runners/bench/support/summary-from-specs.ts';
import { makeRepeats, makeTarget } from '../runners/pipeline/summary/test-support.ts';

function renderSample(scriptedModel = false): string {
  const files = renderHtmlReport(createSampleSummary({ scriptedModel }));
  expect(files.map((file) => file.path)).toEqual(['report.html']);
  return files[0]?.contents ?? '';
}

/** The embedded data block, decoded as the page's script decodes it: the head, then one drill-down per line. */
function readDataBlock(html: string): ReportData & { encoding: string } {
  const match = new RegExp(`<script type="application/json" id="${DATA_BLOCK_ID}" data-encoding="([a-z0-9-]+)"[^>]*>([^<]*)</script>`).exec(html);
  if (match === null) throw new Error('no data block');
  const [, encoding = '', text = ''] = match;
  const { head, records } = decodeDataBlock(text, encoding as DataEncoding);
  return { ...(head as ReportData), details: records as ReportData['details'], encoding };
}

describe('renderOnePageScorecard', () => {
  it('puts the recommendation, every verdict with its sentence, interval, score and trend on one static page', () => {
    const previous = createSampleSummary();
    previous.runId = 'the-previous-run';
    const [file] = renderOnePageScorecard(createSampleSummary(), { previous });
    expect(file?.path).toBe('scorecard.html');
    const page = file?.contents ?? '';
    expect(page).not.toMatch(/<script\b/);
    expect(page).toContain('script-src &#x27;none&#x27;');
    expect(page).toContain('No single best: 2 configurations could be best');
    expect(page).toContain('<span class="badge badge-nothing-to-rate">Nothing to rate</span>');
    expect(page).toContain('qwen-awq · default could be best: no configuration is significantly better');
    expect(page).toContain('95% CI 0–100%');
    expect(page).toContain('trend against run <code>the-previous-run</code>');
    expect(page).toContain('2 scenarios × 1 repeat · 3 configurations');
  });
});

describe('renderHtmlReport', () => {
  const html = renderSample();

  it('is one self-contained document: nothing to load, one data block, one script', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\bsrc=/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html.match(/<script type="application\/json"/g)).toHaveLength(1);
  });

  it('renders the scorecard, heatmap, quantization view, failures and prompts as HTML', () => {
    for (const id of ['scorecard', 'heatmap', 'quantization', 'failures', 'attempts', 'prompts']) expect(html).toContain(`<section id="${id}"`);
    expect(html).toContain('<span class="verdict verdict-top-group"');
    expect(html).toContain('No single best: 2 configurations could be best');
    expect(html).toContain('<td colspan="11" class="verdict-sentence">qwen-fp16 · terse has no model-answerable result (1 infra error, 1 pending), so there is nothing to rate and it is left out of the comparisons.</td>');
    expect(html).toMatch(/<td class="hm heat-10" title="[^"]*"><a href="#attempts" data-scenario="0" data-cohort="0">1\/1<\/a><\/td>/);
    expect(html).toMatch(/<rect class="ci-range ci-warn" x="0.2" y="4" width="99.6" height="8" rx="3"><\/rect>/);
    expect(html).toContain('<h3>Qwen2.5-Coder-32B-Instruct</h3>');
    expect(html).toContain('<svg class="scatter"');
    expect(html).toContain('connect ECONNREFUSED 10.0.0.7:8000');
  });

  it('embeds the attempt list and every drill-down in the data block', () => {
    const data = readDataBlock(html);
    expect(data.attempts).toHaveLength(6);
    expect(data.details.find((detail) => detail.attemptId === 's2-attempt-1')?.checks.map((check) => check.name)).toEqual(['typecheck', 'lint', 'tests', 'permissions', 'agent-health']);
    expect(data.cohorts).toEqual([
      { targetId: 'qwen-fp16', promptVariantId: 'default' },
      { targetId: 'qwen-fp16', promptVariantId: 'terse' },
      { targetId: 'qwen-awq', promptVariantId: 'default' },
    ]);
  });

  it('shows the scripted-model banner, plainly, only when the model was scripted', () => {
    expect(html).not.toContain(SCRIPTED_BANNER);
    const scripted = renderSample(true);
    expect(scripted).toContain(SCRIPTED_BANNER);
    expect(scripted).toContain('<strong>Scripted model, not a real LLM.</strong>');
  });

  it('marks the trend against a previous run when one is given', () => {
    const previous = createSampleSummary();
    previous.runId = 'the-previous-run';
    const withTrend = renderHtmlReport(createSampleSummary(), { previous })[0]?.contents ?? '';
    expect(withTrend).toContain('<code>the-previous-run</code>');
    expect(withTrend).toContain('<th>Trend</th>');
    expect(html).not.toContain('<th>Trend</th>');
  });

  it('numbers the tables and the data by the run index it is given, rather than building its own', () => {
    const summary = createSampleSummary();
    const index = buildRunIndex(summary);
    const last = index.cohorts.length - 1;
    const reversed = { ...index, cohorts: [...index.cohorts].reverse(), cohortIndexOf: (key: Parameters<typeof index.cohortIndexOf>[0]) => last - index.cohortIndexOf(key) };
    const renumbered = renderHtmlReport(summary, { index: reversed })[0]?.contents ?? '';
    expect(readDataBlock(renumbered).cohorts.map((key) => key.targetId)).toEqual(['qwen-awq', 'qwen-fp16', 'qwen-fp16']);
    expect(renumbered).toMatch(/data-cohort="0"[^>]*><code>qwen-awq<\/code>/);
    expect(html).toMatch(/data-cohort="2"[^>]*><code>qwen-awq<\/code>/);
  });

  it('compresses the data of a large run and still holds every attempt', () => {
    const large = renderHtmlReport(createSyntheticSummary({ attempts: 400, seed: 2 }))[0]?.contents ?? '';
    const data = readDataBlock(large);
    expect(data.encoding).toBe('gzip-base64');
    expect(readDataBlock(html).encoding).toBe('json-lines');
    expect(data.attempts.length).toBeGreaterThanOrEqual(400);
    expect(data.details).toHaveLength(data.attempts.length);
  });

  it('is pure: the same summary gives the same bytes', () => {
    expect(renderSample()).toBe(html);
  });

  it('renders a run with no specs, and one with only pending specs', () => {
    const empty = renderHtmlReport(createSummaryFromSpecs([], [makeTarget('a')]))[0]?.contents ?? '';
    expect(empty).toContain('No specs were planned.');
    expect(empty).toContain('No scenario was planned.');
    expect(readDataBlock(empty).attempts).toEqual([]);
    const pending = renderHtmlReport(createSummaryFromSpecs(makeRepeats('s1', 'a', '--'), [makeTarget('a')], { status: 'incomplete', finishedAt: null }))[0]?.contents ?? '';
    expect(pending).toContain('No configuration has a result the model is answerable for yet.');
    expect(pending).toContain('2 pending');
  });
});
