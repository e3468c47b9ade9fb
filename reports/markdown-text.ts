/**
 * Neutralises untrusted text (model output, paths, messages) for Markdown such as a CI job
 * summary: one line (so no block syntax but at its start, which is escaped), no control or
 * bidirectional-override characters, HTML turned into entities, and the inline Markdown marks
 * backslash-escaped — so `|` cannot break a table, a backtick cannot open a code span, and
 * `[x](javascript:…)` or `<img>` cannot become live.
 */
export function escapeMarkdownText(text: string, maxLength = 300): string {
  const oneLine = stripInvisible(text).replace(/\s+/g, ' ').trim();
  const points = Array.from(oneLine);
  const short = points.length > maxLength ? `${points.slice(0, maxLength - 1).join('')}…` : oneLine;
  return short
    .replace(/[&<>]/g, (char) => HTML_ENTITIES[char] ?? char)
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/^([#+=-]|\d+(?=[.)]))/, (start) => (/^\d/.test(start) ? `${start}\\` : `\\${start}`));
}

/** A table cell: escaped text, or an em dash for nothing. */
export function formatMarkdownCell(text: string | null | undefined, maxLength?: number): string {
  if (text === null || text === undefined || text.trim() === '') return '—';
  return escapeMarkdownText(text, maxLength);
}

/** Builds a Markdown table from already-safe cells (escape model text before passing it in). */
export function renderMarkdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** C0/C1 controls (but whitespace, collapsed later), zero-width and bidi overrides, lone surrogates. */
function stripInvisible(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function formatPercent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(rate === 0 || rate === 1 ? 0 : 1)}%`;
}

export function formatSeconds(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function formatTokenCount(tokens: number | null): string {
  if (tokens === null) return '—';
  return tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(Math.round(tokens));
}
