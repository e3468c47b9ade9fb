import type { RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import type { ReportFile } from './report-file.ts';

export const SUMMARY_JSON_PATH = 'summary.json';

/** The summary itself, for tools and for merging: stable key order, two-space indent. */
export function renderSummaryJson(summary: RunSummary): ReportFile[] {
  return [{ path: SUMMARY_JSON_PATH, contents: `${JSON.stringify(summary, null, 2)}\n` }];
}
