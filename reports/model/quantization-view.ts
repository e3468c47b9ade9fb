import type { CohortStatistics, RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { createLinearScale, type TickView } from './chart-geometry.ts';
import { formatDuration, formatInterval, formatOptionalDuration, formatRate, formatTokensPerSecond } from './format.ts';
import { groupByModelFamily } from './model-family.ts';
import type { RunIndex } from './run-index.ts';

export interface ChartPointView {
  cx: number;
  cy: number;
  /** The 95% interval as a vertical whisker. */
  yLow: number;
  yHigh: number;
  /** Colour slot per quantization: `q-0` … `q-5`. */
  swatch: string;
  /** Marker per prompt variant: filled or hollow, circle or square. */
  isSquare: boolean;
  isHollow: boolean;
  title: string;
}

export interface LegendEntryView {
  label: string;
  swatch: string;
  isSquare: boolean;
  isHollow: boolean;
}

export interface ScatterChartView {
  title: string;
  xLabel: string;
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  /** Where tick labels and the axis title go. */
  axis: { xTickY: number; yTickX: number; titleX: number; titleY: number };
  xTicks: TickView[];
  yTicks: TickView[];
  points: ChartPointView[];
  /** Cohorts left out because the axis value is unknown (e.g. no token counts). */
  note: string | null;
}

export interface QuantizationRowView {
  cohortIndex: number;
  targetId: string;
  quantization: string;
  promptVariantId: string;
  swatch: string;
  isSquare: boolean;
  isHollow: boolean;
  passRate: string;
  interval: string;
  tokensPerSecond: string;
  medianAgentTime: string;
  medianAttemptTime: string;
}

export interface ModelFamilyView {
  name: string;
  models: string;
  charts: ScatterChartView[];
  /** Colours name quantizations, marker shapes name prompt variants. */
  legend: LegendEntryView[];
  rows: QuantizationRowView[];
}

export interface QuantizationView {
  families: ModelFamilyView[];
  /** Run-wide aggregates per quantization label. */
  overall: Array<{ quantization: string; passRate: string; interval: string; passes: string; tokensPerSecond: string; medianAgentTime: string }>;
  note: string | null;
}

const WIDTH = 440;
const HEIGHT = 260;
const PLOT = { left: 46, right: WIDTH - 18, top: 14, bottom: HEIGHT - 42 };
const SWATCHES = 6;

/**
 * Quality against speed for each base model run at more than one quantization (or served under
 * more than one target): pass rate with its interval, against tokens per second and latency.
 */
export function buildQuantizationView(summary: RunSummary, index: RunIndex): QuantizationView {
  const { statistics } = summary;
  const families = groupByModelFamily(statistics.cohorts, (cohort) => cohort.model)
    .filter((group) => new Set(group.items.map((cohort) => cohort.key.targetId)).size > 1)
    .map((group) => buildFamily(group.family.name, group.items, index));
  const overall = statistics.byQuantization.map((entry) => ({
    quantization: entry.quantization,
    passRate: formatRate(entry.pass.rate),
    interval: entry.pass.rate === null ? '—' : formatInterval(entry.pass.interval),
    passes: `${entry.pass.passes} of ${entry.pass.trials}`,
    tokensPerSecond: formatTokensPerSecond(entry.outputTokensPerSecond),
    medianAgentTime: formatOptionalDuration(entry.medianAgentMs),
  }));
  const note = families.length > 0 ? null : 'No base model was run at more than one quantization in this run, so there is no quantization to compare within a model.';
  return { families, overall, note };
}

function buildFamily(name: string, cohorts: CohortStatistics[], index: RunIndex): ModelFamilyView {
  const quantizations = [...new Set(cohorts.map((cohort) => cohort.quantization))];
  const variants = [...new Set(cohorts.map((cohort) => cohort.key.promptVariantId))];
  const swatchOf = (quantization: string): string => `q-${quantizations.indexOf(quantization) % SWATCHES}`;
  const markerOf = (variant: string): Pick<LegendEntryView, 'isSquare' | 'isHollow'> => {
    const position = variants.indexOf(variant) % 4;
    return { isSquare: position >= 2, isHollow: position % 2 === 1 };
  };
  const styleOf = (cohort: CohortStatistics): Marker => ({ swatch: swatchOf(cohort.quantization), ...markerOf(cohort.key.promptVariantId) });
  const chart = (title: string, xLabel: string, valueOf: (cohort: CohortStatistics) => number | null, format: (value: number) => string) =>
    buildScatter({ title, xLabel, cohorts, valueOf, format, styleOf });
  return {
    name,
    models: [...new Set(cohorts.map((cohort) => cohort.model))].join(' · '),
    charts: [
      chart('Pass rate against generation speed', 'generated tokens per second (higher is faster)', (cohort) => cohort.outputTokensPerSecond, (value) => String(Math.round(value))),
      chart('Pass rate against latency', 'median agent time per attempt (lower is faster)', (cohort) => cohort.medianAgentMs, formatAxisDuration),
    ],
    legend: [
      ...quantizations.map((quantization) => ({ label: quantization, swatch: swatchOf(quantization), isSquare: false, isHollow: false })),
      ...(variants.length > 1 ? variants.map((variant) => ({ label: `prompt ${variant}`, swatch: 'q-none', ...markerOf(variant) })) : []),
    ],
    rows: cohorts.map((cohort) => ({
      cohortIndex: index.cohortIndexOf(cohort.key),
      targetId: cohort.key.targetId,
      quantization: cohort.quantization,
      promptVariantId: cohort.key.promptVariantId,
      ...styleOf(cohort),
      passRate: formatRate(cohort.pass.rate),
      interval: cohort.pass.rate === null ? '—' : formatInterval(cohort.pass.interval),
      tokensPerSecond: formatTokensPerSecond(cohort.outputTokensPerSecond),
      medianAgentTime: formatOptionalDuration(cohort.medianAgentMs),
      medianAttemptTime: formatOptionalDuration(cohort.medianAttemptMs),
    })),
  };
}

type Marker = Pick<ChartPointView, 'swatch' | 'isSquare' | 'isHollow'>;

interface ScatterInput {
  title: string;
  xLabel: string;
  cohorts: CohortStatistics[];
  valueOf: (cohort: CohortStatistics) => number | null;
  format: (value: number) => string;
  styleOf: (cohort: CohortStatistics) => Marker;
}

function buildScatter(input: ScatterInput): ScatterChartView {
  const plotted = input.cohorts.flatMap((cohort) => {
    const x = input.valueOf(cohort);
    return x === null || cohort.pass.rate === null ? [] : [{ cohort, x, rate: cohort.pass.rate }];
  });
  const left = input.cohorts.length - plotted.length;
  const xScale = createLinearScale({ domainMax: Math.max(0, ...plotted.map((point) => point.x)) * 1.08, from: PLOT.left, to: PLOT.right, format: input.format });
  const yScale = createLinearScale({ domainMax: 1, from: PLOT.bottom, to: PLOT.top, format: (value) => `${Math.round(value * 100)}%` });
  const points = plotted.map(({ cohort, x, rate }): ChartPointView => {
    return {
      cx: xScale.toPixel(x),
      cy: yScale.toPixel(rate),
      yLow: yScale.toPixel(cohort.pass.interval.low),
      yHigh: yScale.toPixel(cohort.pass.interval.high),
      ...input.styleOf(cohort),
      title: `${cohort.key.targetId} · ${cohort.key.promptVariantId} (${cohort.quantization}): ${formatRate(rate)} passed, 95% CI ${formatInterval(cohort.pass.interval)}; ${input.format(x)}`,
    };
  });
  return {
    title: input.title,
    xLabel: input.xLabel,
    width: WIDTH,
    height: HEIGHT,
    plot: PLOT,
    axis: { xTickY: PLOT.bottom + 16, yTickX: PLOT.left - 6, titleX: Math.round((PLOT.left + PLOT.right) / 2), titleY: HEIGHT - 6 },
    xTicks: xScale.ticks,
    yTicks: yScale.ticks,
    points,
    note: left === 0 ? null : `${left} configuration${left === 1 ? '' : 's'} not plotted: no value for this axis or no result to rate.`,
  };
}

function formatAxisDuration(ms: number): string {
  if (ms === 0) return '0';
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : formatDuration(ms);
}
