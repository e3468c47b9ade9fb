export const MAX_TEXT_CHARS = 8000;

/** Bounds untrusted text kept in the log, with a visible marker. */
export function truncateText(text: string, limit = MAX_TEXT_CHARS): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n…[truncated ${text.length - limit} chars]`;
}
