/** Small text helpers shared by the checks: evidence stays short and readable. */

// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC.
const ANSI_PATTERN = /\u001B\[[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/** Keeps the start of a text, marking the cut. */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}… (${text.length - maxChars} more characters)`;
}

/** Keeps the end of a text (where tools print their fatal errors), marking the cut. */
export function tailText(text: string, maxChars: number): string {
  const trimmed = text.trimEnd();
  if (trimmed.length <= maxChars) return trimmed;
  return `…${trimmed.slice(trimmed.length - maxChars)}`;
}

/** The part of a test failure message before its stack trace. */
export function stripStackTrace(message: string): string {
  const lines = message.split('\n');
  const stackStart = lines.findIndex((line) => /^\s+at\s/.test(line) || /^\s+❯\s/.test(line));
  return (stackStart === -1 ? lines : lines.slice(0, stackStart)).join('\n').trim();
}
