/** A zod issue as the config loader reads it. */
export interface SchemaIssue {
  code?: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  input?: unknown;
  expected?: string;
}

/**
 * Rewrites zod's terse messages so that each says how to fix the config: an unknown field names
 * the fields allowed there, a missing one says it is required, a file that exports something
 * other than an object says what to export.
 */
export function explainConfigIssue(schema: unknown, issue: SchemaIssue): SchemaIssue {
  if (issue.code === 'unrecognized_keys' && issue.keys !== undefined) {
    const allowed = listAllowedKeys(schema, issue.path);
    const hint = allowed === undefined ? '' : `; allowed here: ${allowed.join(', ')}`;
    return { ...issue, message: `has unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => `"${key}"`).join(', ')} (check the spelling${hint})` };
  }
  if (isMissing(issue)) return { ...issue, message: 'is required' };
  if (issue.code === 'invalid_type' && issue.path.length === 0) {
    return { ...issue, message: `${issue.message}: the file must \`export default defineConfig({ targets: [...] })\`` };
  }
  return issue;
}

/** A required field that is absent (zod leaves `input` out of its issues, so the message tells). */
export function isMissing(issue: SchemaIssue): boolean {
  return issue.code === 'invalid_type' && issue.path.length > 0 && ('input' in issue ? issue.input === undefined : /received undefined$/.test(issue.message));
}

/** The keys an object schema accepts at a path (array indexes skipped; a union offers every option's keys). */
export function listAllowedKeys(schema: unknown, issuePath: readonly PropertyKey[]): string[] | undefined {
  let shapes = readShapes(schema);
  for (const key of issuePath) {
    if (typeof key === 'number') continue;
    shapes = shapes.flatMap((shape) => readShapes(shape[String(key)]));
  }
  if (shapes.length === 0) return undefined;
  return [...new Set(shapes.flatMap((shape) => Object.keys(shape)))];
}

interface SchemaDef {
  type?: string;
  innerType?: unknown;
  element?: unknown;
  in?: unknown;
  schema?: unknown;
  shape?: Record<string, unknown>;
  options?: unknown[];
}

/** The object shapes under a schema, seeing through optional/default/array/pipe/effects wrappers and unions. */
function readShapes(schema: unknown, depth = 0): Array<Record<string, unknown>> {
  const def = (schema as { def?: SchemaDef } | undefined)?.def;
  if (def === undefined || depth > 12) return [];
  if (def.type === 'object' && def.shape !== undefined) return [def.shape];
  if (def.type === 'union' && Array.isArray(def.options)) return def.options.flatMap((option) => readShapes(option, depth + 1));
  const inner = def.innerType ?? def.element ?? def.in ?? def.schema;
  return inner === undefined ? [] : readShapes(inner, depth + 1);
}
