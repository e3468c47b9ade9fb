export interface JsonDifference {
  /** e.g. `messages[3].content` */
  path: string;
  recorded: string;
  requested: string;
}

const EXCERPT_CHARS = 160;

/** The first place where two JSON values differ, depth first in key order; undefined when equal. */
export function findFirstDifference(recorded: unknown, requested: unknown, at = ''): JsonDifference | undefined {
  if (Array.isArray(recorded) && Array.isArray(requested)) {
    for (let index = 0; index < Math.max(recorded.length, requested.length); index += 1) {
      const found = findFirstDifference(recorded[index], requested[index], `${at}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isRecord(recorded) && isRecord(requested)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(requested)])].sort();
    for (const key of keys) {
      const found = findFirstDifference(recorded[key], requested[key], at === '' ? key : `${at}.${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (Object.is(recorded, requested)) return undefined;
  if (typeof recorded === 'string' && typeof requested === 'string') return describeStrings(at, recorded, requested);
  return { path: at === '' ? '(body)' : at, recorded: excerpt(JSON.stringify(recorded) ?? 'absent'), requested: excerpt(JSON.stringify(requested) ?? 'absent') };
}

/** Two strings shown from a little before where they start to differ. */
function describeStrings(at: string, recorded: string, requested: string): JsonDifference {
  let index = 0;
  while (index < recorded.length && recorded[index] === requested[index]) index += 1;
  const from = Math.max(0, index - 40);
  const cut = (text: string) => `${from > 0 ? '…' : ''}${excerpt(text.slice(from))}`;
  return { path: `${at} (from character ${index})`, recorded: JSON.stringify(cut(recorded)), requested: JSON.stringify(cut(requested)) };
}

function excerpt(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
