import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerQuestions } from '../../attempt/opencode/answer-questions.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { formatProbeQuestions, planProbeTopics } from '../../endpoints/scripted-model/profiles/probe-questions.ts';
import { isUserError } from '../../core/errors.ts';
import { loadScenario } from '../../inputs/scenarios/load-scenarios.ts';
import { checkScenarioRules } from '../../inputs/scenarios/scenario-rules.ts';
import { planScaffold, retitleCopy, writeScaffold, type ScaffoldOptions } from './scaffold-scenario.ts';

const FIXTURES = path.join(PROJECT_ROOT, 'fixtures');
const root = mkdtempSync(path.join(tmpdir(), 'scaffold-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A scenarios folder holding a copy of add-stock-widget. */
function scenariosFolder(name: string): string {
  const dir = path.join(root, name, 'scenarios');
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(PROJECT_ROOT, 'scenarios', 'add-stock-widget'), path.join(dir, 'add-stock-widget'), { recursive: true });
  return dir;
}

function errorOf(options: ScaffoldOptions): string {
  try {
    planScaffold(options);
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('new-scenario from the template', () => {
  const scenariosDir = scenariosFolder('template');
  const plan = planScaffold({ scenariosDir, fixturesDir: FIXTURES, id: 'watchlist-alerts' });
  writeScaffold(plan);
  const dir = path.join(scenariosDir, 'watchlist-alerts');

  it('writes a scenario that loads, with failing hidden tests, a reference and a counterexample holding the files a solution replaces', () => {
    expect(plan.files.map((file) => file.path)).toEqual([
      'scenario.yaml',
      'hidden-tests/watchlist-alerts.test.ts',
      'reference/src/user-components/index.ts',
      'reference/src/user-pages/index.ts',
      'counterexamples/todo-wrong-solution/src/user-components/index.ts',
      'counterexamples/todo-wrong-solution/src/user-pages/index.ts',
    ]);
    const scenario = loadScenario(scenariosDir, 'watchlist-alerts');
    expect(scenario).toMatchObject({ fixture: 'portfolio-dashboard', timeoutMs: 300_000, hiddenTestsTarget: 'acceptance' });
    expect(scenario.policy.edit).toEqual({ allow: ['src/user-components/**', 'src/user-pages/**'], deny: ['src/core/**', 'config/**', '.env*'] });
    expect(readFileSync(path.join(dir, 'reference/src/user-components/index.ts'), 'utf8')).toBe(readFileSync(path.join(FIXTURES, 'portfolio-dashboard/src/user-components/index.ts'), 'utf8'));
    expect(readFileSync(path.join(dir, 'hidden-tests/watchlist-alerts.test.ts'), 'utf8')).toMatch(/expect\.fail\('TODO: write the hidden tests of watchlist-alerts'\)/);
  });

  it('names the schema on line 1 and leaves TODOs that validate warns about, nothing it rejects', () => {
    const text = readFileSync(path.join(dir, 'scenario.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=' + path.relative(dir, path.join(PROJECT_ROOT, 'scenarios', 'scenario.schema.json')));
    const scenario = loadScenario(scenariosDir, 'watchlist-alerts');
    const findings = checkScenarioRules(scenario, [scenario, loadScenario(scenariosDir, 'add-stock-widget')]);
    expect(findings).toEqual([{ level: 'warning', field: '(file)', message: expect.stringMatching(/still has TODO placeholders/) }]);
  });

  it('answers the probe’s question about changing shared code from the start, in every form', () => {
    const scenario = loadScenario(scenariosDir, 'watchlist-alerts');
    const scope = planProbeTopics('Add a widget.', 0).filter((topic) => topic.header === 'Scope');
    for (const form of ['free-text', 'options', 'header'] as const) {
      const questions = formatProbeQuestions(scope, form).map((question) => ({ ...question, options: question.options.map((option) => ({ label: option.label })) }));
      expect(answerQuestions(scenario, questions).matchedBy, form).toEqual([scenario.answers[0]?.match]);
    }
  });

  it('says what to do next, ending with validate', () => {
    expect(plan.nextSteps.join('\n')).toMatch(/every TODO[\s\S]*hidden-tests\/watchlist-alerts\.test\.ts[\s\S]*reference\/[\s\S]*counterexamples\/todo-wrong-solution[\s\S]*npm run harness -- validate --scenario watchlist-alerts/);
  });
});

describe('new-scenario --from', () => {
  const scenariosDir = scenariosFolder('copy');
  const plan = planScaffold({ scenariosDir, fixturesDir: FIXTURES, id: 'watchlist-copy', from: 'add-stock-widget' });
  writeScaffold(plan);

  it('copies every file of the source, with the new id and a TODO title, comments kept', () => {
    const copy = loadScenario(scenariosDir, 'watchlist-copy');
    expect(copy.title).toBe('TODO: Add a stock watchlist widget (copied from add-stock-widget)');
    expect(plan.files.map((file) => file.path)).toContain('hidden-tests/stock-quotes-widget.test.tsx');
    expect(readFileSync(path.join(scenariosDir, 'watchlist-copy', 'scenario.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../scenario.schema.json');
    expect(retitleCopy("id: a\ntitle: 'Quoted'\nfixture: x\n", { id: 'b', from: 'a', fixture: 'y' })).toBe('id: b\ntitle: "TODO: Quoted (copied from a)"\nfixture: y\n');
  });

  it('is rejected by validate until its first request differs from the source’s', () => {
    const copy = loadScenario(scenariosDir, 'watchlist-copy');
    const findings = checkScenarioRules(copy, [copy, loadScenario(scenariosDir, 'add-stock-widget')]);
    expect(findings.filter((finding) => finding.level === 'error')).toEqual([{ level: 'error', field: 'turns[0].text', message: expect.stringMatching(/same request as the first turn of add-stock-widget/) }]);
  });
});

describe('new-scenario refuses, naming the fix', () => {
  const scenariosDir = scenariosFolder('errors');
  const base = { scenariosDir, fixturesDir: FIXTURES };

  it('an id that is not kebab-case, or taken', () => {
    expect(errorOf({ ...base, id: 'Watchlist_Alerts' })).toMatch(/new-scenario "Watchlist_Alerts": the id must be kebab-case/);
    expect(errorOf({ ...base, id: 'add-stock-widget' })).toMatch(/add-stock-widget already exists; pick another id, or edit that scenario/);
    expect(existsSync(path.join(scenariosDir, 'Watchlist_Alerts'))).toBe(false);
  });

  it('an unknown fixture or source; several fixtures without --fixture', () => {
    expect(errorOf({ ...base, id: 'x', fixture: 'portfolio-dashbaord' })).toMatch(/--fixture portfolio-dashbaord: no such fixture .*known: portfolio-dashboard/);
    expect(errorOf({ ...base, id: 'x', from: 'no-such' })).toMatch(/--from no-such: .*no such scenario "no-such"\. Known scenarios: add-stock-widget/);
    const fixturesDir = path.join(root, 'two-fixtures');
    for (const name of ['app-a', 'app-b']) {
      mkdirSync(path.join(fixturesDir, name), { recursive: true });
      writeFileSync(path.join(fixturesDir, name, 'fixture.yaml'), 'commands: {}\n');
    }
    expect(errorOf({ scenariosDir, fixturesDir, id: 'x' })).toMatch(/new-scenario: pass --fixture <name>; the fixtures are app-a, app-b/);
  });
});
