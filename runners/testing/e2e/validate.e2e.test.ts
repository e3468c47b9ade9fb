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
 * scripted reference and noop profiles through the real OpenCode binary.
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
    cli = await runCli(['validate', '--config', config, '--json', path.join(workspace.dir, 'validate.json')], workspace, 900_000);
    wallMs = Date.now() - started;
    report = readReport(path.join(workspace.dir, 'validate.json'), cli);
  }, 900_000);

  it('finds every scenario valid and exits 0', () => {
    expect(cli.exitCode, cli.stderr).toBe(0);
    expect(report.results.map((result) => result.scenarioId)).toEqual(listScenarioIds(SCENARIOS_DIR));
    expect(report.results.length).toBeGreaterThanOrEqual(8);
    for (const result of report.results) expect(result, JSON.stringify(result)).toMatchObject({ status: 'valid' });
    expect(cli.stderr).toMatch(new RegExp(`${report.results.length} of ${report.results.length} scenario\\(s\\) valid`));
    process.stderr.write(`harness validate over ${report.results.length} scenarios: ${(wallMs / 1000).toFixed(1)} s wall (static ${(report.timings.staticMs / 1000).toFixed(1)} s, agents ${(report.timings.agentsMs / 1000).toFixed(1)} s)\n`);
  });

  it('ran the reference (passed) and noop (failed on the hidden tests) of every scenario through OpenCode, and prints the report last', () => {
    if (report.runDir === undefined) throw new Error('no run');
    const summary = readSummary(report.runDir);
    expect(summary.specs).toHaveLength(report.results.length * 2);
    for (const spec of summary.specs) {
      const expected = spec.spec.targetId === 'validate-reference' ? { kind: 'passed' } : { kind: 'failed', failedChecks: ['tests'] };
      expect(spec.outcome, `${spec.spec.scenarioId} × ${spec.spec.targetId}`).toEqual(expected);
    }
    expect(cli.stdout.trim().split('\n').at(-1)).toBe(path.join(report.runDir, 'report.html'));
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

  /** A copy of add-stock-widget under another id, changed by `edit`. */
  function copyScenario(scenariosDir: string, id: string, edit: (dir: string) => void): void {
    const dir = path.join(scenariosDir, id);
    cpSync(path.join(SCENARIOS_DIR, 'add-stock-widget'), dir, { recursive: true });
    const file = path.join(dir, 'scenario.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('id: add-stock-widget', `id: ${id}`));
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
    expect(cli.stderr).toContain('0 of 4 scenario(s) valid');
    for (const id of ['reference-fails', 'tests-pass-untouched', 'reference-breaks-policy', 'bad-schema']) expect(cli.stderr).toMatch(new RegExp(`INVALID\\s+${id}`));
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
