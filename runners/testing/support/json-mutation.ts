/** A path into a JSON value: object keys and array indexes. */
export type JsonPath = Array<string | number>;

/** Every path in a JSON value, the root excluded, parents before children. */
export function listJsonPaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...listJsonPaths(item, [...prefix, index])]);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...listJsonPaths(item, [...prefix, key])]);
  }
  return [];
}

/** A deep copy with the value at `path` replaced, or removed when `replacement` is undefined. */
export function mutateAt(value: unknown, path: JsonPath, replacement: unknown): unknown {
  const copy: unknown = structuredClone(value);
  const parentPath = path.slice(0, -1);
  const last = path.at(-1);
  let parent: unknown = copy;
  for (const key of parentPath) parent = (parent as Record<string | number, unknown>)[key];
  if (last === undefined || typeof parent !== 'object' || parent === null) return copy;
  if (replacement === undefined) {
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete (parent as Record<string | number, unknown>)[last];
  } else {
    (parent as Record<string | number, unknown>)[last] = replacement;
  }
  return copy;
}

/** The field names a message should mention when `path` was changed: its top-level key. */
export function topLevelKeyOf(path: JsonPath): string {
  return String(path[0] ?? '(root)');
}
