import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isUserError } from '../../core/errors.ts';
import { listScenarioIds, loadScenario } from './load-scenarios.ts';
import { SCENARIO_JSON_SCHEMA_FILE, renderScenarioJsonSchema } from './scenario-json-schema.ts';
import { checkScenarioRules } from './scenario-rules.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';

const PROJECT_SCENARIOS = path.join(PROJECT_ROOT, 'scenarios');

describe('the project’s scenarios', () => {
  const ids = listScenarioIds(PROJECT_SCENARIOS);

  it('are a suite of at least eight, each loading cleanly', () => {
    expect(ids.length).toBeGreaterThanOrEqual(8);
    for (const id of ids) expect(loadScenario(PROJECT_SCENARIOS, id).id).toBe(id);
  });

  it('break none of the rules `harness validate` checks beyond the schema (its warnings are advice, not failures)', () => {
    const scenarios = ids.map((id) => loadScenario(PROJECT_SCENARIOS, id));
    for (const scenario of scenarios) expect(checkScenarioRules(scenario, scenarios).filter((finding) => finding.level === 'error'), scenario.id).toEqual([]);
  });

  it('cover the kinds of scenario the suite promises', () => {
    const tags = new Set(ids.flatMap((id) => loadScenario(PROJECT_SCENARIOS, id).tags));
    for (const tag of ['clarifying-question', 'multi-turn', 'trap', 'mcp', 'chart', 'filtering', 'sorting']) expect(tags.has(tag), tag).toBe(true);
    const difficulties = new Set([...tags].filter((tag) => tag.startsWith('difficulty:')));
    expect(difficulties).toEqual(new Set(['difficulty:easy', 'difficulty:medium', 'difficulty:hard']));
  });
});

describe('scenarios/scenario.schema.json', () => {
  it('is in sync with the zod schema (regenerate: node runners/inputs/scenarios/scenario-json-schema.ts)', () => {
    expect(readFileSync(SCENARIO_JSON_SCHEMA_FILE, 'utf8')).toBe(renderScenarioJsonSchema());
  });

  it('describes the new sections for editors', () => {
    const schema = JSON.parse(renderScenarioJsonSchema()) as { properties: Record<string, { description?: string; properties?: Record<string, unknown> }>; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties.mcp?.properties ?? {})).toEqual(['backend']);
    expect(Object.keys(schema.properties.reference?.properties ?? {})).toEqual(['dir', 'calls', 'turns', 'todos', 'read', 'exercises']);
    expect(schema.properties.counterexamples?.description).toMatch(/Wrong solutions/);
  });

  it('describes every field an author writes, with an example', () => {
    const missing: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as { properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[] };
      for (const [key, child] of Object.entries(record.properties ?? {})) {
        const field = child as { description?: string; examples?: unknown[] };
        if (field.description === undefined || field.description === '') missing.push(`${where}${key}: description`);
        if (!Array.isArray(field.examples) || field.examples.length === 0) missing.push(`${where}${key}: examples`);
        visit(child, `${where}${key}.`);
      }
      visit(record.items, `${where.replace(/\.$/, '')}[].`);
      for (const option of record.anyOf ?? []) visit(option, where);
    };
    visit(JSON.parse(renderScenarioJsonSchema()), '');
    expect(missing).toEqual([]);
  });

  it('describes answer matching as answer-questions.ts does it: header and text, first match, option labels', () => {
    const schema = JSON.parse(renderScenarioJsonSchema()) as { properties: { answers: { description: string; items: { properties: { match: { description: string } } } } } };
    for (const text of [schema.properties.answers.description, schema.properties.answers.items.properties.match.description]) {
      expect(text).toContain('"<header>\\n<question>"');
      expect(text).toMatch(/first entry whose `match` finds a match/);
      expect(text).toMatch(/option whose label equals it .* contains, else as free text/);
    }
  });
});

