import type { RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import { buildRunIndex, type RunIndex } from './model/run-index.ts';

/**
 * What a reporter may know besides the run itself. One context is made per report build and
 * handed to every reporter, so what it holds is worked out once.
 */
export interface ReportContext {
  /** The newest earlier run in the same output folder sharing at least one cohort, for trend arrows. */
  readonly previous: RunSummary | undefined;
  /**
   * The run's scenarios and cohorts, numbered. Built on first use and then kept: reporters that
   * never ask do not pay for it, and if building it throws, only the reporters that asked fail.
   */
  readonly index: RunIndex;
}

/** The context of one report build; `index`, when not given, is built from the summary on first use. */
export function createReportContext(summary: RunSummary, given: Partial<ReportContext> = {}): ReportContext {
  let index = given.index;
  return {
    previous: given.previous,
    get index(): RunIndex {
      index ??= buildRunIndex(summary);
      return index;
    },
  };
}
