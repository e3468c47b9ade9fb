import type { AttemptRecord } from '../../core/domain/attempt.ts';
import { describeFeatureUse } from '../../core/domain/feature-use.ts';
import type { FeatureStatistics } from './summary-types.ts';

/**
 * A cohort's use of OpenCode's TODOs, subagents and compaction, from its attempts. Only attempts
 * the model answered count (an infra error's transcript says nothing about the model); each is
 * read once by `describeFeatureUse`, the reading `harness validate` uses too. Pure.
 */
export function computeFeatureStatistics(attempts: readonly AttemptRecord[]): FeatureStatistics {
  const answered = attempts.filter((attempt) => attempt.outcome.kind !== 'infra-error');
  const statistics: FeatureStatistics = {
    attempts: answered.length,
    todos: { attempts: 0, created: 0, completed: 0, open: 0, cancelled: 0, completionRate: null },
    subagents: { attempts: 0, started: 0, steps: 0, agents: [] },
    compactions: { attempts: 0, count: 0, afterOverflow: 0, passed: 0 },
  };
  const agents = new Set<string>();
  for (const attempt of answered) {
    const use = describeFeatureUse(attempt.transcript);
    const { todos, subagents, compactions } = statistics;
    if (use.todos.created > 0) todos.attempts += 1;
    todos.created += use.todos.created;
    todos.completed += use.todos.completed;
    todos.open += use.todos.open;
    todos.cancelled += use.todos.cancelled;
    if (use.subagents.started > 0) subagents.attempts += 1;
    subagents.started += use.subagents.started;
    subagents.steps += use.subagents.steps;
    for (const agent of use.subagents.agents) agents.add(agent);
    if (use.compactions.count > 0) {
      compactions.attempts += 1;
      if (attempt.outcome.kind === 'passed') compactions.passed += 1;
    }
    compactions.count += use.compactions.count;
    compactions.afterOverflow += use.compactions.afterOverflow;
  }
  statistics.todos.completionRate = statistics.todos.created === 0 ? null : statistics.todos.completed / statistics.todos.created;
  statistics.subagents.agents = [...agents];
  return statistics;
}

/** Whether any attempt used TODOs, subagents or compaction: with none, reports say nothing rather than show zeros. */
export function usedAnyFeature(statistics: FeatureStatistics): boolean {
  return statistics.todos.attempts > 0 || statistics.subagents.attempts > 0 || statistics.compactions.attempts > 0;
}
