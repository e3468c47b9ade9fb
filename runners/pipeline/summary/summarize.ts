import { CHECK_NAMES, type CheckName } from '../../core/domain/check-result.ts';
import { type AttemptRecord } from '../../core/domain/attempt.ts';
import { plannedSpecsOf, type HarnessEvent, type RunStartedEvent } from '../events/event-types.ts';
import { summarizeAdaptive } from './adaptive-summary.ts';
import { summarizeServingMetrics } from './summarize-serving-metrics.ts';
import { summarizeConcurrency } from './summarize-concurrency.ts';
import { computeRunStatistics } from './run-statistics.ts';
import type { OutcomeTotals, RunSummary, SpecSummary } from './summary-types.ts';

/**
 * Derives the run summary from the event log. Pure: the same events always give the same
 * summary. A spec's outcome is its last finished attempt's; earlier (retried) attempts are kept.
 */
export function summarizeRun(events: readonly HarnessEvent[]): RunSummary {
  const started = events.find((event): event is RunStartedEvent => event.type === 'run.started');
  if (started === undefined) throw new Error('summarizeRun: the events hold no run.started');
  const attemptsBySpec = new Map<string, AttemptRecord[]>();
  let finishedAt: string | null = null;
  for (const event of events) {
    if (event.type === 'attempt.finished') {
      const list = attemptsBySpec.get(event.attempt.specId) ?? [];
      list.push(event.attempt);
      attemptsBySpec.set(event.attempt.specId, list);
    } else if (event.type === 'run.finished') {
      finishedAt = event.at;
    }
  }
  // An adaptive run (--until-decided) adds specs round by round.
  const specs: SpecSummary[] = plannedSpecsOf(events).map((spec) => {
    const attempts = (attemptsBySpec.get(spec.id) ?? []).sort((a, b) => a.attemptNumber - b.attemptNumber);
    const last = attempts.at(-1);
    return { spec, attempts, outcome: last === undefined ? { kind: 'pending' } : last.outcome };
  });
  const totals = countOutcomes(specs);
  return {
    version: 1,
    runId: started.runId,
    startedAt: started.at,
    finishedAt,
    status: finishedAt !== null && totals.pending === 0 ? 'complete' : 'incomplete',
    scriptedModel: started.scriptedModel,
    harnessVersion: started.harnessVersion,
    opencodeVersion: started.opencodeVersion,
    configFile: started.configFile,
    isolation: started.isolation,
    targets: started.targets,
    scenarios: started.scenarios,
    promptVariants: started.promptVariants,
    renderedPrompts: started.renderedPrompts,
    renderedInstructions: started.renderedInstructions,
    effectiveConfigs: started.effectiveConfigs,
    specs,
    totals,
    checkFailures: countCheckFailures(specs),
    statistics: computeRunStatistics(specs, started.targets),
    servingMetrics: summarizeServingMetrics(events),
    concurrency: summarizeConcurrency(events),
    adaptive: summarizeAdaptive(events),
  };
}

function countOutcomes(specs: readonly SpecSummary[]): OutcomeTotals {
  const totals: OutcomeTotals = { specs: specs.length, passed: 0, failed: 0, timedOut: 0, infraErrors: 0, pending: 0 };
  for (const { outcome } of specs) {
    switch (outcome.kind) {
      case 'passed':
        totals.passed += 1;
        break;
      case 'failed':
        totals.failed += 1;
        break;
      case 'timed-out':
        totals.timedOut += 1;
        break;
      case 'infra-error':
        totals.infraErrors += 1;
        break;
      case 'pending':
        totals.pending += 1;
        break;
    }
  }
  return totals;
}

function countCheckFailures(specs: readonly SpecSummary[]): Record<CheckName, number> {
  const counts = Object.fromEntries(CHECK_NAMES.map((name) => [name, 0])) as Record<CheckName, number>;
  for (const { outcome } of specs) {
    if (outcome.kind !== 'failed') continue;
    for (const name of outcome.failedChecks) counts[name] += 1;
  }
  return counts;
}
