import type { AttemptRecord } from '../../runners/core/domain/attempt.ts';
import type { CheckName } from '../../runners/core/domain/check-result.ts';
import { buildCheckViews } from './check-view.ts';
import { FULL_LIMITS, foldLimitOf, type DetailLimits } from './detail-budget.ts';
import { buildDiffView } from './diff-view.ts';
import { formatCost, formatCount, formatDuration, formatTimestamp, sumTokens } from './format.ts';
import { describeVerdict } from './outcome-view.ts';
import type { AttemptView, PublishedView } from './attempt-view-types.ts';
import type { FactView } from './view-primitives.ts';
import type { SpecSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { CHECK_NAMES } from '../../runners/core/domain/check-result.ts';
import { buildTimeline, transcriptStartOf } from './timeline-view.ts';
import { describeAttemptFeatures } from './feature-view.ts';
import { describeFeatureUse } from '../../runners/core/domain/feature-use.ts';
import { describeServerLoad, measureServerLoad } from './server-load.ts';
import type { ServingMetricsRecord } from '../../runners/core/domain/serving-metrics.ts';

export interface AttemptContext {
  spec: SpecSummary;
  scenarioTitle: string;
  /** The run's serving-metrics windows, to say whether the server was saturated when an attempt timed out. */
  servingMetrics?: readonly ServingMetricsRecord[] | undefined;
  /** How much of each long text to keep; everything up to generous caps by default. */
  limits?: DetailLimits | undefined;
}

/** The drill-down of one attempt: verdict, checks with evidence, diff, transcript, costs. */
export function buildAttemptView(attempt: AttemptRecord, context: AttemptContext): AttemptView {
  const { spec } = context.spec;
  const limits = context.limits ?? FULL_LIMITS;
  const verdict = describeVerdict(attempt.outcome, attempt);
  const attemptCount = context.spec.attempts.length;
  return {
    tone: verdict.tone,
    verdict,
    targetId: spec.targetId,
    promptVariantId: spec.promptVariantId,
    scenarioId: spec.scenarioId,
    scenarioTitle: context.scenarioTitle,
    repeat: spec.repeatIndex + 1,
    attemptLabel: attemptCount > 1 ? `attempt ${attempt.attemptNumber} of ${attemptCount}` : `attempt ${attempt.attemptNumber}`,
    specId: spec.id,
    attemptId: attempt.attemptId,
    isFinal: context.spec.attempts.at(-1) === attempt,
    reusedFrom: attempt.reusedFrom === undefined ? null : `run ${attempt.reusedFrom.runId}, attempt ${attempt.reusedFrom.attemptId}`,
    serverLoad: attempt.outcome.kind === 'timed-out' ? `Model server during this attempt: ${describeServerLoad(measureServerLoad(attempt, spec.targetId, context.servingMetrics))}.` : null,
    startedAt: formatTimestamp(attempt.startedAt),
    totalTime: formatDuration(attempt.timings.totalMs),
    totalTokens: formatCount(sumTokens(attempt.tokens)),
    checks: buildCheckViews(attempt.checks),
    changedFiles: attempt.changedFiles,
    diff: buildDiffView(attempt.diff, limits.diffChars),
    timeline: buildTimeline(attempt.transcript, { foldChars: foldLimitOf(limits, attempt), textChars: limits.textChars }),
    features: describeAttemptFeatures(describeFeatureUse(attempt.transcript), transcriptStartOf(attempt.transcript)),
    published: describePublished(attempt),
    timings: describeTimings(attempt),
    tokens: describeAttemptTokens(attempt),
  };
}

function describePublished(attempt: AttemptRecord): PublishedView | null {
  const { change } = attempt;
  if (change === undefined) return null;
  if (change.status !== 'published') return change;
  return { status: 'published', branch: change.branch, commit: change.commit.slice(0, 12), patchHref: change.patch, files: change.files.length };
}

function describeTimings(attempt: AttemptRecord): FactView[] {
  const { timings } = attempt;
  const checkFacts = CHECK_NAMES.flatMap((name: CheckName) => {
    const ms = timings.checkMs[name];
    return ms === undefined ? [] : [{ label: `· ${name}`, value: formatDuration(ms) }];
  });
  return [
    { label: 'Started', value: formatTimestamp(attempt.startedAt) },
    { label: 'Finished', value: formatTimestamp(attempt.finishedAt) },
    { label: 'Sandbox', value: formatDuration(timings.sandboxMs) },
    { label: 'Agent', value: formatDuration(timings.agentMs) },
    { label: 'Checks', value: formatDuration(timings.checksMs) },
    ...checkFacts,
    { label: 'Total', value: formatDuration(timings.totalMs) },
  ];
}

function describeAttemptTokens(attempt: AttemptRecord): FactView[] {
  const { tokens } = attempt;
  return [
    { label: 'Input', value: formatCount(tokens.input) },
    { label: 'Output', value: formatCount(tokens.output) },
    { label: 'Reasoning', value: formatCount(tokens.reasoning) },
    { label: 'Cache read', value: formatCount(tokens.cacheRead) },
    { label: 'Cache write', value: formatCount(tokens.cacheWrite) },
    { label: 'Total', value: formatCount(sumTokens(tokens)) },
    { label: 'Cost', value: formatCost(attempt.costUsd) },
  ];
}
