import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidateReport } from '../../commands/cli/validate-command.ts';
import { PROJECT_ROOT, readSummary, runCli, scriptedTarget, writeConfig } from '../support/harness-cli.ts';
import { useSuiteWorkspace } from '../support/workspace.ts';

/**
 * The author's path end to end, as the README's "Add a scenario" walks it: `harness new-scenario`
 * scaffolds a scenario that validate rejects until it is written; filled in, the same folder is
 * proven valid — static pre-check, reference, noop and the answers probe through OpenCode.
 */
const ID = 'portfolio-count';

const REQUEST = `Please add a widget to my dashboard that shows how many portfolios I have.

      Details, so that it fits the platform:
      - Export the component as \`PortfolioCountWidget\` (a named export) from
        \`src/user-components/PortfolioCountWidget.tsx\`, and register it in \`userWidgets\` in
        \`src/user-components/index.ts\` with id \`portfolio-count\` and title \`Portfolio count\`.
      - Count the portfolios of the core data client's \`getPortfolios()\` and show the number in an
        element with \`data-testid="portfolio-count"\`.
      - Keep all changes in \`src/user-components/\`; don't modify \`src/core/\` or \`config/\`.`;

const HIDDEN_TEST = `import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createInMemoryDataClient, DataClientProvider, type DataClient } from '../src/core/index.ts';
import { userWidgets } from '../src/user-components/index.ts';

const portfolio = (id: string) => ({ id, name: id, baseCurrency: 'USD', createdAt: '2020-01-01' });

describe('portfolio count widget', () => {
  it('shows the number of portfolios from getPortfolios()', async () => {
    const widget = userWidgets.find((definition) => definition.id === 'portfolio-count');
    if (!widget) throw new Error('no widget with id "portfolio-count" in userWidgets');
    const client: DataClient = { ...createInMemoryDataClient(), getPortfolios: async () => [portfolio('a'), portfolio('b'), portfolio('c'), portfolio('d'), portfolio('e')] };
    const Component = widget.component;
    render(<DataClientProvider client={client}><Component /></DataClientProvider>);
    expect((await screen.findByTestId('portfolio-count')).textContent?.trim()).toBe('5');
    expect(widget.title).toBe('Portfolio count');
  });
});
`;

const widget = (count: string) => `import { useDataQuery } from '../core/index.ts';

export function PortfolioCountWidget() {
  const state = useDataQuery((client) => client.getPortfolios(), []);
  if (state.status !== 'success') return <p>Loading…</p>;
  return <p data-testid="portfolio-count">{${count}}</p>;
}
`;

const INDEX = `import type { WidgetDefinition } from '../core/index.ts';
import { PortfolioCountWidget } from './PortfolioCountWidget.tsx';

/** Custom dashboard widgets, shown after the core widgets. Add yours here. */
export const userWidgets: WidgetDefinition[] = [{ id: 'portfolio-count', title: 'Portfolio count', component: PortfolioCountWidget }];
`;

function readReport(file: string): ValidateReport {
  return JSON.parse(readFileSync(file, 'utf8')) as ValidateReport;
}

