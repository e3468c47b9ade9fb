import type { RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import { renderHtmlReport } from './render-html.ts';
import { renderJunitReport } from './render-junit.ts';
import { renderMarkdownSummary } from './render-markdown.ts';
import { renderSummaryJson } from './render-summary-json.ts';
import type { ReportFile, Reporter } from './report-file.ts';

export type { ReportFile, Reporter } from './report-file.ts';

export type ReporterResult =
  | { status: 'rendered'; reporter: string; files: ReportFile[] }
  /** The reporter threw: a bug in it, isolated so that the other reporters still write. */
  | { status: 'failed'; reporter: string; error: string; stack: string | null };

export const REPORTERS: readonly Reporter[] = [
  { name: 'html', render: renderHtmlReport },
  { name: 'summary-json', render: renderSummaryJson },
  { name: 'junit', render: renderJunitReport },
  { name: 'summary-markdown', render: renderMarkdownSummary },
];

/** Runs every reporter; one that throws yields a `failed` result instead of stopping the rest. */
export function renderAllReports(summary: RunSummary, reporters: readonly Reporter[] = REPORTERS): ReporterResult[] {
  return reporters.map((reporter) => runReporter(reporter, summary));
}

function runReporter(reporter: Reporter, summary: RunSummary): ReporterResult {
  try {
    return { status: 'rendered', reporter: reporter.name, files: reporter.render(summary) };
  } catch (error) {
    return {
      status: 'failed',
      reporter: reporter.name,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      stack: error instanceof Error && error.stack !== undefined ? error.stack : null,
    };
  }
}
