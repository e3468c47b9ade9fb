import type { ConcurrencySample } from '../../runners/core/domain/concurrency.ts';
import type { RunSummary } from '../../runners/pipeline/summary/summary-types.ts';

/**
 * `concurrency: auto` over the run, one chart per model server: the limit the harness set and the
 * attempts it ran beside the requests the server ran and queued (vLLM's gauges, averaged between
 * decisions), so a reader sees whether the server was kept full without a long queue. Server names
 * are the configured origins and are escaped by the template like any other text.
 */
export interface ConcurrencyChartView {
  server: string;
  /** `42 decisions over 6 min: limit 2 → 18 (at most 19), 14.6 running and 1.2 waiting on average`. */
  caption: string;
  /** Why the server ran at a fixed number instead; null when it was followed. */
  fallback: string | null;
  /** `No vLLM /metrics (…): followed by time to first token, median 1.8 s`; null when /metrics was read. */
  firstByte: string | null;
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  yTicks: Array<{ position: number; label: string }>;
  /** Time ticks; the first is anchored at its start and the last at its end, so neither is cut off. */
  xTicks: Array<{ position: number; label: string; anchor: 'start' | 'middle' | 'end' }>;
  /** Polylines, drawn in this order. */
  lines: Array<{ className: string; label: string; points: string }>;
}

export interface ConcurrencyView {
  charts: ConcurrencyChartView[];
}

const WIDTH = 720;
const HEIGHT = 220;
const PLOT = { left: 44, right: WIDTH - 12, top: 12, bottom: HEIGHT - 30 };

/** Null when no server ran with `concurrency: auto`. */
export function buildConcurrencyView(summary: RunSummary): ConcurrencyView | null {
  const timelines = summary.concurrency ?? [];
  if (timelines.length === 0) return null;
  return { charts: timelines.map((timeline) => buildChart(timeline.server, timeline.samples, timeline.fallbackReason, timeline.firstByteReason)) };
}

function buildChart(server: string, samples: readonly ConcurrencySample[], fallbackReason: string | undefined, firstByteReason: string | undefined): ConcurrencyChartView {
  const times = samples.map((sample) => Date.parse(sample.at));
  const start = Math.min(...times);
  const spanMs = Math.max(1000, Math.max(...times) - start);
  const top = Math.max(1, ...samples.flatMap((sample) => [sample.limit, sample.sessions, sample.running ?? 0, sample.waiting ?? 0]));
  const yMax = niceCeiling(top);
  const x = (at: number) => round(PLOT.left + ((at - start) / spanMs) * (PLOT.right - PLOT.left));
  const y = (value: number) => round(PLOT.bottom - (value / yMax) * (PLOT.bottom - PLOT.top));
  const series = (pick: (sample: ConcurrencySample) => number | null, step: boolean): string => {
    const points: string[] = [];
    samples.forEach((sample, index) => {
      const value = pick(sample);
      if (value === null) return;
      const at = times[index] ?? start;
      const previous = points.length > 0 ? points.at(-1)?.split(',')[1] : undefined;
      if (step && previous !== undefined) points.push(`${x(at)},${previous}`);
      points.push(`${x(at)},${y(value)}`);
    });
    return points.join(' ');
  };
  const measured = samples.filter((sample) => sample.running !== null);
  const meanOf = (pick: (sample: ConcurrencySample) => number) => (measured.length === 0 ? null : measured.reduce((sum, sample) => sum + pick(sample), 0) / measured.length);
  const limits = samples.map((sample) => sample.limit);
  const running = meanOf((sample) => sample.running ?? 0);
  const waiting = meanOf((sample) => sample.waiting ?? 0);
  const gauges = running === null || waiting === null ? 'no /metrics readings' : `${running.toFixed(1)} running and ${waiting.toFixed(1)} waiting on average`;
  return {
    server,
    caption: `${samples.length} decisions over ${formatSpan(spanMs)}: limit ${limits[0] ?? '—'} → ${limits.at(-1) ?? '—'} (at most ${Math.max(...limits)}), ${gauges}`,
    fallback: fallbackReason ?? null,
    firstByte: firstByteReason === undefined ? null : describeFirstBytes(firstByteReason, samples),
    width: WIDTH,
    height: HEIGHT,
    plot: PLOT,
    yTicks: [0, 0.25, 0.5, 0.75, 1].map((share) => ({ position: y(yMax * share), label: formatTick(yMax * share) })),
    xTicks: ([[0, 'start'], [0.5, 'middle'], [1, 'end']] as const).map(([share, anchor]) => ({ position: x(start + spanMs * share), label: formatSpan(spanMs * share), anchor })),
    lines: [
      { className: 'series-waiting', label: 'requests waiting (server)', points: series((sample) => sample.waiting, false) },
      { className: 'series-running', label: 'requests running (server)', points: series((sample) => sample.running, false) },
      { className: 'series-sessions', label: 'attempts running', points: series((sample) => sample.sessions, false) },
      { className: 'series-limit', label: 'attempt limit', points: series((sample) => sample.limit, true) },
    ].filter((line) => line.points !== ''),
  };
}

function describeFirstBytes(reason: string, samples: readonly ConcurrencySample[]): string {
  const medians = samples.flatMap((sample) => (sample.firstByteMs === null || sample.firstByteMs === undefined ? [] : [sample.firstByteMs])).sort((left, right) => left - right);
  const middle = medians[Math.floor(medians.length / 2)];
  const typical = middle === undefined ? 'no request answered' : `typical time to first token ${formatSpan(middle)}`;
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)} (${typical}).`;
}

function niceCeiling(value: number): number {
  for (const step of [4, 8, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128]) if (value <= step) return step;
  return Math.ceil(value / 32) * 32;
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function formatSpan(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
