import type { RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { formatInterval, formatRate, heatClassOf } from './format.ts';
import { cohortIdOf, type RunIndex } from './run-index.ts';

export interface HeatmapColumnView {
  cohortIndex: number;
  targetId: string;
  promptVariantId: string;
}

export interface HeatmapCellView {
  scenarioIndex: number;
  cohortIndex: number;
  /** `3/5`: passed repeats over repeats the model is answerable for; `—` when none. */
  label: string;
  /** Infra errors and pending repeats, left out of the label's denominator. */
  detail: string;
  /** CSS class: `heat-0` … `heat-10`, `heat-none` (nothing to rate), `heat-empty` (not planned). */
  heat: string;
  title: string;
  hasAttempts: boolean;
}

export interface HeatmapRowView {
  scenarioIndex: number;
  scenarioId: string;
  title: string;
  cells: HeatmapCellView[];
}

export interface HeatmapView {
  columns: HeatmapColumnView[];
  rows: HeatmapRowView[];
}

interface CellCounts {
  specs: number;
  infraErrors: number;
  pending: number;
  attempts: number;
}

/** Scenarios × cohorts; each cell is the scenario's pass rate under the cohort, from `statistics.cells`. */
export function buildHeatmap(summary: RunSummary, index: RunIndex): HeatmapView {
  const cellStatistics = new Map(summary.statistics.cells.map((cell) => [cellIdOf(cell.scenarioId, cohortIdOf(cell.key)), cell]));
  const counts = countCells(summary);
  const columns = index.cohorts.map((key, cohortIndex) => ({ cohortIndex, targetId: key.targetId, promptVariantId: key.promptVariantId }));
  const rows = index.scenarios.map((scenario, scenarioIndex) => ({
    scenarioIndex,
    scenarioId: scenario.id,
    title: scenario.title,
    cells: index.cohorts.map((key, cohortIndex): HeatmapCellView => {
      const id = cellIdOf(scenario.id, cohortIdOf(key));
      const count = counts.get(id);
      const pass = cellStatistics.get(id)?.pass;
      const base = { scenarioIndex, cohortIndex };
      if (count === undefined) return { ...base, label: '', detail: '', heat: 'heat-empty', title: 'Not planned', hasAttempts: false };
      const detail = [count.infraErrors > 0 ? `${count.infraErrors} infra` : null, count.pending > 0 ? `${count.pending} pending` : null].filter((part) => part !== null).join(' · ');
      const label = pass === undefined || pass.trials === 0 ? '—' : `${pass.passes}/${pass.trials}`;
      const rateText = pass?.rate == null ? 'nothing the model is answerable for' : `${formatRate(pass.rate)} passed (95% CI ${formatInterval(pass.interval)})`;
      return {
        ...base,
        label,
        detail,
        heat: heatClassOf(pass?.rate ?? null),
        title: `${scenario.title} · ${key.targetId} · ${key.promptVariantId}: ${rateText}${detail === '' ? '' : `; ${detail}`}`,
        hasAttempts: count.attempts > 0,
      };
    }),
  }));
  return { columns, rows };
}

function countCells(summary: RunSummary): Map<string, CellCounts> {
  const counts = new Map<string, CellCounts>();
  for (const spec of summary.specs) {
    const id = cellIdOf(spec.spec.scenarioId, cohortIdOf(spec.spec));
    const count = counts.get(id) ?? { specs: 0, infraErrors: 0, pending: 0, attempts: 0 };
    count.specs += 1;
    count.attempts += spec.attempts.length;
    if (spec.outcome.kind === 'infra-error') count.infraErrors += 1;
    if (spec.outcome.kind === 'pending') count.pending += 1;
    counts.set(id, count);
  }
  return counts;
}

function cellIdOf(scenarioId: string, cohortId: string): string {
  return JSON.stringify([scenarioId, cohortId]);
}
