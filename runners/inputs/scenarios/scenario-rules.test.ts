import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioPolicy } from '../../core/domain/scenario.ts';
import { checkAnswersUsable, checkFirstTurn, checkModeline, checkPlaceholders, checkScenarioRules } from './scenario-rules.ts';

const root = mkdtempSync(path.join(tmpdir(), 'scenario-rules-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeFileSync(path.join(root, 'scenario.schema.json'), '{}');
const dir = path.join(root, 'demo');
mkdirSync(dir);
const FILE = path.join(dir, 'scenario.yaml');

const POLICY: ScenarioPolicy = { edit: { allow: ['src/**'], deny: [] }, read: { deny: [] }, bash: { default: 'deny', allow: [] }, webfetch: 'deny', question: 'allow' };
const scenario = (id: string, text: string, overrides: { question?: 'allow' | 'deny'; answers?: number } = {}) => ({
  id,
  file: FILE,
  turns: [{ text, agent: 'build' }],
  answers: Array.from({ length: overrides.answers ?? 1 }, () => ({ match: 'x', answer: 'y' })),
  policy: { ...POLICY, question: overrides.question ?? 'allow' },
});

describe('rules beyond the schema', () => {
  it('line 1 names an existing JSON schema (a warning: only editors need it)', () => {
    expect(checkModeline(FILE, '# yaml-language-server: $schema=../scenario.schema.json\nid: demo\n')).toEqual([]);
    expect(checkModeline(FILE, 'id: demo\n')).toEqual([{ level: 'warning', field: '(line 1)', message: expect.stringMatching(/does not name the JSON schema; make line 1 `# yaml-language-server: \$schema=/) }]);
    expect(checkModeline(FILE, '# yaml-language-server: $schema=../../nowhere.json\n')).toEqual([{ level: 'warning', field: '(line 1)', message: expect.stringMatching(/names the JSON schema at \.\.\/\.\.\/nowhere\.json, which does not exist/) }]);
  });

  it('placeholders left by new-scenario are named by line', () => {
    expect(checkPlaceholders('# replace each TODO\nid: demo\ntitle: TODO name it\nturns:\n  - text: TODO the request\n')).toEqual([{ level: 'warning', field: '(file)', message: expect.stringMatching(/still has TODO placeholders \(lines 3, 5\)/) }]);
    expect(checkPlaceholders('id: demo\n')).toEqual([]);
  });

  it('two scenarios may not start with the same request (the scripted model could not tell them apart)', () => {
    const first = scenario('a', 'Add a  widget.\n');
    expect(checkFirstTurn(first, [first, scenario('b', 'Add a widget.'), scenario('c', 'Add a widget, then a page.')])).toEqual([
      { level: 'error', field: 'turns[0].text', message: expect.stringMatching(/is the same request as the first turn of b; .* make this request differ/) },
    ]);
    expect(checkFirstTurn(first, [first, scenario('c', 'Add a widget, then a page.')])).toEqual([]);
  });

  it('answers that can never be used: questions are denied', () => {
    expect(checkAnswersUsable(scenario('a', 'x', { question: 'deny' }))).toEqual([{ level: 'warning', field: 'answers', message: expect.stringMatching(/are never used: policy\.question is deny/) }]);
    expect(checkAnswersUsable(scenario('a', 'x', { question: 'deny', answers: 0 }))).toEqual([]);
    expect(checkAnswersUsable(scenario('a', 'x'))).toEqual([]);
  });

  it('checkScenarioRules reads the file and runs every rule', () => {
    writeFileSync(FILE, 'id: demo\ntitle: TODO\n');
    const findings = checkScenarioRules(scenario('a', 'Add it.'), [scenario('b', 'Add it.')]);
    expect(findings.map((finding) => `${finding.level} ${finding.field}`)).toEqual(['warning (line 1)', 'warning (file)', 'error turns[0].text']);
  });
});
