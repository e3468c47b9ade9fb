import { describe, expect, it } from 'vitest';
import { REPORTERS, renderAllReports } from './reporters.ts';
import type { Reporter } from './reporters.ts';
import { createSampleSummary } from '../runners/testing/support/reports/sample-summary.ts';

describe('renderAllReports', () => {
  const summary = createSampleSummary();

  it('renders the HTML report, the summary JSON, JUnit XML and the Markdown summary by default', () => {
    const results = renderAllReports(summary);
    expect(results.map((result) => result.status)).toEqual(['rendered', 'rendered', 'rendered', 'rendered']);
    const paths = results.flatMap((result) => (result.status === 'rendered' ? result.files.map((file) => file.path) : []));
    expect(paths).toEqual(['report.html', 'summary.json', 'junit.xml', 'summary.md']);
    expect(REPORTERS.map((reporter) => reporter.name)).toEqual(['html', 'summary-json', 'junit', 'summary-markdown']);
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
    const results = renderAllReports(summary, [throwing, ...REPORTERS]);
    expect(results).toHaveLength(REPORTERS.length + 1);
    const [broken, html, json] = results;
    expect(broken).toMatchObject({ status: 'failed', reporter: 'broken', error: 'TypeError: cannot read the summary' });
    expect(broken?.status === 'failed' ? broken.stack : null).toContain('reporters.test.ts');
    expect(html).toMatchObject({ status: 'rendered', reporter: 'html' });
    expect(json).toMatchObject({ status: 'rendered', reporter: 'summary-json' });
  });

  it('reports a thrown non-error value by its text', () => {
    const throwsText: Reporter = {
      name: 'string',
      render: () => {
        throw 'plain text';
      },
    };
    expect(renderAllReports(summary, [throwsText])).toEqual([{ status: 'failed', reporter: 'string', error: 'plain text', stack: null }]);
  });
});
