import type { FeatureUse } from '../../runners/core/domain/feature-use.ts';
import { usedAnyFeature } from '../../runners/pipeline/summary/feature-statistics.ts';
import type { FeatureStatistics, RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { formatCount, formatOffset, formatRate } from './format.ts';
import type { RunIndex } from './run-index.ts';
import type { FactView } from './view-primitives.ts';

/**
 * How each configuration used OpenCode's TODOs, subagents and compaction, formatted once for
 * both the HTML report and summary.md. Every number comes from `statistics.cohorts[].features`.
 * Agent names may be model-chosen: the views escape them like any other text.
 */
export interface FeatureRowView {
  cohortIndex: number;
  targetId: string;
  promptVariantId: string;
  /** Attempts the model answered, which every count is over. */
  attempts: string;
  /** `7/9 (78%)`: TODO items completed of those written; `—` when none was written. */
  todoCompletion: string;
  todosOpen: string;
  /** `3 of 5` attempts. */
  todoAttempts: string;
  subagentAttempts: string;
  subagentsStarted: string;
  subagentSteps: string;
  /** The agents subagents ran as, comma-separated; empty with none. */
  subagentAgents: string;
  compactionAttempts: string;
  /** `4`, or `4 (1 after an overflow)`. */
  compactions: string;
  /** `2 of 3`: attempts that compacted and passed, of those that compacted; null when none compacted. */
  passedAfterCompacting: string | null;
}

export interface FeaturesView {
  rows: FeatureRowView[];
}

/** The per-configuration table, or null when no answered attempt used any of the features: nothing rather than zeros. */
export function buildFeaturesView(summary: RunSummary, index: RunIndex): FeaturesView | null {
  const { cohorts } = summary.statistics;
  if (!cohorts.some((cohort) => usedAnyFeature(cohort.features))) return null;
  return {
    rows: cohorts.map((cohort) => ({
      cohortIndex: index.cohortIndexOf(cohort.key),
      targetId: cohort.key.targetId,
      promptVariantId: cohort.key.promptVariantId,
      ...describeFeatureStatistics(cohort.features),
    })),
  };
}

function describeFeatureStatistics(features: FeatureStatistics): Omit<FeatureRowView, 'cohortIndex' | 'targetId' | 'promptVariantId'> {
  const { todos, subagents, compactions } = features;
  const ofAttempts = (count: number): string => `${formatCount(count)} of ${formatCount(features.attempts)}`;
  return {
    attempts: formatCount(features.attempts),
    todoCompletion: todos.created === 0 ? '—' : `${formatCount(todos.completed)}/${formatCount(todos.created)} (${formatRate(todos.completionRate)})`,
    todosOpen: formatCount(todos.open),
    todoAttempts: ofAttempts(todos.attempts),
    subagentAttempts: ofAttempts(subagents.attempts),
    subagentsStarted: formatCount(subagents.started),
    subagentSteps: formatCount(subagents.steps),
    subagentAgents: subagents.agents.join(', '),
    compactionAttempts: ofAttempts(compactions.attempts),
    compactions: `${formatCount(compactions.count)}${afterOverflow(compactions.afterOverflow)}`,
    passedAfterCompacting: compactions.attempts === 0 ? null : `${formatCount(compactions.passed)} of ${formatCount(compactions.attempts)}`,
  };
}

/**
 * One attempt's use of the features, one fact each, for its drill-down; empty when it used none.
 * Compaction times are offsets from the transcript's first entry, as on the timeline.
 */
export function describeAttemptFeatures(use: FeatureUse, transcriptStartMs: number): FactView[] {
  const facts: FactView[] = [];
  const { todos, subagents, compactions } = use;
  if (todos.created > 0) {
    const rest = [`${formatCount(todos.open)} open`, ...(todos.cancelled > 0 ? [`${formatCount(todos.cancelled)} cancelled`] : [])];
    facts.push({ label: 'TODOs', value: `${formatCount(todos.completed)}/${formatCount(todos.created)} done (${rest.join(', ')})` });
  }
  if (subagents.started > 0) {
    facts.push({ label: 'Subagents', value: `${formatCount(subagents.started)} started (${subagents.agents.join(', ')}) · ${formatCount(subagents.steps)} steps · ${formatCount(subagents.toolCalls)} tool calls` });
  }
  if (compactions.count > 0) {
    const each = compactions.each.map((compaction) => `${formatOffset(compaction.atMs - transcriptStartMs)} ${formatTokens(compaction.tokensBefore)} → ${formatTokens(compaction.tokensAfter)} tokens`);
    facts.push({ label: 'Compactions', value: `${formatCount(compactions.count)}${afterOverflow(compactions.afterOverflow)}: ${each.join('; ')}` });
  }
  return facts;
}

/** ` (1 after an overflow)`, or nothing when no compaction followed one. */
function afterOverflow(count: number): string {
  return count > 0 ? ` (${formatCount(count)} after an overflow)` : '';
}

function formatTokens(tokens: number | null): string {
  return tokens === null ? '?' : formatCount(tokens);
}
