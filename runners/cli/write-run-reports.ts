import { renderAllReports } from '../../reports/reporters.ts';
import { writeReportFiles } from '../../reports/write-report-files.ts';
import { readEventLog } from '../events/event-log.ts';
import { summarizeRun } from '../summary/summarize.ts';
import type { RunSummary } from '../summary/summary-types.ts';

export interface WrittenReports {
  summary: RunSummary;
  /** Absolute paths of the files written; the HTML report first. */
  paths: string[];
  /** Reporters that failed; the run is still recorded. */
  failures: Array<{ reporter: string; error: string }>;
  logProblems: Array<{ line: number; reason: string }>;
}

/** Rebuilds summary and reports from a run's event log: the log is the source of truth. */
export async function writeRunReports(runDir: string): Promise<WrittenReports> {
  const { events, problems } = readEventLog(runDir);
  const summary = summarizeRun(events);
  const results = renderAllReports(summary);
  const files = results.flatMap((result) => (result.status === 'rendered' ? result.files : []));
  const failures = results.flatMap((result) => (result.status === 'failed' ? [{ reporter: result.reporter, error: result.error }] : []));
  const paths = await writeReportFiles(runDir, files);
  paths.sort((a, b) => Number(b.endsWith('.html')) - Number(a.endsWith('.html')));
  return { summary, paths, failures, logProblems: problems };
}
