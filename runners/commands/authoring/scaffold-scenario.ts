import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { judgeEdit } from '../../attempt/checks/path-policy.ts';
import type { ResolvedScenario, ScenarioPolicy } from '../../core/domain/scenario.ts';
import { UserError } from '../../core/errors.ts';
import { FIXTURE_FILE, listFixtureNames } from '../../inputs/fixtures/load-fixture.ts';
import { SCENARIO_JSON_SCHEMA_FILE } from '../../inputs/scenarios/scenario-json-schema.ts';
import { SCENARIO_FILE, listScenarioIds, loadScenario } from '../../inputs/scenarios/load-scenarios.ts';
import { SCENARIO_ID_PATTERN } from '../../inputs/scenarios/scenario-schema.ts';
import { COUNTEREXAMPLE_PLACEHOLDER, renderHiddenTestTemplate, renderScenarioTemplate } from './scenario-template.ts';

export interface ScaffoldOptions {
  scenariosDir: string;
  fixturesDir: string;
  id: string;
  fixture?: string | undefined;
  /** An existing scenario to copy instead of the template. */
  from?: string | undefined;
}

export interface ScaffoldFile {
  /** Relative to the new scenario's folder. */
  path: string;
  contents: string | Buffer;
}

export interface ScaffoldPlan {
  dir: string;
  files: ScaffoldFile[];
  /** Folders made even when no file goes in them (the loader wants reference/ and each counterexample's). */
  folders: string[];
  /** What the author does next, in order. */
  nextSteps: string[];
}

/** Files a solution may replace are copied whole into reference/ and the counterexample, at most this many. */
const MAX_COPIED_FILES = 20;

/** A generic policy, for a fixture no scenario uses yet. */
const GENERIC_POLICY: ScenarioPolicy = { edit: { allow: ['src/**'], deny: [] }, read: { deny: ['.env*', 'secrets/**'] }, bash: { default: 'deny', allow: [] }, webfetch: 'deny', question: 'allow' };

/**
 * Plans `harness new-scenario`: the folder and files of a new scenario — from the template, or
 * copied from an existing scenario. Bad input (an id that is not kebab-case, a folder that
 * exists, an unknown fixture or source) is a UserError naming the fix.
 */
export function planScaffold(options: ScaffoldOptions): ScaffoldPlan {
  const { id } = options;
  if (!SCENARIO_ID_PATTERN.test(id)) {
    throw new UserError('CLI_USAGE', `new-scenario ${JSON.stringify(id)}: the id must be kebab-case (a-z, 0-9, -, starting with a letter or digit), e.g. "add-watchlist-widget"; it is also the folder's name`);
  }
  const dir = path.join(options.scenariosDir, id);
  if (existsSync(dir)) throw new UserError('CLI_USAGE', `new-scenario ${id}: ${dir} already exists; pick another id, or edit that scenario`, { file: dir });
  return options.from === undefined ? planFromTemplate(options, dir) : planFromCopy(options, options.from, dir);
}

function planFromTemplate(options: ScaffoldOptions, dir: string): ScaffoldPlan {
  const fixture = chooseFixture(options.fixturesDir, options.fixture);
  const source = findPolicySource(options.scenariosDir, fixture);
  const policy = source?.policy ?? GENERIC_POLICY;
  const replaced = listReplaceableFiles(path.join(options.fixturesDir, fixture), policy);
  const exampleFolder = policy.edit.allow[0]?.replace(/\/?\*.*$/, '') ?? 'src';
  const files: ScaffoldFile[] = [
    {
      path: SCENARIO_FILE,
      contents: renderScenarioTemplate({ id: options.id, fixture, schemaPath: relativeSchemaPath(dir), policy, policySource: source?.id }),
    },
    { path: `hidden-tests/${options.id}.test.ts`, contents: renderHiddenTestTemplate(options.id, `../${exampleFolder}/TodoWidget.tsx`) },
    ...['reference', COUNTEREXAMPLE_PLACEHOLDER].flatMap((folder) =>
      replaced.map((file) => ({ path: `${folder}/${file}`, contents: readFileSync(path.join(options.fixturesDir, fixture, file)) })),
    ),
  ];
  const copied = replaced.length === 0 ? 'no file of the fixture is editable under the policy yet' : `copies of ${replaced.join(', ')} — the fixture files the policy lets a solution replace`;
  return {
    dir,
    files,
    folders: ['hidden-tests', 'reference', COUNTEREXAMPLE_PLACEHOLDER],
    nextSteps: [
      `Edit ${SCENARIO_FILE}: the request (turns[0].text) with the contract the tests check, title, tags, answers — every TODO.`,
      `Write hidden-tests/${options.id}.test.ts (it fails until written); it runs from acceptance/ in the sandbox, so it imports '../${exampleFolder}/…'.`,
      `Put the solution in reference/, laid out as in the sandbox (now ${copied}); each file replaces the whole file, so edit these and add new ones.`,
      `Put a wrong solution in ${COUNTEREXAMPLE_PLACEHOLDER}/ (rename the folder to say what is wrong, and its entry in ${SCENARIO_FILE}); the hidden tests must reject it by a failed assertion.`,
      ...closingSteps(options),
    ],
  };
}

