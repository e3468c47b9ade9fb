/**
 * Geometry for the report's inline SVG charts: numbers only, so the templates place elements
 * and every label still goes through escaping.
 */

export interface TickView {
  position: number;
  label: string;
}

export interface LinearScale {
  toPixel: (value: number) => number;
  ticks: TickView[];
}

/** Round tick steps (1, 2, 2.5, 5 × 10^n) covering 0 … max. */
export function computeNiceTicks(max: number, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let value = 0; value < max + step * 0.999; value += step) ticks.push(Math.round(value * 1e6) / 1e6);
  return ticks;
}

/** Maps [0, domainMax] to [from, to] pixels (to may be smaller than from, for a y axis). */
export function createLinearScale(options: { domainMax: number; from: number; to: number; format: (value: number) => string }): LinearScale {
  const ticks = computeNiceTicks(options.domainMax);
  const top = ticks.at(-1) ?? 1;
  const toPixel = (value: number): number => round(options.from + (Math.min(Math.max(value, 0), top) / top) * (options.to - options.from));
  return { toPixel, ticks: ticks.map((value) => ({ position: toPixel(value), label: options.format(value) })) };
}

/** Builds a sparkline path through values in 0…1 (nulls leave gaps). */
export function buildSparkline(values: ReadonlyArray<number | null>, width: number, height: number): { path: string; points: Array<{ x: number; y: number }> } {
  const step = values.length <= 1 ? 0 : width / (values.length - 1);
  const points: Array<{ x: number; y: number }> = [];
  let path = '';
  let pen = false;
  values.forEach((value, index) => {
    if (value === null) {
      pen = false;
      return;
    }
    const x = round(values.length === 1 ? width / 2 : index * step);
    const y = round(height - value * height);
    path += `${pen ? 'L' : 'M'}${x} ${y}`;
    pen = true;
    points.push({ x, y });
  });
  return { path, points };
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}
