import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidateReport } from '../../commands/cli/validate-command.ts';
import { listScenarioIds } from '../../inputs/scenarios/load-scenarios.ts';
import { PROJECT_ROOT, readSummary, runCli, scriptedTarget, writeConfig, type CliResult } from '../support/harness-cli.ts';
import { expectNoWorkspaceProcesses } from '../support/processes.ts';
import { useSuiteWorkspace } from '../support/workspace.ts';

/**
 * `harness validate` end to end: the real CLI, the static pre-check in real sandboxes, and the
 * scripted reference, noop and answers-probe profiles through the real OpenCode binary.
 */
const SCENARIOS_DIR = path.join(PROJECT_ROOT, 'scenarios');

function readReport(file: string, cli: CliResult): ValidateReport {
  if (!existsSync(file)) throw new Error(`harness validate wrote no ${file} (exit ${cli.exitCode}):\n${cli.stderr}`);
  return JSON.parse(readFileSync(file, 'utf8')) as ValidateReport;
}

describe('harness validate over the whole suite', () => {
  const workspace = useSuiteWorkspace('harness-e2e-validate-');
  let cli: CliResult;
  let report: ValidateReport;
  let wallMs: number;

  beforeAll(async () => {
    const config = writeConfig(workspace.dir, { targets: [scriptedTarget('reference')], concurrency: 2 });
    const started = Date.now();
    // Three agent attempts per scenario (reference, noop, answers probe) on 2 shared cores.
    cli = await runCli(['validate', '--config', config, '--json', path.join(workspace.dir, 'validate.json')], workspace, 1_500_000);
    wallMs = Date.now() - started;
    report = readReport(path.join(workspace.dir, 'validate.json'), cli);
  }, 1_500_000);

  it('finds every scenario valid and exits 0', () => {
    expect(cli.exitCode, cli.stderr).toBe(0);
    expect(report.results.map((result) => result.scenarioId)).toEqual(listScenarioIds(SCENARIOS_DIR));
    expect(report.results.length).toBeGreaterThanOrEqual(8);
    for (const result of report.results) expect(result, JSON.stringify(result)).toMatchObject({ status: 'valid', warnings: [] });
    expect(cli.stderr).toMatch(new RegExp(`${report.results.length} of ${report.results.length} scenario\\(s\\) valid`));
    process.stderr.write(`harness validate over ${report.results.length} scenarios: ${(wallMs / 1000).toFixed(1)} s wall (static ${(report.timings.staticMs / 1000).toFixed(1)} s, agents ${(report.timings.agentsMs / 1000).toFixed(1)} s)\n`);
  });

  it('ran the reference and the answers probe (passed) and noop (failed on the hidden tests) of every scenario through OpenCode, under runs/validate/, and prints the report last', () => {
    if (report.runDir === undefined) throw new Error('no run');
    expect(path.dirname(report.runDir)).toBe(path.join(workspace.dir, 'runs', 'validate'));
    const summary = readSummary(report.runDir);
    expect(summary.specs).toHaveLength(report.results.length * 3);
    for (const spec of summary.specs) {
      const expected = spec.spec.targetId === 'validate-noop' ? { kind: 'failed', failedChecks: ['tests'] } : { kind: 'passed' };
      expect(spec.outcome, `${spec.spec.scenarioId} × ${spec.spec.targetId}`).toEqual(expected);
    }
    expect(cli.stdout.trim().split('\n').at(-1)).toBe(path.join(report.runDir, 'report.html'));
  });

  it('explains each verdict: the reference typechecks and lints, failed assertions reject every counterexample, answers probed', () => {
    for (const result of report.results) {
      expect(result.explanation.referenceChecks.map((check) => check.status), result.scenarioId).toEqual(['passed', 'passed']);
      expect(result.explanation.counterexamples.length, result.scenarioId).toBeGreaterThan(0);
      for (const counterexample of result.explanation.counterexamples) expect(counterexample.verdict.status, `${result.scenarioId} ${counterexample.name}`).toBe('rejected');
      const answers = result.explanation.answers;
      if (answers?.status !== 'checked') throw new Error(`${result.scenarioId}: ${JSON.stringify(answers)}`);
      expect(answers.questions.some((question) => question.answeredBy.kind === 'scripted'), result.scenarioId).toBe(true);
    }
    expect(cli.stderr).toMatch(/counterexample guess-eur \(guessed euros instead of asking\): rejected by acceptance\/net-worth-widget\.test\.tsx › .*AssertionError/);
    // The net-worth reference's own question, with options, gets the scripted CHF.
    const netWorth = report.results.find((result) => result.scenarioId === 'net-worth-currency')?.explanation.answers;
    if (netWorth?.status !== 'checked') throw new Error('net-worth-currency: answers not checked');
    expect(netWorth.questions.find((question) => question.askedAs === 'reference')).toMatchObject({ header: 'Currency', answeredBy: { kind: 'scripted', index: 0 }, reply: { kind: 'option', label: 'CHF' } });
  });

  it('the MCP scenario’s reference really called the backend MCP tool through OpenCode', () => {
    if (report.runDir === undefined) throw new Error('no run');
    const spec = readSummary(report.runDir).specs.find((candidate) => candidate.spec.scenarioId === 'mcp-target-allocation' && candidate.spec.targetId === 'validate-reference');
    const call = spec?.attempts.at(-1)?.transcript.find((entry) => entry.type === 'tool' && entry.tool === 'backend_get_portfolios');
    expect(call).toMatchObject({ status: 'completed', output: expect.stringContaining('targetAllocation') });
  });
});