function planFromCopy(options: ScaffoldOptions, from: string, dir: string): ScaffoldPlan {
  const source = loadSource(options.scenariosDir, from);
  const fixture = options.fixture === undefined ? source.fixture : chooseFixture(options.fixturesDir, options.fixture);
  const files = listFiles(source.dir).map((file): ScaffoldFile => {
    const contents = readFileSync(path.join(source.dir, file));
    return { path: file, contents: file === SCENARIO_FILE ? retitleCopy(contents.toString('utf8'), { id: options.id, from, fixture }) : contents };
  });
  return {
    dir,
    files,
    folders: [],
    nextSteps: [
      `Edit ${SCENARIO_FILE}: it is ${from}'s, with its id, a TODO title${fixture === source.fixture ? '' : ` and fixture ${fixture}`}. Change the request: two scenarios may not start with the same first turn (the scripted model tells them apart by it, and \`harness validate\` rejects a copy).`,
      'Adapt hidden-tests/, reference/ and counterexamples/ to the new request.',
      ...closingSteps(options),
    ],
  };
}

function loadSource(scenariosDir: string, from: string): ResolvedScenario {
  try {
    return loadScenario(scenariosDir, from);
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.code, `--from ${from}: ${error.message}`, { ...(error.file === undefined ? {} : { file: error.file }), cause: error });
    throw error;
  }
}

function closingSteps(options: ScaffoldOptions): string[] {
  return [`Check it: npm run harness -- validate --scenario ${options.id}   (--static-only first: seconds, without OpenCode)`, 'Once valid, in this project: npm run docs:scenarios   (the README suite table and the default config count it)'];
}

/** The copy's scenario.yaml: the source's text with the new id, a TODO title and, if asked, another fixture. */
export function retitleCopy(text: string, change: { id: string; from: string; fixture: string }): string {
  return text
    .replace(/^id:[^\n]*$/m, `id: ${change.id}`)
    .replace(/^title:[ \t]*(?![>|])(['"]?)([^\n]*?)\1[ \t]*$/m, (_line, _quote: string, title: string) => `title: ${JSON.stringify(`TODO: ${title} (copied from ${change.from})`)}`)
    .replace(/^fixture:[^\n]*$/m, `fixture: ${change.fixture}`);
}

function chooseFixture(fixturesDir: string, wanted: string | undefined): string {
  const names = listFixtureNames(fixturesDir);
  if (wanted !== undefined) {
    if (names.includes(wanted)) return wanted;
    throw new UserError('FIXTURE_NOT_FOUND', `--fixture ${wanted}: no such fixture (expected ${path.join(fixturesDir, wanted, FIXTURE_FILE)}); known: ${names.join(', ') || '(none)'}`);
  }
  const [only, ...others] = names;
  if (only !== undefined && others.length === 0) return only;
  throw new UserError('CLI_USAGE', `new-scenario: pass --fixture <name>; ${names.length === 0 ? `no fixture found under ${fixturesDir}` : `the fixtures are ${names.join(', ')}`}`);
}

/** The first scenario (by id) on the same fixture that loads: its policy is the house rule for that app. */
function findPolicySource(scenariosDir: string, fixture: string): ResolvedScenario | undefined {
  for (const id of listScenarioIds(scenariosDir)) {
    try {
      const scenario = loadScenario(scenariosDir, id);
      if (scenario.fixture === fixture) return scenario;
    } catch {
      // A scenario that does not load is no model for a new one.
    }
  }
  return undefined;
}

/** Files of the fixture the policy lets a solution edit (registries such as src/user-components/index.ts). */
function listReplaceableFiles(fixtureDir: string, policy: ScenarioPolicy): string[] {
  const editable = listFiles(fixtureDir, new Set(['node_modules', '.git'])).filter((file) => judgeEdit(policy.edit, file).allowed);
  return editable.length > MAX_COPIED_FILES ? [] : editable;
}

/** Files under a folder, relative with `/`, sorted; `skipped` folder names are not entered. */
function listFiles(root: string, skipped: ReadonlySet<string> = new Set()): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory() && !skipped.has(entry.name)) walk(child);
      else if (entry.isFile()) found.push(child);
    }
  };
  walk('');
  return found.sort();
}

function relativeSchemaPath(scenarioDir: string): string {
  return path.relative(scenarioDir, SCENARIO_JSON_SCHEMA_FILE).split(path.sep).join('/');
}

/** Writes the planned files; the folder must not exist yet. */
export function writeScaffold(plan: ScaffoldPlan): void {
  for (const file of plan.files) {
    const target = path.join(plan.dir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.contents, { flag: 'wx' });
  }
  for (const folder of plan.folders) mkdirSync(path.join(plan.dir, folder), { recursive: true });
}
