import type { RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import { buildContentSecurityPolicy, loadHtmlView } from './html-view.ts';
import { formatTimestamp } from './model/format.ts';
import { buildScorecard, type ScorecardView } from './model/scorecard-view.ts';
import { createReportContext, type ReportContext } from './report-context.ts';
import type { ReportFile } from './report-file.ts';

export const ONE_PAGE_PATH = 'scorecard.html';

export interface OnePageView {
  runId: string;
  startedAt: string;
  status: string;
  /** `8 scenarios × 3 repeats · 10 configurations` */
  design: string;
  scripted: boolean;
  previousRunId: string | null;
  scorecard: ScorecardView;
}

/** The one-page view: the scorecard of the report, with the run's design in a line. */
export function buildOnePage(summary: RunSummary, given: Partial<ReportContext> = {}): OnePageView {
  const context = createReportContext(summary, given);
  const scorecard = buildScorecard(summary, context.index, context.previous);
  const { power } = summary.statistics;
  const configurations = summary.statistics.cohorts.length;
  return {
    runId: summary.runId,
    startedAt: formatTimestamp(summary.startedAt),
    status: summary.status === 'complete' ? 'complete' : 'incomplete',
    design: `${power.scenarios} scenario${power.scenarios === 1 ? '' : 's'} × ${power.repeats} repeat${power.repeats === 1 ? '' : 's'} · ${configurations} configuration${configurations === 1 ? '' : 's'}`,
    scripted: summary.scriptedModel,
    previousRunId: scorecard.previousRun?.runId ?? null,
    scorecard,
  };
}

/**
 * `scorecard.html`: the leadership page — the recommendation, every configuration's verdict with
 * its sentence, pass rate and interval, score and trend — laid out to print on ONE A4 page (checked
 * in Chromium for 10 configurations). Static HTML, no script. Pure.
 */
export function renderOnePageScorecard(summary: RunSummary, given: Partial<ReportContext> = {}): ReportFile[] {
  const view = loadHtmlView();
  const contents = view.renderPage('one-page', { page: buildOnePage(summary, given), contentSecurityPolicy: buildContentSecurityPolicy(null) });
  return [{ path: ONE_PAGE_PATH, contents }];
}
