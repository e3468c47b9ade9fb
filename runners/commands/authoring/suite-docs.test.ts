import { describe, expect, it } from 'vitest';
import { SUITE_TABLE_END, SUITE_TABLE_START, findStaleSuiteDocs, readProjectSuite, renderAttemptCount, renderSuiteTable, updateSuiteDocs } from './suite-docs.ts';

const scenario = (id: string, difficulty: string, title = `Title of ${id}`) => ({ id, title, fixture: 'app', tags: [`difficulty:${difficulty}`, 'widget', 'table'] });
const SUITE = [scenario('b-hard', 'hard'), scenario('a-easy', 'easy', 'A | piped title'), scenario('c-easy', 'easy')];
const DOCS = { readme: `# App\n\n${SUITE_TABLE_START}\nold table\n${SUITE_TABLE_END}\n\nMore text.\n`, config: '/** 2 scenarios × 3 targets = 6 attempts, fast. */\n' };

describe('the suite docs', () => {
  it('renders a count per difficulty and one row per scenario, easiest first', () => {
    const table = renderSuiteTable(SUITE);
    expect(table.split('\n')).toEqual([
      SUITE_TABLE_START,
      '3 scenarios over `fixtures/app`: 2 easy, 1 hard.',
      '',
      '| scenario | difficulty | title | tags |',
      '|---|---|---|---|',
      '| `a-easy` | easy | A \\| piped title | widget, table |',
      '| `c-easy` | easy | Title of c-easy | widget, table |',
      '| `b-hard` | hard | Title of b-hard | widget, table |',
      SUITE_TABLE_END,
    ]);
    expect(renderAttemptCount(1, 1)).toBe('1 scenario × 1 target = 1 attempt');
  });

  it('rewrites only the marked block and the config phrase', () => {
    const updated = updateSuiteDocs(DOCS, SUITE, 3);
    if (updated.status !== 'ok') throw new Error(updated.problem);
    expect(updated.docs.readme).toMatch(/^# App\n\n<!-- scenario-suite:start[^\n]*\n3 scenarios over/);
    expect(updated.docs.readme).toMatch(/<!-- scenario-suite:end -->\n\nMore text\.\n$/);
    expect(updated.docs.config).toBe('/** 3 scenarios × 3 targets = 9 attempts, fast. */\n');
    expect(findStaleSuiteDocs(updated.docs, SUITE, 3)).toEqual([]);
  });

  it('is stale when a scenario is added or the targets change, naming the command that regenerates it', () => {
    const updated = updateSuiteDocs(DOCS, SUITE, 3);
    if (updated.status !== 'ok') throw new Error(updated.problem);
    expect(findStaleSuiteDocs(updated.docs, [...SUITE, scenario('d-medium', 'medium')], 3)).toEqual([
      'README.md: the suite table does not match scenarios/ (regenerate: npm run docs:scenarios)',
      "harness.config.ts: the comment's count of attempts does not match scenarios/ and the targets (regenerate: npm run docs:scenarios)",
    ]);
    expect(findStaleSuiteDocs(updated.docs, SUITE, 4)).toHaveLength(1);
    expect(findStaleSuiteDocs({ ...DOCS, readme: '# no markers' }, SUITE, 3)).toEqual([expect.stringMatching(/^README\.md: the suite table must sit between the lines/)]);
    expect(findStaleSuiteDocs({ ...DOCS, config: '// nothing counted' }, SUITE, 3)).toEqual([expect.stringMatching(/^harness\.config\.ts: its comment must count/)]);
  });

  it('the project’s README and default config match its scenarios', async () => {
    const { docs, scenarios, targetCount } = await readProjectSuite();
    expect(findStaleSuiteDocs(docs, scenarios, targetCount)).toEqual([]);
  });
});
