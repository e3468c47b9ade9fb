/**
 * JSON with comments (`//`, `/* *\/`) and trailing commas, as OpenCode reads `opencode.jsonc`.
 * Returns the value, or the error with its line and column.
 */
export type JsoncResult = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

export function parseJsonc(text: string): JsoncResult {
  const stripped = stripCommentsAndTrailingCommas(text);
  try {
    return { ok: true, value: JSON.parse(stripped) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const offset = position === null ? 0 : Number(position[1]);
    const before = stripped.slice(0, offset).split('\n');
    return { ok: false, message: message.replace(/ in JSON at position \d+.*$/, ''), line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
  }
}

/** Blanks out comments (keeping line breaks, so positions stay right) and drops commas before `}` or `]`. */
function stripCommentsAndTrailingCommas(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    const next = text[index + 1] ?? '';
    if (char === '"') {
      const end = findStringEnd(text, index);
      out += text.slice(index, end);
      index = end;
    } else if (char === '/' && next === '/') {
      while (index < text.length && text[index] !== '\n') {
        out += ' ';
        index += 1;
      }
    } else if (char === '/' && next === '*') {
      const end = text.indexOf('*/', index + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(index, stop).replace(/[^\n]/g, ' ');
      index = stop;
    } else if (char === ',' && /^\s*[}\]]/.test(blankComments(text.slice(index + 1, index + 2000)))) {
      out += ' ';
      index += 1;
    } else {
      out += char;
      index += 1;
    }
  }
  return out;
}

/** Comments replaced by spaces in a stretch of text that starts outside a string (for the trailing-comma look-ahead). */
function blankComments(text: string): string {
  return text.replace(/\/\/[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}

function findStringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    if (text[index] === '\\') index += 2;
    else if (text[index] === '"') return index + 1;
    else index += 1;
  }
  return text.length;
}