describe('harness new-scenario, then validate', () => {
  const workspace = useSuiteWorkspace('harness-e2e-new-scenario-');
  let workDir: string;
  let config: string;
  let scenarioDir: string;

  beforeAll(() => {
    workDir = workspace.dir;
    const scenariosDir = path.join(workDir, 'scenarios');
    mkdirSync(scenariosDir);
    cpSync(path.join(PROJECT_ROOT, 'scenarios', 'add-stock-widget'), path.join(scenariosDir, 'add-stock-widget'), { recursive: true });
    config = writeConfig(workDir, { scenariosDir, targets: [scriptedTarget('reference')], concurrency: 2 });
    scenarioDir = path.join(scenariosDir, ID);
  });

  it('scaffolds the folder and prints the next steps; an existing or bad id exits 2', async () => {
    const created = await runCli(['new-scenario', ID, '--config', config], workspace);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Created scenarios\/portfolio-count\/:\n {2}scenario\.yaml\n {2}hidden-tests\/portfolio-count\.test\.ts\n {2}reference\/src\/user-components\/index\.ts/);
    expect(created.stdout).toMatch(/npm run harness -- validate --scenario portfolio-count/);
    expect(existsSync(path.join(scenarioDir, 'counterexamples', 'todo-wrong-solution', 'src', 'user-components', 'index.ts'))).toBe(true);
    const again = await runCli(['new-scenario', ID, '--config', config], workspace);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/portfolio-count already exists; pick another id/);
    const bad = await runCli(['new-scenario', 'Portfolio Count', '--config', config], workspace);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/the id must be kebab-case/);
  });

  it('validate rejects the scaffold until it is written, saying why', async () => {
    const json = path.join(workDir, 'scaffold.json');
    const cli = await runCli(['validate', '--config', config, '--scenario', ID, '--static-only', '--json', json], workspace);
    expect(cli.exitCode, cli.stderr).toBe(1);
    const [result] = readReport(json).results;
    if (result === undefined || result.status !== 'invalid') throw new Error(JSON.stringify(result));
    expect(result.reasons.join('\n')).toMatch(/the hidden tests fail with the reference solution: .*TODO: write the hidden tests of portfolio-count/);
    expect(result.reasons.join('\n')).toMatch(/counterexample todo-wrong-solution .*its files equal the fixture's/);
    expect(result.warnings.join('\n')).toMatch(/still has TODO placeholders/);
  });

  it('filled in, the same folder is valid: static pre-check, reference, noop and the answers probe', async () => {
    const file = path.join(scenarioDir, 'scenario.yaml');
    const yaml = readFileSync(file, 'utf8')
      .replace(/^title: .*$/m, 'title: Portfolio count widget')
      .replace(/^ {2}TODO: what the user asks.*$/m, '  The user wants the number of portfolios on the dashboard, from the core data client.')
      .replace('tags: [difficulty:medium, TODO-skill, TODO-skill-2]', 'tags: [difficulty:easy, widget, data-client]')
      .replace(/ {6}TODO: the request, as a user would write it\.\n\n[\s\S]*?(?=\n# Replies)/, `      ${REQUEST}`)
      .replace('counterexamples/todo-wrong-solution', 'counterexamples/hard-coded-count')
      .replace(/why: 'TODO: .*'/, "why: 'shows a hard-coded count instead of asking the data client'");
    writeFileSync(file, yaml);
    rmSync(path.join(scenarioDir, 'hidden-tests', `${ID}.test.ts`));
    writeFileSync(path.join(scenarioDir, 'hidden-tests', `${ID}.test.tsx`), HIDDEN_TEST);
    for (const [folder, count] of [['reference', 'state.data.length'], [path.join('counterexamples', 'hard-coded-count'), '3']] as const) {
      if (folder !== 'reference') cpSync(path.join(scenarioDir, 'counterexamples', 'todo-wrong-solution'), path.join(scenarioDir, folder), { recursive: true });
      writeFileSync(path.join(scenarioDir, folder, 'src', 'user-components', 'PortfolioCountWidget.tsx'), widget(count));
      writeFileSync(path.join(scenarioDir, folder, 'src', 'user-components', 'index.ts'), INDEX);
      rmSync(path.join(scenarioDir, folder, 'src', 'user-pages'), { recursive: true });
    }
    rmSync(path.join(scenarioDir, 'counterexamples', 'todo-wrong-solution'), { recursive: true });

    const json = path.join(workDir, 'filled.json');
    const cli = await runCli(['validate', '--config', config, '--scenario', ID, '--json', json], workspace, 600_000);
    expect(cli.exitCode, cli.stderr).toBe(0);
    const report = readReport(json);
    const [result] = report.results;
    if (result === undefined || result.status !== 'valid') throw new Error(`${cli.stderr}\n${JSON.stringify(result, null, 1)}`);
    expect(result.warnings).toEqual([]);
    expect(result.explanation.referenceChecks.map((check) => `${check.check} ${check.status}`)).toEqual(['typecheck passed', 'lint passed']);
    expect(result.explanation.counterexamples).toEqual([
      { name: 'hard-coded-count', why: 'shows a hard-coded count instead of asking the data client', verdict: expect.objectContaining({ status: 'rejected', failures: [expect.objectContaining({ file: `acceptance/${ID}.test.tsx`, message: expect.stringMatching(/^AssertionError: expected '3' to be '5'/) })] }) },
    ]);
    const answers = result.explanation.answers;
    if (answers?.status !== 'checked') throw new Error(JSON.stringify(answers));
    expect(new Set(answers.questions.map((question) => question.askedAs))).toEqual(new Set(['free-text', 'options', 'header']));
    expect(answers.questions.find((question) => question.question.startsWith('May I change'))?.answeredBy).toMatchObject({ kind: 'scripted', index: 0 });
    expect(cli.stderr).toMatch(/answers: \d+ question\(s\) asked through OpenCode/);
    // The validation run lives apart from ordinary runs, with its own report.
    if (report.runDir === undefined) throw new Error('no run');
    expect(path.dirname(report.runDir)).toBe(path.join(workDir, 'runs', 'validate'));
    expect(readSummary(report.runDir).specs.map((spec) => `${spec.spec.targetId} ${spec.outcome.kind}`).sort()).toEqual(['validate-answers passed', 'validate-noop failed', 'validate-reference passed']);
  });
});
