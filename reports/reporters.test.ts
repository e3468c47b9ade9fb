import { describe, expect, it } from 'vitest';
import { REPORTERS, renderAllReports } from './reporters.ts';
import { renderSummaryJson } from './render-summary-json.ts';
import type { ReportContext, Reporter } from './reporters.ts';
import { createSampleSummary } from '../runners/testing/support/reports/sample-summary.ts';

describe('renderAllReports', () => {
  const summary = createSampleSummary();

  it('renders the HTML report, the one-page scorecard, the summary JSON, JUnit XML and the Markdown summary by default', () => {
    const results = renderAllReports(summary);
    expect(results.map((result) => result.status)).toEqual(['rendered', 'rendered', 'rendered', 'rendered', 'rendered']);
    const paths = results.flatMap((result) => (result.status === 'rendered' ? result.files.map((file) => file.path) : []));
    expect(paths).toEqual(['report.html', 'scorecard.html', 'summary.json', 'junit.xml', 'summary.md']);
    expect(REPORTERS.map((reporter) => reporter.name)).toEqual(['html', 'scorecard-page', 'summary-json', 'junit', 'summary-markdown']);
  });

  it('writes the summary JSON so that it reads back equal', () => {
    const json = renderAllReports(summary).find((result) => result.reporter === 'summary-json');
    const contents = json?.status === 'rendered' ? json.files[0]?.contents : undefined;
    expect(JSON.parse(contents ?? 'null')).toEqual(summary);
  });

  it('isolates a reporter that throws: the others still render', () => {
    const throwing: Reporter = {
      name: 'broken',
      render: () => {
        throw new TypeError('cannot read the summary');
      },
    };
    const results = renderAllReports(summary, { reporters: [throwing, ...REPORTERS] });
    expect(results).toHaveLength(REPORTERS.length + 1);
    const [broken, html, page, json] = results;
    expect(broken).toMatchObject({ status: 'failed', reporter: 'broken', error: 'TypeError: cannot read the summary' });
    expect(broken?.status === 'failed' ? broken.stack : null).toContain('reporters.test.ts');
    expect(html).toMatchObject({ status: 'rendered', reporter: 'html' });
    expect(page).toMatchObject({ status: 'rendered', reporter: 'scorecard-page' });
    expect(json).toMatchObject({ status: 'rendered', reporter: 'summary-json' });
  });

  it('reports a thrown non-error value by its text', () => {
    const throwsText: Reporter = {
      name: 'string',
      render: () => {
        throw 'plain text';
      },
    };
    expect(renderAllReports(summary, { reporters: [throwsText] })).toEqual([{ status: 'failed', reporter: 'string', error: 'plain text', stack: null }]);
  });

  it('hands every reporter one context: the previous run as given, the run index built once', () => {
    const previous = createSampleSummary();
    previous.runId = 'the-previous-run';
    const seen: ReportContext[] = [];
    const recording = (name: string): Reporter => ({
      name,
      render: (_summary, context) => {
        seen.push(context);
        return [{ path: `${name}.txt`, contents: context.index.cohorts.length.toString() }];
      },
    });
    const results = renderAllReports(summary, { previous, reporters: [recording('first'), ...REPORTERS, recording('last')] });
    expect(results.map((result) => result.status)).toEqual(['rendered', 'rendered', 'rendered', 'rendered', 'rendered', 'rendered', 'rendered']);
    const [first, last] = seen;
    expect(first).toBe(last);
    expect(first?.previous).toBe(previous);
    expect(first?.index).toBe(last?.index);
    expect(first?.index.cohorts).toHaveLength(3);
    const html = results.find((result) => result.reporter === 'html');
    expect(html?.status === 'rendered' ? html.files[0]?.contents : '').toContain('<code>the-previous-run</code>');
  });

  it('builds the run index only for the reporters that ask, so a failure to build it fails only them', () => {
    const withoutStatistics = { ...summary, statistics: undefined } as unknown as typeof summary;
    const indexed: Reporter = { name: 'indexed', render: (_summary, context) => [{ path: 'x.txt', contents: String(context.index.cohorts.length) }] };
    const results = renderAllReports(withoutStatistics, { reporters: [{ name: 'summary-json', render: renderSummaryJson }, indexed] });
    expect(results.map((result) => [result.reporter, result.status])).toEqual([['summary-json', 'rendered'], ['indexed', 'failed']]);
  });
});
