import { composeVariantText, listVariantKeys } from './variant-text.ts';
import { CHECK_NAMES } from '../../runners/core/domain/check-result.ts';
import type { RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { buildAttemptView } from './attempt-view.ts';
import type { AttemptView } from './attempt-view-types.ts';
import { formatCount, formatDuration, sumTokens } from './format.ts';
import { planDetailLimits } from './detail-budget.ts';
import type { RunIndex } from './run-index.ts';
import type { AttemptRowData, ReportData } from './report-data-types.ts';

export type { AttemptRowData, ReportData, ReportDataHead } from './report-data-types.ts';

/** What the page's script reads: a light index of every attempt for the attempt list, and each attempt's drill-down. */
export function buildReportData(summary: RunSummary, index: RunIndex, budgetChars?: number): ReportData {
  const limits = planDetailLimits(summary, budgetChars);
  const ordered = [...summary.specs].sort(
    (left, right) =>
      index.scenarioIndexOf(left.spec.scenarioId) - index.scenarioIndexOf(right.spec.scenarioId) ||
      index.cohortIndexOf(left.spec) - index.cohortIndexOf(right.spec) ||
      left.spec.repeatIndex - right.spec.repeatIndex,
  );
  const attempts: AttemptRowData[] = [];
  const details: AttemptView[] = [];
  for (const spec of ordered) {
    const scenario = index.scenarioIndexOf(spec.spec.scenarioId);
    const scenarioTitle = index.scenarios[scenario]?.title ?? spec.spec.scenarioId;
    for (const attempt of spec.attempts) {
      const view = buildAttemptView(attempt, { spec, scenarioTitle, limits, servingMetrics: summary.servingMetrics });
      details.push(view);
      attempts.push({
        id: attempt.attemptId,
        scenario,
        cohort: index.cohortIndexOf(spec.spec),
        repeat: spec.spec.repeatIndex + 1,
        attempt: attempt.attemptNumber,
        of: spec.attempts.length,
        tone: view.tone,
        title: view.verdict.title,
        time: formatDuration(attempt.timings.totalMs),
        tokens: formatCount(sumTokens(attempt.tokens)),
        failed: attempt.checks.filter((check) => check.status === 'failed').map((check) => check.check),
        final: view.isFinal,
        reused: attempt.reusedFrom !== undefined,
      });
    }
  }
  return {
    version: 1,
    runId: summary.runId,
    scenarios: index.scenarios.map((scenario) => ({ id: scenario.id, title: scenario.title })),
    cohorts: index.cohorts.map((key) => ({ targetId: key.targetId, promptVariantId: key.promptVariantId })),
    checks: [...CHECK_NAMES],
    attempts,
    details,
    trimmedNote: limits.isTrimmed
      ? `This run is large, so this report keeps every transcript entry but cuts tool inputs and outputs to ${formatCount(limits.foldChars)} characters (${limits.passedFoldChars === 0 ? 'and leaves them out of passed attempts' : `${formatCount(limits.passedFoldChars)} in passed attempts`}), messages to ${formatCount(limits.textChars)} and each diff to ${formatCount(limits.diffChars)}. The run's events.jsonl holds everything.`
      : null,
    prompts: listVariantKeys(summary).map((key) => ({ key, text: composeVariantText(summary, key) })),
  };
}
