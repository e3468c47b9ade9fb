import type { RunSummary } from '../runners/pipeline/summary/summary-types.ts';

/** One file a reporter produces, with its path relative to the run directory. */
export interface ReportFile {
  /** Relative to the run directory, e.g. `report.html`; never absolute, never `..`. */
  path: string;
  contents: string;
}

/** A pure function from the summary to the files it wants written. */
export interface Reporter {
  name: string;
  render: (summary: RunSummary) => ReportFile[];
}
