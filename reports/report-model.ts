import type { AttemptRecord } from '../runners/domain.ts';
import { CHECK_NAMES } from '../runners/domain.ts';
import type { RunSummary } from '../runners/summary/summary-types.ts';
import { buildAttemptView } from './model/attempt-view.ts';
import { buildComparisonRows, buildMatrix, cohortKey, listCohorts, listScenarios } from './model/comparison-view.ts';
import { formatCount, formatDuration, formatPercent, formatTimestamp } from './model/format.ts';
import type { ReportModel, RunHeaderView, ScenarioSectionView, TotalsView } from './model/report-model-types.ts';

export type { ReportModel } from './model/report-model-types.ts';

export const SCRIPTED_BANNER = 'Results come from the embedded scripted model, not a real LLM: they test the harness, not a model.';

/** The view model of the report: everything the HTML shows, formatted, from the summary alone. */
export function buildReportModel(summary: RunSummary): ReportModel {
  const anchors = assignAttemptAnchors(summary);
  const anchorOf = (attempt: AttemptRecord): string => anchors.get(attempt) ?? 'attempts';
  return {
    title: `Run ${summary.runId}`,
    header: buildHeader(summary),
    scriptedBanner: summary.scriptedModel ? SCRIPTED_BANNER : null,
    totals: buildTotals(summary),
    comparison: buildComparisonRows(summary),
    matrix: buildMatrix(summary, anchorOf),
    scenarios: buildScenarioSections(summary, anchorOf),
    renderedPrompts: Object.entries(summary.renderedPrompts)
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([key, text]) => ({ key, text, lineCount: text.split('\n').length })),
  };
}

function assignAttemptAnchors(summary: RunSummary): Map<AttemptRecord, string> {
  const anchors = new Map<AttemptRecord, string>();
  for (const attempt of summary.specs.flatMap((spec) => spec.attempts)) anchors.set(attempt, `attempt-${anchors.size + 1}`);
  return anchors;
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
  };
}

function buildTotals(summary: RunSummary): TotalsView {
  const { totals } = summary;
  const finished = totals.specs - totals.pending;
  const attributable = totals.passed + totals.failed + totals.timedOut;
  return {
    cards: [
      { label: 'Specs', value: formatCount(totals.specs), tone: 'neutral' },
      { label: 'Passed', value: formatCount(totals.passed), tone: 'passed' },
      { label: 'Failed', value: formatCount(totals.failed), tone: 'failed' },
      { label: 'Timed out', value: formatCount(totals.timedOut), tone: 'timed-out' },
      { label: 'Infra errors', value: formatCount(totals.infraErrors), tone: 'infra-error' },
      { label: 'Pending', value: formatCount(totals.pending), tone: 'pending' },
    ],
    passRate: formatPercent(totals.passed, attributable),
    checkFailures: CHECK_NAMES.map((check) => ({
      check,
      count: summary.checkFailures[check],
      percent: finished === 0 ? 0 : Math.round((summary.checkFailures[check] / finished) * 100),
    })),
  };
}

function buildScenarioSections(summary: RunSummary, anchorOf: (attempt: AttemptRecord) => string): ScenarioSectionView[] {
  const cohortRank = new Map(listCohorts(summary).map((cohort, index) => [cohortKey(cohort), index]));
  const rank = (key: string): number => cohortRank.get(key) ?? cohortRank.size;
  return listScenarios(summary).map((scenario, index) => {
    const specs = summary.specs
      .filter((candidate) => candidate.spec.scenarioId === scenario.id)
      .sort((left, right) => rank(cohortKey(left.spec)) - rank(cohortKey(right.spec)) || left.spec.repeatIndex - right.spec.repeatIndex);
    return {
      anchor: `scenario-${index + 1}`,
      id: scenario.id,
      title: scenario.title,
      fixture: scenario.fixture,
      tags: scenario.tags,
      turns: scenario.turns,
      attempts: specs.flatMap((spec) => spec.attempts.map((attempt) => buildAttemptView(attempt, { spec, anchor: anchorOf(attempt) }))),
      pendingSpecs: specs.filter((spec) => spec.attempts.length === 0).length,
    };
  });
}
