import type { RunSummary } from '../runners/pipeline/summary/summary-types.ts';
import { buildAdaptiveView } from './model/adaptive-view.ts';
import { buildFailureBreakdown } from './model/failure-view.ts';
import { buildFeaturesView } from './model/feature-view.ts';
import { buildConcurrencyView } from './model/concurrency-view.ts';
import { formatCount, formatDuration, formatTimestamp } from './model/format.ts';
import { buildHeatmap } from './model/heatmap-view.ts';
import { buildPromptsView } from './model/prompt-view.ts';
import { buildQuantizationView } from './model/quantization-view.ts';
import { buildReportData, type ReportData } from './model/report-data.ts';
import type { ReportModel, RunHeaderView, TotalCardView } from './model/report-model-types.ts';
import { buildScorecard } from './model/scorecard-view.ts';
import { createReportContext, type ReportContext } from './report-context.ts';
import { describeIsolation, GUARANTEES, lostGuarantees } from '../runners/core/domain/isolation.ts';

export type { ReportModel } from './model/report-model-types.ts';
export type { ReportData, ReportDataHead } from './model/report-data.ts';
export type { ReportContext } from './report-context.ts';

export const SCRIPTED_BANNER =
  'This run used the embedded scripted model, not a real LLM. Its results test the harness — the checks, the report, the plumbing — and say nothing about any model.';

/**
 * The server-rendered part of the report: everything on the first screens, formatted, from the
 * summary. The run index comes from the context (built from the summary when not given).
 */
export function buildReportModel(summary: RunSummary, given: Partial<ReportContext> = {}): ReportModel {
  const { index, previous } = createReportContext(summary, given);
  return {
    title: `Run ${summary.runId}`,
    header: buildHeader(summary),
    scriptedBanner: summary.scriptedModel ? SCRIPTED_BANNER : null,
    totals: buildTotals(summary),
    scorecard: buildScorecard(summary, index, previous),
    adaptive: buildAdaptiveView(summary),
    features: buildFeaturesView(summary, index),
    concurrency: buildConcurrencyView(summary),
    heatmap: buildHeatmap(summary, index),
    quantization: buildQuantizationView(summary, index),
    failures: buildFailureBreakdown(summary, index),
    prompts: buildPromptsView(summary),
    attemptCount: formatCount(summary.specs.reduce((total, spec) => total + spec.attempts.length, 0)),
  };
}

/** The part the page's script renders on demand: the attempt list and every drill-down. */
export function buildReportDataModel(summary: RunSummary, given: Partial<ReportContext> = {}): ReportData {
  return buildReportData(summary, createReportContext(summary, given).index);
}

function buildHeader(summary: RunSummary): RunHeaderView {
  const started = Date.parse(summary.startedAt);
  const finished = summary.finishedAt === null ? Number.NaN : Date.parse(summary.finishedAt);
  return {
    runId: summary.runId,
    startedAt: formatTimestamp(summary.startedAt),
    finishedAt: formatTimestamp(summary.finishedAt),
    duration: Number.isNaN(started) || Number.isNaN(finished) ? '—' : formatDuration(finished - started),
    status: summary.status,
    statusLabel: summary.status === 'complete' ? 'Complete' : 'Incomplete',
    opencodeVersion: summary.opencodeVersion,
    harnessVersion: summary.harnessVersion,
    configFile: summary.configFile,
    isolation: describeIsolation(summary.isolation),
    lostGuarantees: lostGuarantees(summary.isolation).map((guarantee) => GUARANTEES[guarantee]),
  };
}

function buildTotals(summary: RunSummary): TotalCardView[] {
  const { totals } = summary;
  return [
    { label: 'Specs', value: formatCount(totals.specs), tone: 'neutral' },
    { label: 'Passed', value: formatCount(totals.passed), tone: 'passed' },
    { label: 'Failed', value: formatCount(totals.failed), tone: 'failed' },
    { label: 'Timed out', value: formatCount(totals.timedOut), tone: 'timed-out' },
    { label: 'Infra errors', value: formatCount(totals.infraErrors), tone: 'infra-error' },
    { label: 'Pending', value: formatCount(totals.pending), tone: 'pending' },
  ];
}
