import type { RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import { renderHtmlReport } from './render-html.ts';
import { renderJunitReport } from './render-junit.ts';
import { renderMarkdownSummary } from './render-markdown.ts';
import { renderOnePageScorecard } from './render-one-page.ts';
import { renderSummaryJson } from './render-summary-json.ts';
import { createReportContext, type ReportContext } from './report-context.ts';
import type { ReportFile, Reporter } from './report-file.ts';

export type { ReportContext, ReportFile, Reporter } from './report-file.ts';

export type ReporterResult =
  | { status: 'rendered'; reporter: string; files: ReportFile[] }
  /** The reporter threw: a bug in it, isolated so that the other reporters still write. */
  | { status: 'failed'; reporter: string; error: string; stack: string | null };

export const REPORTERS: readonly Reporter[] = [
  { name: 'html', render: renderHtmlReport },
  { name: 'scorecard-page', render: renderOnePageScorecard },
  { name: 'summary-json', render: renderSummaryJson },
  { name: 'junit', render: renderJunitReport },
  { name: 'summary-markdown', render: renderMarkdownSummary },
];

export interface RenderAllReportsOptions {
  /** The newest earlier comparable run, for the trend; none by default. */
  previous?: RunSummary | undefined;
  reporters?: readonly Reporter[];
}

/**
 * Runs every reporter with one context, made once for this build; one that throws yields a
 * `failed` result instead of stopping the rest.
 */
export function renderAllReports(summary: RunSummary, options: RenderAllReportsOptions = {}): ReporterResult[] {
  const context = createReportContext(summary, { previous: options.previous });
  return (options.reporters ?? REPORTERS).map((reporter) => runReporter(reporter, summary, context));
}

function runReporter(reporter: Reporter, summary: RunSummary, context: ReportContext): ReporterResult {
  try {
    return { status: 'rendered', reporter: reporter.name, files: reporter.render(summary, context) };
  } catch (error) {
    return {
      status: 'failed',
      reporter: reporter.name,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      stack: error instanceof Error && error.stack !== undefined ? error.stack : null,
    };
  }
}
