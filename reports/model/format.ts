/** Formatting of numbers, durations and times for the report. Deterministic: no locale, no clock. */
export { sumTokens } from '../../runners/core/tokens.ts';

import type { TokenUsage } from '../../runners/core/domain/transcript.ts';

/** `12,345`; fast, because a large run formats hundreds of thousands of counts. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const [whole = '0', fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction.slice(0, 3)}`}`;
}

/** `850 ms`, `12.3 s`, `4m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  return `${minutes}m ${pad(seconds)}s`;
}

/** `+0:07`, `+12:30`: an offset from the start of a transcript. */
export function formatOffset(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  return `+${minutes}:${pad(totalSeconds % 60)}`;
}

/** An ISO timestamp as `2025-06-01 14:03:22 UTC`; the input unchanged when it does not parse. */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return '—';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatPercent(numerator: number, denominator: number): string {
  if (denominator === 0) return '—';
  return `${Math.round((numerator / denominator) * 1000) / 10}%`;
}

export function formatCost(usd: number): string {
  if (usd === 0) return '—';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function describeTokens(tokens: TokenUsage): string {
  return [
    `input ${formatCount(tokens.input)}`,
    `output ${formatCount(tokens.output)}`,
    `reasoning ${formatCount(tokens.reasoning)}`,
    `cache read ${formatCount(tokens.cacheRead)}`,
    `cache write ${formatCount(tokens.cacheWrite)}`,
  ].join(' · ');
}

export function computeMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? upper) + upper) / 2;
}

/** Cuts long untrusted text so one tool output cannot swamp the report. */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n… [${formatCount(text.length - maxChars)} more characters]`;
}

export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A rate in 0…1 as a whole percentage, `—` when there is none. */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return `${Math.round(rate * 100)}%`;
}

/** A Wilson interval as `58–83%`. */
export function formatInterval(interval: { low: number; high: number }): string {
  return `${Math.round(interval.low * 100)}–${Math.round(interval.high * 100)}%`;
}

/** A difference of two rates in percentage points, signed: `+12 pts`, `−5 pts`, `±0 pts`. */
export function formatPoints(delta: number): string {
  const points = Math.round(delta * 100);
  if (points === 0) return '±0 pts';
  return points > 0 ? `+${points} pts` : `−${Math.abs(points)} pts`;
}

export function formatUsd(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return '—';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** A p-value for people: `p = 0.03`, `p < 0.001`. */
export function formatPValue(pValue: number): string {
  if (pValue < 0.001) return 'p < 0.001';
  return `p = ${pValue < 0.01 ? pValue.toFixed(3) : pValue.toFixed(2)}`;
}

/** A count that may be absent, e.g. a median over no attempts. */
export function formatOptionalCount(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : formatCount(Math.round(value));
}

export function formatOptionalDuration(ms: number | null): string {
  return ms === null ? '—' : formatDuration(ms);
}

/** Tokens per second with one decimal below 10. */
export function formatTokensPerSecond(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `${value < 10 ? value.toFixed(1) : formatCount(Math.round(value))} tok/s`;
}

/** Eleven colour steps for a rate, as a CSS class: `heat-0` (0–4%) … `heat-10` (95–100%). */
export function heatClassOf(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return 'heat-none';
  return `heat-${Math.round(Math.min(1, Math.max(0, rate)) * 10)}`;
}

/** A one-hue scale for failure rates, white to red: `fail-zero`, `fail-1` (up to 15%) … `fail-10`. */
export function failureHeatClassOf(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return 'heat-none';
  if (rate <= 0) return 'fail-zero';
  return `fail-${Math.max(1, Math.round(Math.min(1, rate) * 10))}`;
}
