import { CHECK_NAMES, type CheckName } from '../../core/domain/check-result.ts';
import { type ResolvedTarget } from '../../core/domain/target.ts';
import { computeRunStatistics } from '../../pipeline/summary/run-statistics.ts';
import type { OutcomeTotals, RunSummary, SpecSummary } from '../../pipeline/summary/summary-types.ts';

/** A run summary around the given specs, its totals and statistics computed as a real run's are. */
export function createSummaryFromSpecs(specs: SpecSummary[], targets: ResolvedTarget[], overrides: Partial<RunSummary> = {}): RunSummary {
  const scenarioIds = [...new Set(specs.map((spec) => spec.spec.scenarioId))];
  const variantIds = [...new Set(specs.map((spec) => spec.spec.promptVariantId))];
  return {
    version: 1,
    runId: 'run-under-test',
    startedAt: '2025-06-02T09:00:00.000Z',
    finishedAt: '2025-06-02T10:00:00.000Z',
    status: 'complete',
    scriptedModel: false,
    harnessVersion: '0.1.0',
    opencodeVersion: '1.18.33',
    configFile: 'harness.config.ts',
    isolation: undefined,
    targets,
    scenarios: scenarioIds.map((id) => ({ id, title: `Scenario ${id}`, fixture: 'portfolio-dashboard', tags: [], turns: ['Do it.'] })),
    promptVariants: variantIds.map((id) => ({ id, description: id })),
    renderedPrompts: {},
    specs,
    totals: countTotals(specs),
    checkFailures: countCheckFailures(specs),
    statistics: computeRunStatistics(specs, targets),
    ...overrides,
  };
}

function countTotals(specs: readonly SpecSummary[]): OutcomeTotals {
  const count = (kind: string): number => specs.filter((spec) => spec.outcome.kind === kind).length;
  return { specs: specs.length, passed: count('passed'), failed: count('failed'), timedOut: count('timed-out'), infraErrors: count('infra-error'), pending: count('pending') };
}

function countCheckFailures(specs: readonly SpecSummary[]): Record<CheckName, number> {
  const counts = Object.fromEntries(CHECK_NAMES.map((name) => [name, 0])) as Record<CheckName, number>;
  for (const { outcome } of specs) if (outcome.kind === 'failed') for (const name of outcome.failedChecks) counts[name] += 1;
  return counts;
}
