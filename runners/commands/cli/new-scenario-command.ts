import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../inputs/config/load-config.ts';
import { planScaffold, writeScaffold, type ScaffoldPlan } from '../authoring/scaffold-scenario.ts';

export interface NewScenarioOptions {
  config: string;
  fixture?: string | undefined;
  from?: string | undefined;
}

/**
 * `harness new-scenario <id>`: a new scenario folder under the config's scenariosDir — from the
 * template (a commented scenario.yaml, failing hidden tests, reference/ and a counterexample with
 * the files a solution replaces), or a copy of `--from <id>` — and the next steps.
 */
export async function newScenarioCommand(id: string, options: NewScenarioOptions): Promise<ScaffoldPlan> {
  const config = await loadConfig(options.config);
  const plan = planScaffold({ scenariosDir: config.scenariosDir, fixturesDir: config.fixturesDir, id, fixture: options.fixture, from: options.from });
  writeScaffold(plan);
  return plan;
}

export function formatScaffold(plan: ScaffoldPlan, cwd: string): string[] {
  const where = path.relative(cwd, plan.dir) || '.';
  return [
    `Created ${where}/:`,
    ...plan.files.map((file) => `  ${file.path}`),
    '',
    'Next:',
    ...plan.nextSteps.map((step, index) => `  ${index + 1}. ${step}`),
  ];
}

/** Adds `harness new-scenario` to the CLI. Exit 0: created; 2: a bad or taken id, an unknown fixture or source. */
export function registerNewScenarioCommand(program: Command, print: (line: string) => void): void {
  program
    .command('new-scenario')
    .description('create scenarios/<id>/ to fill in: a commented scenario.yaml, failing hidden tests, a reference and a counterexample folder')
    .argument('<id>', 'the new scenario’s id and folder name (kebab-case)')
    .option('-c, --config <file>', 'config file (its scenariosDir and fixturesDir are used)', 'harness.config.ts')
    .option('--fixture <name>', 'the app the scenario runs on (default: the only fixture, or the --from scenario’s)')
    .option('--from <id>', 'copy this existing scenario instead of the template')
    .action(async (id: string, options: NewScenarioOptions) => {
      const plan = await newScenarioCommand(id, options);
      for (const line of formatScaffold(plan, process.cwd())) print(line);
    });
}