describe('scenario errors name the file, the field and the fix', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'scenario-errors-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const VALID = {
    id: 'demo',
    title: 'Demo',
    fixture: 'portfolio-dashboard',
    tags: ['difficulty:easy', 'widget', 'table'],
    turns: [{ text: 'Add a widget.' }],
    policy: { edit: { allow: ['src/user-components/**'] } },
  };

  /** Writes scenario `demo` (with hidden-tests/ and the given folders) and returns the load error. */
  function errorOf(data: Record<string, unknown>, folders: string[] = ['reference']): string {
    const dir = path.join(root, `case-${Math.random().toString(36).slice(2)}`);
    for (const folder of ['hidden-tests', ...folders]) mkdirSync(path.join(dir, 'demo', folder), { recursive: true });
    writeFileSync(path.join(dir, 'demo', 'scenario.yaml'), stringify(data));
    try {
      loadScenario(dir, 'demo');
    } catch (error) {
      if (isUserError(error)) return error.message;
      throw error;
    }
    throw new Error('expected a UserError');
  }

  it('loads the valid base case', () => {
    const dir = path.join(root, 'valid');
    for (const folder of ['hidden-tests', 'reference']) mkdirSync(path.join(dir, 'demo', folder), { recursive: true });
    writeFileSync(path.join(dir, 'demo', 'scenario.yaml'), stringify(VALID));
    const scenario = loadScenario(dir, 'demo');
    expect(scenario.referenceTurns).toEqual([{ dir: path.join(dir, 'demo', 'reference'), calls: [], todos: false, read: [] }]);
    expect(scenario.mcpServers).toEqual([]);
    expect(scenario.counterexamples).toEqual([]);
  });

  it('a misspelt field, listing the fields allowed there', () => {
    const message = errorOf({ ...VALID, timeoutMS: 1000 });
    expect(message).toMatch(/demo\/scenario\.yaml: \(root\) has unknown field "timeoutMS" \(check the spelling; allowed here: .*timeoutMs/);
    expect(errorOf({ ...VALID, policy: { edit: { allow: [] }, webFetch: 'deny' } })).toMatch(/policy has unknown field "webFetch" \(check the spelling; allowed here: edit, read, bash, webfetch, question\)/);
  });

  it('a missing field, with what it is for', () => {
    expect(errorOf({ ...VALID, turns: undefined })).toMatch(/scenario\.yaml: turns is required: The user messages, sent one after another/);
    expect(errorOf({ ...VALID, tags: undefined })).toMatch(/scenario\.yaml: tags is required: Exactly one difficulty tag/);
  });

  it('tags without exactly one known difficulty, or with fewer than two skill tags', () => {
    expect(errorOf({ ...VALID, tags: ['widget', 'table'] })).toMatch(/tags must hold exactly one difficulty tag \(difficulty:easy, difficulty:medium, difficulty:hard\), found none; e\.g\. \[difficulty:medium, widget, table\]/);
    expect(errorOf({ ...VALID, tags: ['difficulty:easy', 'difficulty:hard', 'widget', 'table'] })).toMatch(/found difficulty:easy, difficulty:hard/);
    expect(errorOf({ ...VALID, tags: ['difficulty:meduim', 'widget', 'table'] })).toMatch(/tags has "difficulty:meduim"; the difficulty tag must be one of difficulty:easy, difficulty:medium, difficulty:hard/);
    expect(errorOf({ ...VALID, tags: ['difficulty:easy', 'widget'] })).toMatch(/tags must hold at least 2 skill tags besides the difficulty/);
  });

  it('leaves defaulted fields out: timeout, answers, hidden tests, reference, counterexamples, MCP', () => {
    const dir = path.join(root, 'defaults');
    for (const folder of ['hidden-tests', 'reference']) mkdirSync(path.join(dir, 'demo', folder), { recursive: true });
    writeFileSync(path.join(dir, 'demo', 'scenario.yaml'), stringify(VALID));
    expect(loadScenario(dir, 'demo')).toMatchObject({ timeoutMs: 300_000, answers: [], hiddenTestsTarget: 'acceptance', counterexamples: [], mcpServers: [] });
  });

  it('an MCP server the harness does not know', () => {
    expect(errorOf({ ...VALID, mcp: { database: { enabled: true } } })).toMatch(/mcp has unknown field "database" \(check the spelling; allowed here: backend\)/);
  });

  it('a bad regular expression in a scripted answer', () => {
    expect(errorOf({ ...VALID, answers: [{ match: '(unclosed', answer: 'x' }] })).toMatch(/answers\[0\]\.match must be a valid regular expression/);
  });

  it('reference turns that do not match the user turns, or both forms at once', () => {
    expect(errorOf({ ...VALID, reference: { turns: [{ dir: 'reference/turn-1' }, { dir: 'reference/turn-2' }] } }, ['reference/turn-1', 'reference/turn-2'])).toMatch(
      /reference\.turns has 2 entries but the scenario has 1 user turn\(s\); give one entry per turn/,
    );
    expect(errorOf({ ...VALID, reference: { dir: 'reference', turns: [{ dir: 'reference' }] } })).toMatch(/reference give either dir\/calls\/todos\/read \(one turn\) or turns/);
  });

  it('a reference call without a usable tool name', () => {
    expect(errorOf({ ...VALID, reference: { calls: [{ tool: 'backend get portfolios' }] } })).toMatch(/reference\.calls\[0\]\.tool must be a tool name as the model sees it/);
  });

  it('folders that are missing or leave the scenario folder', () => {
    expect(errorOf({ ...VALID, reference: { turns: [{ dir: 'reference/turn-1' }] } })).toMatch(/reference\.turns\[0\]\.dir points to .*turn-1, which is not a folder; put the reference solution there/);
    expect(errorOf({ ...VALID, counterexamples: [{ dir: '../elsewhere', why: 'x' }] })).toMatch(/counterexamples\[0\]\.dir must be a folder inside the scenario folder/);
    expect(errorOf({ ...VALID, counterexamples: [{ dir: 'counterexamples/x', why: '' }] }, ['reference', 'counterexamples/x'])).toMatch(/counterexamples\[0\]\.why must say what is wrong with it/);
  });
});
