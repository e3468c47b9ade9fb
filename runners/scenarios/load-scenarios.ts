import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ResolvedScenario } from '../domain.ts';
import { UserError, formatIssues } from '../errors.ts';
import { scenarioFileSchema } from './scenario-schema.ts';

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
    throw new UserError('SCENARIO_INVALID', formatIssues(file, parsed.error.issues), { file });
  }
  const data = parsed.data;
  if (data.id !== id) {
    throw new UserError('SCENARIO_INVALID', `${file}: id "${data.id}" must equal its folder name "${id}"`, { file });
  }
  const hiddenTestsDir = path.join(dir, data.hiddenTests.dir);
  const referenceDir = path.join(dir, data.reference.dir);
  requireDirectory(file, 'hiddenTests.dir', hiddenTestsDir, 'put the hidden acceptance tests there');
  requireDirectory(file, 'reference.dir', referenceDir, 'put the reference solution there, laid out as in the sandbox');
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
    answers: data.answers,
    defaultAnswer: data.defaultAnswer,
    policy: data.policy,
    dir,
    file,
    hiddenTestsDir,
    hiddenTestsTarget: data.hiddenTests.target,
    referenceDir,
  };
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
    throw error;
  }
}

function requireDirectory(file: string, field: string, dir: string, fix: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError('SCENARIO_INVALID', `${file}: ${field} points to ${dir}, which is not a folder; ${fix}`, { file });
  }
}