describe('harness validate rejects broken scenarios', () => {
  const workspace = useSuiteWorkspace('harness-e2e-validate-broken-');
  let cli: CliResult;
  let report: ValidateReport;
  let workDir: string;

  /**
   * A copy of add-stock-widget under another id, changed by `edit`. Its request names `requestOf`
   * (by default its own id), so that the scripted model can tell the copies apart.
   */
  function copyScenario(scenariosDir: string, id: string, edit: (dir: string) => void, requestOf = id): void {
    const dir = path.join(scenariosDir, id);
    cpSync(path.join(SCENARIOS_DIR, 'add-stock-widget'), dir, { recursive: true });
    const file = path.join(dir, 'scenario.yaml');
    const text = readFileSync(file, 'utf8').replace('id: add-stock-widget', `id: ${id}`).replace('Please add a watchlist widget to my dashboard.', `Please add a watchlist widget to my dashboard (${requestOf}).`);
    writeFileSync(file, text);
    edit(dir);
  }

  beforeAll(async () => {
    workDir = workspace.dir;
    const scenariosDir = path.join(workDir, 'scenarios');
    // The reference exports the widget under the wrong name: it cannot pass its own hidden tests.
    copyScenario(scenariosDir, 'reference-fails', (dir) => {
      for (const file of ['StockQuotesWidget.tsx', 'index.ts']) {
        const source = path.join(dir, 'reference', 'src', 'user-components', file);
        writeFileSync(source, readFileSync(source, 'utf8').replaceAll('StockQuotesWidget', 'QuotesWidget').replace('./QuotesWidget.tsx', './StockQuotesWidget.tsx'));
      }
    });
    // Hidden tests that pass whatever the agent does.
    copyScenario(scenariosDir, 'tests-pass-untouched', (dir) => {
      rmSync(path.join(dir, 'hidden-tests'), { recursive: true });
      cpSync(path.join(SCENARIOS_DIR, 'add-stock-widget', 'hidden-tests'), path.join(dir, 'hidden-tests'), { recursive: true });
      for (const name of readdirSync(path.join(dir, 'hidden-tests'))) rmSync(path.join(dir, 'hidden-tests', name));
      writeFileSync(path.join(dir, 'hidden-tests', 'always.test.ts'), "import { expect, it } from 'vitest';\nit('passes', () => expect(1).toBe(1));\n");
    });
    // The reference also writes under config/, which the policy denies: only the agent run can tell.
    copyScenario(scenariosDir, 'reference-breaks-policy', (dir) => {
      mkdirSync(path.join(dir, 'reference', 'config'));
      writeFileSync(path.join(dir, 'reference', 'config', 'watchlist.json'), '{ "symbols": ["AAPL", "MSFT", "NVDA"] }\n');
    });
    // A schema error: a misspelt field.
    copyScenario(scenariosDir, 'bad-schema', (dir) => {
      const file = path.join(dir, 'scenario.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('timeoutMs:', 'timeoutMS:'));
    });
    // A reference that passes the hidden tests but not the fixture's typecheck and lint.
    copyScenario(scenariosDir, 'reference-type-and-lint-errors', (dir) => {
      const source = path.join(dir, 'reference', 'src', 'user-components', 'StockQuotesWidget.tsx');
      writeFileSync(source, `${readFileSync(source, 'utf8')}\nexport const wrongType: number = String(1);\nlet neverReassigned = 1;\nexport { neverReassigned };\n`);
    });
    // The same first request as another scenario: the scripted model could not tell them apart.
    copyScenario(scenariosDir, 'first-turn-twin', () => undefined, 'tests-pass-untouched');
    // A counterexample the hidden tests reject only because it does not load (a missing import).
    copyScenario(scenariosDir, 'counterexample-import-error', (dir) => {
      const source = path.join(dir, 'counterexamples', 'hard-coded-prices', 'src', 'user-components', 'StockQuotesWidget.tsx');
      writeFileSync(source, `import { missing } from './no-such-module.ts';\n${readFileSync(source, 'utf8')}\nexport const unused = missing;\n`);
    });
    const config = writeConfig(workDir, { scenariosDir, targets: [scriptedTarget('reference')], concurrency: 2 });
    cli = await runCli(['validate', '--config', config, '--json', path.join(workDir, 'validate.json')], workspace);
    report = readReport(path.join(workDir, 'validate.json'), cli);
  }, 600_000);

  const reasonsOf = (id: string) => {
    const result = report.results.find((candidate) => candidate.scenarioId === id);
    if (result === undefined || result.status === 'valid') throw new Error(`${id} is ${result?.status ?? 'missing'}`);
    return { status: result.status, text: result.reasons.join('\n') };
  };

  it('exits 1 and names every broken scenario with its reason', () => {
    expect(cli.exitCode, cli.stderr).toBe(1);
    expect(report.results.every((result) => result.status === 'invalid')).toBe(true);
    expect(cli.stderr).toContain('0 of 7 scenario(s) valid');
    for (const id of ['reference-fails', 'tests-pass-untouched', 'reference-breaks-policy', 'bad-schema', 'reference-type-and-lint-errors', 'first-turn-twin', 'counterexample-import-error']) {
      expect(cli.stderr).toMatch(new RegExp(`INVALID\\s+${id}`));
    }
  });

  it('two scenarios with the same first request: each is invalid, naming the other', () => {
    expect(reasonsOf('first-turn-twin').text).toMatch(/turns\[0\]\.text is the same request as the first turn of tests-pass-untouched; .*make this request differ/);
    expect(reasonsOf('tests-pass-untouched').text).toMatch(/turns\[0\]\.text is the same request as the first turn of first-turn-twin/);
  });

  it('a reference that fails the fixture’s typecheck and lint, though its hidden tests pass', () => {
    const { text } = reasonsOf('reference-type-and-lint-errors');
    expect(text).toMatch(/static pre-check: the reference solution fails the fixture's typecheck: 1 type error: src\/user-components\/StockQuotesWidget\.tsx\(\d+,\d+\): TS2322/);
    expect(text).toMatch(/static pre-check: the reference solution fails the fixture's lint: 1 lint error: .*prefer-const/);
    expect(text).not.toMatch(/hidden tests fail with the reference/);
  });

  it('a counterexample rejected only by an import error is INVALID, with the reason', () => {
    const { text } = reasonsOf('counterexample-import-error');
    expect(text).toMatch(/counterexample hard-coded-prices \(hard-codes prices instead of using the core quotes client\): rejected only by an error outside the assertions — a test file failed to load \(an import or syntax error\): .*no-such-module/);
    const result = report.results.find((candidate) => candidate.scenarioId === 'counterexample-import-error');
    expect(result?.explanation.counterexamples[0]?.verdict.status).toBe('rejected-by-error');
  });

  it('a reference that fails its hidden tests', () => {
    expect(reasonsOf('reference-fails').text).toMatch(/static pre-check: the hidden tests fail with the reference solution: .*stock-quotes-widget/);
  });

  it('hidden tests that pass on the untouched fixture', () => {
    expect(reasonsOf('tests-pass-untouched').text).toMatch(/the hidden tests pass on the untouched fixture: they cannot tell an agent that did nothing/);
  });

  it('a reference that breaks the policy, caught by its run through OpenCode', () => {
    const { text } = reasonsOf('reference-breaks-policy');
    expect(text).toMatch(/reference: failed permissions/);
    expect(text).toContain('config/watchlist.json');
  });

  it('a scenario file with a schema error, naming the file, the field and the fix', () => {
    const { text } = reasonsOf('bad-schema');
    expect(text).toContain(path.join(workDir, 'scenarios', 'bad-schema', 'scenario.yaml'));
    expect(text).toMatch(/has unknown field "timeoutMS" \(check the spelling; allowed here: .*timeoutMs/);
  });

  it('only the statically valid scenario reached the agent run', () => {
    if (report.runDir === undefined) throw new Error('no run');
    const summary = readSummary(report.runDir);
    expect([...new Set(summary.specs.map((spec) => spec.spec.scenarioId))]).toEqual(['reference-breaks-policy']);
    expect(existsSync(path.join(report.runDir, 'report.html'))).toBe(true);
  });

  it('refuses an unknown --scenario with exit code 2', async () => {
    const config = path.join(workDir, 'harness.config.ts');
    const usage = await runCli(['validate', '--config', config, '--scenario', 'no-such-scenario', '--static-only'], workspace);
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toContain('no-such-scenario');
  });

  it('leaves no process behind', async () => {
    await expectNoWorkspaceProcesses(workspace);
  });
});
