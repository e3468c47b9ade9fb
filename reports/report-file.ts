import type { RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import type { ReportContext } from './report-context.ts';

export type { ReportContext } from './report-context.ts';

/** One file a reporter produces, with its path relative to the run directory. */
export interface ReportFile {
  /** Relative to the run directory, e.g. `report.html`; never absolute, never `..`. */
  path: string;
  contents: string;
}

/**
 * A pure function from the summary, and what the report build knows besides it, to the files
 * it wants written. Every reporter gets the same context; none is swapped or wrapped for it.
 */
export interface Reporter {
  name: string;
  render: (summary: RunSummary, context: ReportContext) => ReportFile[];
}
