import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ReferenceTurn, ResolvedScenario } from '../../core/domain/scenario.ts';
import { UserError, formatIssues } from '../../core/errors.ts';
import { scenarioFileSchema, type ScenarioFile } from './scenario-schema.ts';

export const SCENARIO_FILE = 'scenario.yaml';

/** Lists scenario ids: folders of `scenariosDir` that hold a scenario file. */
export function listScenarioIds(scenariosDir: string): string[] {
  if (!existsSync(scenariosDir)) return [];
  return readdirSync(scenariosDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(scenariosDir, entry.name, SCENARIO_FILE)))
    .map((entry) => entry.name)
    .sort();
}

/** Loads and validates one scenario; a bad file is a UserError naming file and field. */
export function loadScenario(scenariosDir: string, id: string): ResolvedScenario {
  const dir = path.resolve(scenariosDir, id);
  const file = path.join(dir, SCENARIO_FILE);
  if (!existsSync(file)) {
    const known = listScenarioIds(scenariosDir);
    throw new UserError(
      'SCENARIO_NOT_FOUND',
      `${file}: no such scenario "${id}". Known scenarios: ${known.join(', ') || '(none)'}.`,
      { file },
    );
  }
  const raw = parseYamlFile(file);
  const parsed = scenarioFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UserError('SCENARIO_INVALID', formatIssues(file, parsed.error.issues.map(explainIssue)), { file });
  }
  const data = parsed.data;
  if (data.id !== id) {
    throw new UserError('SCENARIO_INVALID', `${file}: id "${data.id}" must equal its folder name "${id}"`, { file });
  }
  const hiddenTestsDir = path.join(dir, data.hiddenTests.dir);
  requireDirectory(file, 'hiddenTests.dir', hiddenTestsDir, 'put the hidden acceptance tests there');
  const referenceDir = path.join(dir, data.reference.dir ?? DEFAULT_REFERENCE_DIR);
  const referenceTurns = resolveReferenceTurns(file, dir, data.reference);
  if (path.isAbsolute(data.hiddenTests.target) || data.hiddenTests.target.split(/[\\/]/).includes('..')) {
    throw new UserError('SCENARIO_INVALID', `${file}: hiddenTests.target must be a relative path inside the sandbox`, { file });
  }
  return {
    id: data.id,
    title: data.title,
    description: data.description,
    fixture: data.fixture,
    tags: data.tags,
    timeoutMs: data.timeoutMs,
    turns: data.turns,
    checksAfterEachTurn: data.checks.afterEachTurn,
    exercises: data.reference.exercises,
    answers: data.answers,
    defaultAnswer: data.defaultAnswer,
    policy: data.policy,
    dir,
    file,
    hiddenTestsDir,
    hiddenTestsTarget: data.hiddenTests.target,
    referenceDir,
    referenceTurns,
    mcpServers: Object.entries(data.mcp).flatMap(([name, server]) => (server?.enabled === true ? [name] : [])),
    counterexamples: data.counterexamples.map((counterexample, index) => ({
      dir: resolveScenarioFolder(file, dir, `counterexamples[${index}].dir`, counterexample.dir, 'put the wrong solution there, laid out as in the sandbox'),
      why: counterexample.why,
    })),
  };
}

const DEFAULT_REFERENCE_DIR = 'reference';

/** The reference's turns with absolute folders; every folder must exist and stay inside the scenario folder. */
function resolveReferenceTurns(file: string, scenarioDir: string, reference: ScenarioFile['reference']): ReferenceTurn[] {
  const declared = reference.turns ?? [{ dir: reference.dir ?? DEFAULT_REFERENCE_DIR, calls: reference.calls ?? [], todos: reference.todos, read: reference.read }];
  return declared.map((turn, index) => {
    const field = reference.turns === undefined ? 'reference.dir' : `reference.turns[${index}].dir`;
    const dir = turn.dir === undefined ? undefined : resolveScenarioFolder(file, scenarioDir, field, turn.dir, 'put the reference solution there, laid out as in the sandbox');
    return { dir, calls: turn.calls, todos: turn.todos ?? false, read: turn.read ?? [] };
  });
}

/** An existing folder inside the scenario folder, as an absolute path. */
function resolveScenarioFolder(file: string, scenarioDir: string, field: string, relative: string, fix: string): string {
  if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..')) {
    throw new UserError('SCENARIO_INVALID', `${file}: ${field} must be a folder inside the scenario folder (relative, without ".."), got "${relative}"`, { file });
  }
  const dir = path.join(scenarioDir, relative);
  requireDirectory(file, field, dir, fix);
  return dir;
}

interface Issue {
  code?: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  input?: unknown;
}

/**
 * Rewrites zod's terse messages so that each says how to fix the file: an unknown field names
 * the fields allowed there, a missing one says it is required.
 */
export function explainIssue(issue: Issue): Issue {
  if (issue.code === 'unrecognized_keys' && issue.keys !== undefined) {
    const allowed = listAllowedKeys(issue.path);
    const hint = allowed === undefined ? '' : `; allowed here: ${allowed.join(', ')}`;
    return { ...issue, message: `has unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => `"${key}"`).join(', ')} (check the spelling${hint})` };
  }
  // zod leaves `input` out of its issues: only "received undefined" means the field is missing.
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    const description = readDescription(findFieldSchema(issue.path));
    return { ...issue, message: description === undefined ? 'is required' : `is required: ${description}` };
  }
  return issue;
}

/** The keys a strict object of the scenario schema accepts at a path (array indexes skipped). */
function listAllowedKeys(issuePath: readonly PropertyKey[]): string[] | undefined {
  const keys = readShape(findFieldSchema(issuePath));
  return keys === undefined ? undefined : Object.keys(keys);
}

/** The schema of the field at a path of the scenario file (array indexes skipped). */
function findFieldSchema(issuePath: readonly PropertyKey[]): unknown {
  let schema: unknown = scenarioFileSchema;
  for (const key of issuePath) {
    if (typeof key === 'number') continue;
    schema = readShape(schema)?.[String(key)];
  }
  return schema;
}

function readDescription(schema: unknown): string | undefined {
  const description = (schema as { description?: unknown } | undefined)?.description;
  return typeof description === 'string' ? description : undefined;
}

/** The object shape under a schema, seeing through optional/default/array/pipe wrappers. */
function readShape(schema: unknown): Record<string, unknown> | undefined {
  let current = schema as { def?: { type?: string; innerType?: unknown; element?: unknown; in?: unknown; shape?: Record<string, unknown> } } | undefined;
  for (let depth = 0; depth < 8 && current?.def !== undefined; depth += 1) {
    const def = current.def;
    if (def.type === 'object') return def.shape;
    current = (def.innerType ?? def.element ?? def.in) as typeof current;
  }
  return undefined;
}

function parseYamlFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const where = error.linePos?.[0];
      const at = where === undefined ? '' : `:${where.line}:${where.col}`;
      throw new UserError('SCENARIO_INVALID', `${file}${at}: not valid YAML: ${error.message.split('\n')[0]}`, {
        file,
        cause: error,
      });
    }
    // The parser throws other errors too, e.g. a ReferenceError for an alias (`*name`) without its anchor.
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UserError('SCENARIO_INVALID', `${file}: not valid YAML: ${message}`, { file, cause: error });
  }
}

function requireDirectory(file: string, field: string, dir: string, fix: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError('SCENARIO_INVALID', `${file}: ${field} points to ${dir}, which is not a folder; ${fix}`, { file });
  }
}
