import { describe, expect, it } from 'vitest';
import { createSummaryFromSpecs } from '../runners/bench/support/summary-from-specs.ts';
import type { ConcurrencySample } from '../runners/core/domain/concurrency.ts';
import { makeRepeats, makeTarget } from '../runners/pipeline/summary/test-support.ts';
import { summarizeConcurrency, MAX_TIMELINE_SAMPLES } from '../runners/pipeline/summary/summarize-concurrency.ts';
import { buildConcurrencyView } from './model/concurrency-view.ts';
import { renderHtmlReport } from './render-html.ts';

const hostileServer = 'http://<b>gpu</b>:8000';

function sample(second: number, limit: number, running: number | null, waiting: number | null, action: ConcurrencySample['action'] = 'hold', server = 'http://gpu-a:8000'): ConcurrencySample {
  return { at: new Date(Date.UTC(2026, 11, 5, 12, 0, second)).toISOString(), server, limit, sessions: limit, queued: 3, running, waiting, kvCacheUsage: null, action, reason: 'a test' };
}

const base = createSummaryFromSpecs(makeRepeats('s1', 'qwen', 'PP'), [makeTarget('qwen')]);

describe('the concurrency timeline', () => {
  it('summarizes decisions per server from the log and thins a long run, keeping every change', () => {
    const events = Array.from({ length: MAX_TIMELINE_SAMPLES * 3 }, (_, index) => ({ v: 1, type: 'concurrency.sample', ...sample(index, index === 1000 ? 9 : 8, 6, 0, index === 1000 ? 'raise' : 'hold') }));
    const timelines = summarizeConcurrency([{ type: 'attempt.started' }, ...events]);
    expect(timelines).toHaveLength(1);
    expect(timelines?.[0]?.samples.length).toBeLessThanOrEqual(MAX_TIMELINE_SAMPLES + 10);
    expect(timelines?.[0]?.samples.some((kept) => kept.action === 'raise')).toBe(true);
    expect(summarizeConcurrency([{ type: 'attempt.started' }])).toBeUndefined();
  });

  it('draws limit, attempts, running and waiting on one scale, with the means in the caption', () => {
    const summary = { ...base, concurrency: [{ server: 'http://gpu-a:8000', samples: [sample(0, 2, null, null, 'start'), sample(3, 3, 2, 0, 'raise'), sample(6, 3, 3, 2)] }] };
    const chart = buildConcurrencyView(summary)?.charts[0];
    expect(chart?.caption).toBe('3 decisions over 6.0 s: limit 2 → 3 (at most 3), 2.5 running and 1.0 waiting on average');
    expect(chart?.lines.map((line) => line.className)).toEqual(['series-waiting', 'series-running', 'series-sessions', 'series-limit']);
    // The limit is a step line: it holds its value until the next decision.
    expect(chart?.lines.at(-1)?.points.split(' ')).toHaveLength(5);
    expect(chart?.fallback).toBeNull();
    expect(buildConcurrencyView(base)).toBeNull();
  });

  it('is in the report only when a server ran with auto, server names escaped, a fallback said', () => {
    const withAuto = { ...base, concurrency: [{ server: hostileServer, samples: [sample(0, 2, null, null, 'start', hostileServer), sample(3, 2, null, null, 'fallback', hostileServer)], fallbackReason: 'http://gpu/metrics answered HTTP 404' }] };
    const html = renderHtmlReport(withAuto)[0]?.contents ?? '';
    expect(html).toContain('id="concurrency"');
    expect(html).toContain('href="#concurrency"');
    expect(html).toContain('No signal to follow: http://gpu/metrics answered HTTP 404');
    expect(html).not.toContain('<b>gpu</b>');
    expect(html).toContain('&lt;b&gt;gpu&lt;/b&gt;');
    expect(renderHtmlReport(base)[0]?.contents).not.toContain('id="concurrency"');
  });
});

describe('summary.md', () => {
  it('has a line per server that ran with auto, and nothing otherwise', async () => {
    const { renderMarkdownSummary } = await import('./render-markdown.ts');
    const summary = { ...base, concurrency: [{ server: 'http://gpu-a:8000', samples: [sample(0, 2, null, null, 'start'), sample(3, 3, 2, 0, 'raise')] }] };
    const text = renderMarkdownSummary(summary)[0]?.contents ?? '';
    expect(text).toContain('## Concurrency (auto)');
    expect(text).toContain('limit 2 → 3 (at most 3), 2.0 running and 0.0 waiting on average');
    expect(renderMarkdownSummary(base)[0]?.contents).not.toContain('Concurrency (auto)');
  });
});
