/** Formatting of numbers, durations and times for the report. Deterministic: no locale, no clock. */
export { sumTokens } from '../../runners/tokens.ts';

import type { TokenUsage } from '../../runners/domain.ts';

const GROUPED = new Intl.NumberFormat('en-US');

export function formatCount(value: number): string {
  return GROUPED.format(value);
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
  return `${text.slice(0, maxChars)}\n… (${formatCount(text.length - maxChars)} more characters not shown)`;
}

export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
