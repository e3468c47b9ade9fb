import { loadRunHistory, loadRunSummary } from '../../../reports/history/load-run-history.ts';
import { describePower } from '../../../reports/model/statistics-text.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { repeatsNeeded } from '../../pipeline/statistics/power.ts';
import { DEFAULT_ALPHA } from '../../pipeline/summary/run-statistics.ts';
import { computePower, estimateRunPowerParameters, familySizeOf, PLANNING_POWER, type EstimatedPower } from '../../pipeline/summary/run-power.ts';
import { DEFAULT_POWER_PARAMETERS } from '../../pipeline/statistics/power.ts';

export interface PlanPowerInput {
  /** The specs the plan would run. */
  specs: readonly RunSpec[];
  /** The output folder, whose earlier runs give the variance. */
  outputDir: string;
  /** `--detect <points>`: the gap in pass rate, in percentage points, to plan the repeats for. */
  detectPoints?: number | undefined;
}

/** The plan's design: scenarios, the most repeats of any cell, and the configurations compared. */
export function designOf(specs: readonly RunSpec[]): { scenarios: number; repeats: number; cohorts: number } {
  return {
    scenarios: new Set(specs.map((spec) => spec.scenarioId)).size,
    repeats: specs.reduce((most, spec) => Math.max(most, spec.repeatIndex + 1), 0),
    cohorts: new Set(specs.map((spec) => JSON.stringify([spec.targetId, spec.promptVariantId]))).size,
  };
}

/**
 * The variance to plan with: estimated from the newest earlier run in the output folder that
 * shares a configuration (target × prompt variant) with the plan, when that run has enough paired
 * data; the cautious defaults otherwise. Never throws: an unreadable run only costs the estimate.
 */
export function estimateFromHistory(specs: readonly RunSpec[], outputDir: string): EstimatedPower {
  const planned = new Set(specs.map((spec) => JSON.stringify([spec.targetId, spec.promptVariantId])));
  const candidates = loadRunHistory(outputDir)
    .entries.filter(({ digest }) => digest.cohorts.some((cohort) => cohort.trials > 0 && planned.has(JSON.stringify([cohort.targetId, cohort.promptVariantId]))))
    .sort((left, right) => Date.parse(right.digest.startedAt) - Date.parse(left.digest.startedAt) || right.digest.runId.localeCompare(left.digest.runId));
  for (const candidate of candidates) {
    try {
      const estimate = estimateRunPowerParameters(loadRunSummary(candidate.runDir).specs);
      if (estimate.source.kind === 'this run') return { ...estimate, source: { kind: 'previous run', runId: candidate.digest.runId } };
      return { ...DEFAULT_POWER_PARAMETERS, source: { kind: 'defaults', reason: `run ${candidate.digest.runId}, the newest comparable run, has too little paired data` } };
    } catch {
      continue;
    }
  }
  return { ...DEFAULT_POWER_PARAMETERS, source: { kind: 'defaults', reason: 'no earlier comparable run in the output folder' } };
}

/**
 * The dry run's power lines: the smallest gap the planned scenarios × repeats detect with 80% power
 * at the plan's family size, and, with `--detect`, the repeats a named gap needs.
 */
export function describePlanPower({ specs, outputDir, detectPoints }: PlanPowerInput): string[] {
  const design = designOf(specs);
  const parameters = estimateFromHistory(specs, outputDir);
  const power = computePower({ ...design, alpha: DEFAULT_ALPHA }, parameters);
  const lines = [`Power: ${describePower(power)}`];
  if (parameters.source.kind === 'defaults') lines.push(`  (default variance: ${parameters.source.reason})`);
  if (detectPoints === undefined) return lines;
  const familySize = familySizeOf(design.cohorts);
  const needed = repeatsNeeded(detectPoints / 100, { scenarios: design.scenarios, familySize, alpha: DEFAULT_ALPHA, power: PLANNING_POWER }, parameters);
  const gap = `a ${formatPoints(detectPoints)}-point gap`;
  const at = `${design.scenarios} scenario${design.scenarios === 1 ? '' : 's'} and ${familySize} pairwise test${familySize === 1 ? '' : 's'}`;
  switch (needed.kind) {
    case 'repeats': {
      const attempts = needed.repeats * design.scenarios * design.cohorts;
      lines.push(`Detect: ${gap} needs ${needed.repeats} repeat${needed.repeats === 1 ? '' : 's'} per cell at ${at} (${attempts} attempts): --repeats ${needed.repeats}.`);
      break;
    }
    case 'not-reachable-by-repeats': {
      const scenarios = needed.scenariosNeeded === undefined ? 'more scenarios than 10 000' : `about ${needed.scenariosNeeded} scenarios at 5 repeats`;
      lines.push(`Detect: ${gap} at ${at} is ${needed.reason}; it needs ${scenarios}.`);
      break;
    }
  }
  return lines;
}

function formatPoints(points: number): string {
  return Number.isInteger(points) ? String(points) : points.toFixed(1);
}
