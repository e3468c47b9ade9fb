import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildToolEnv } from '../../attempt/sandbox/tool-env.ts';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import pLimit from 'p-limit';
import { dir as makeTempDir } from 'tmp-promise';
import { loadConfig, type ResolvedConfig } from '../../inputs/config/load-config.ts';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import { EXIT_CODES, UserError, isUserError } from '../../core/errors.ts';
import { loadFixture, type LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import { listScenarioIds, loadScenario } from '../../inputs/scenarios/load-scenarios.ts';
import { checkScenarioRules, type ScenarioFinding } from '../../inputs/scenarios/scenario-rules.ts';
import { describeCounterexample } from '../validate/explain-counterexample.ts';
import { describeAnswers } from '../validate/judge-answers.ts';
import { VALIDATE_TARGETS, judgeValidity, type ScenarioValidity } from '../validate/judge-validity.ts';
import { checkScenarioStatically, type StaticCheckResult } from '../validate/static-check.ts';
import { createLineProgress } from './progress.ts';
import { runCommand } from './run-command.ts';
import { fixedConcurrencyOf } from '../../inputs/config/concurrency.ts';

export interface ValidateCommandOptions {
  config: string;
  scenario?: string[] | undefined;
  staticOnly?: boolean | undefined;
  concurrency?: number | undefined;
  out?: string | undefined;
  json?: string | undefined;
}

export interface ValidateReport {
  results: ScenarioValidity[];
  /** The run of the reference, noop and answers-probe profiles (under `<outputDir>/validate/` unless --out), when one ran. */
  runDir: string | undefined;
  reportPath: string | undefined;
  timings: { staticMs: number; agentsMs: number; totalMs: number };
}

type Loaded = { id: string; scenario: ResolvedScenario; fixture: LoadedFixture } | { id: string; error: string };

/** Where validation runs go, apart from ordinary runs: `<outputDir>/validate/<run id>/`. */
export const VALIDATE_RUNS_FOLDER = 'validate';

/**
 * `harness validate`: proves each scenario can pass and can fail. The rules beyond the schema
 * (scenario-rules.ts); a static pre-check without an agent (hidden tests fail on the untouched
 * fixture, pass with the reference, which also passes the fixture's typecheck and lint; failed
 * assertions reject every counterexample); then, as a normal `harness run` with its event log
 * and report, the scripted `reference` profile through the real OpenCode (must pass every check
 * and make its declared calls), `noop` (must fail, on the hidden tests only) and `answers-probe`
 * (asks typical questions, showing which scripted answer replies to each).
 */
export async function validateCommand(options: ValidateCommandOptions, print: (line: string) => void): Promise<ValidateReport> {
  const startedMs = Date.now();
  const config = await loadConfig(options.config);
  const concurrency = options.concurrency ?? fixedConcurrencyOf(config);
  const loaded = selectScenarioIds(config, options.scenario).map((id) => loadOne(config, id));
  const ready = loaded.flatMap((entry) => ('scenario' in entry ? [entry] : []));
  const findings = checkRules(config, ready);

  print(`Validating ${loaded.length} scenario(s): static pre-check — hidden tests, the reference's typecheck and lint, counterexamples (concurrency ${concurrency})…`);
  const statics = await runStaticChecks(ready, { concurrency, timeoutMs: config.checkTimeoutMs });
  const staticMs = Date.now() - startedMs;
  const passedStatic = ready.filter((entry) => statics.get(entry.id)?.status === 'valid' && !(findings.get(entry.id) ?? []).some((finding) => finding.level === 'error')).map((entry) => entry.id);

  const agentsStartedMs = Date.now();
  const run = options.staticOnly === true || passedStatic.length === 0 ? undefined : await runProfiles(config, passedStatic, options, print);
  const agentsMs = Date.now() - agentsStartedMs;

  const results = loaded.map((entry) =>
    judgeValidity({
      scenarioId: entry.id,
      loadError: 'error' in entry ? entry.error : undefined,
      scenario: 'scenario' in entry ? entry.scenario : undefined,
      findings: findings.get(entry.id),
      static: statics.get(entry.id),
      referenceCalls: 'scenario' in entry ? entry.scenario.referenceTurns.flatMap((turn) => turn.calls.map((call) => call.tool)) : [],
      exercises: 'scenario' in entry ? entry.scenario.exercises : [],
      reference: run?.attempts.get(`${entry.id}/${VALIDATE_TARGETS.reference.id}`),
      noop: run?.attempts.get(`${entry.id}/${VALIDATE_TARGETS.noop.id}`),
      answersProbe: run?.attempts.get(`${entry.id}/${VALIDATE_TARGETS.answers.id}`),
      ranAgents: run !== undefined && passedStatic.includes(entry.id),
    }),
  );
  const report: ValidateReport = { results, runDir: run?.runDir, reportPath: run?.reportPath, timings: { staticMs, agentsMs, totalMs: Date.now() - startedMs } };
  if (options.json !== undefined) writeFileSync(path.resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

function selectScenarioIds(config: ResolvedConfig, wanted: readonly string[] | undefined): string[] {
  const known = config.scenarios ?? listScenarioIds(config.scenariosDir);
  if (wanted === undefined || wanted.length === 0) {
    if (known.length === 0) throw new UserError('SCENARIO_NOT_FOUND', `${config.scenariosDir}: no scenarios found (each is a folder with a scenario.yaml)`);
    return known;
  }
  const unknown = wanted.filter((id) => !known.includes(id));
  if (unknown.length > 0) throw new UserError('FILTER_INVALID', `--scenario: unknown scenario ${unknown.map((id) => `"${id}"`).join(', ')}; known: ${known.join(', ')}`);
  return [...wanted];
}

/**
 * The rules beyond the schema, per selected scenario; the first-turn rule compares with every
 * scenario of the folder, selected or not (one that does not load is left out).
 */
function checkRules(config: ResolvedConfig, ready: ReadonlyArray<{ id: string; scenario: ResolvedScenario }>): Map<string, ScenarioFinding[]> {
  const everyScenario = listScenarioIds(config.scenariosDir).flatMap((id) => {
    const entry = ready.find((candidate) => candidate.id === id);
    if (entry !== undefined) return [entry.scenario];
    const other = loadOne(config, id);
    return 'scenario' in other ? [other.scenario] : [];
  });
  return new Map(ready.map((entry) => [entry.id, checkScenarioRules(entry.scenario, everyScenario)]));
}

/** A scenario that does not load is invalid, not a usage error: validating it is the point. */
function loadOne(config: ResolvedConfig, id: string): Loaded {
  try {
    const scenario = loadScenario(config.scenariosDir, id);
    return { id, scenario, fixture: loadFixture(config.fixturesDir, scenario.fixture, `${scenario.file}: fixture`) };
  } catch (error) {
    if (isUserError(error)) return { id, error: error.message };
    throw error;
  }
}

async function runStaticChecks(
  ready: ReadonlyArray<{ id: string; scenario: ResolvedScenario; fixture: LoadedFixture }>,
  options: { concurrency: number; timeoutMs: number },
): Promise<Map<string, StaticCheckResult>> {
  const temp = await makeTempDir({ prefix: 'harness-validate-', unsafeCleanup: true });
  const env = buildToolEnv(path.join(temp.path, 'home'));
  const limit = pLimit(options.concurrency);
  try {
    const entries = await Promise.all(
      ready.map((entry) =>
        limit(async () => [entry.id, await checkScenarioStatically({ ...entry, workDir: path.join(temp.path, entry.id), env, timeoutMs: options.timeoutMs })] as const),
      ),
    );
    return new Map(entries);
  } finally {
    await temp.cleanup().catch(() => undefined);
  }
}

interface ProfileRun {
  runDir: string;
  reportPath: string | undefined;
  /** The last attempt per `scenario/target`. */
  attempts: Map<string, AttemptRecord>;
}

/**
 * Runs the reference and noop profiles over the scenarios as an ordinary `harness run`: a
 * generated config imports the user's (isolation, timeouts, retries and folders stay theirs)
 * and replaces the targets, scenarios, prompt variant and repeats.
 */
async function runProfiles(config: ResolvedConfig, scenarioIds: string[], options: ValidateCommandOptions, print: (line: string) => void): Promise<ProfileRun> {
  const temp = await makeTempDir({ prefix: 'harness-validate-config-', unsafeCleanup: true });
  try {
    const configFile = path.join(temp.path, 'validate.config.ts');
    writeFileSync(configFile, renderValidateConfig(config, scenarioIds));
    const result = await runCommand(
      { config: configFile, out: options.out ?? path.join(config.outputDir, VALIDATE_RUNS_FOLDER), concurrency: options.concurrency ?? config.concurrency },
      { print, createProgress: () => createLineProgress(print) },
    );
    if (result.kind !== 'ran') throw new Error('internal: validate planned a dry run');
    const attempts = new Map<string, AttemptRecord>();
    for (const spec of result.reports.summary.specs) {
      const last = spec.attempts.at(-1);
      if (last !== undefined) attempts.set(`${spec.spec.scenarioId}/${spec.spec.targetId}`, last);
    }
    return { runDir: result.run.runDir, reportPath: result.reports.paths.find((file) => file.endsWith('.html')), attempts };
  } finally {
    await temp.cleanup().catch(() => undefined);
  }
}

export function renderValidateConfig(config: ResolvedConfig, scenarioIds: readonly string[]): string {
  const overrides = {
    outputDir: config.outputDir,
    scenariosDir: config.scenariosDir,
    fixturesDir: config.fixturesDir,
    promptsDir: config.promptsDir,
    scenarios: scenarioIds,
    promptVariants: config.promptVariants.slice(0, 1),
    targets: Object.values(VALIDATE_TARGETS).map(({ id, profile }) => ({ kind: 'scripted', id, model: profile, quantization: 'n/a' })),
    repeats: 1,
  };
  // Undefined drops the user's attempt timeout override (each scenario's own applies) and gate.
  return [
    '// Generated by `harness validate`: the user config with the validation targets.',
    `import base from ${JSON.stringify(pathToFileURL(config.file).href)};`,
    `export default { ...base, ...${JSON.stringify(overrides, null, 2)}, attemptTimeoutMs: undefined, gate: undefined };`,
    '',
  ].join('\n');
}

const INDENT = '           ';

/**
 * One line per scenario, then indented: the reasons of an invalid one, what was proven, what
 * rejected each counterexample, which answer each probe question got, and warnings.
 */
export function formatValidity(result: ScenarioValidity): string[] {
  const head = result.status === 'valid' ? `valid    ${result.scenarioId}` : result.status === 'invalid' ? `INVALID  ${result.scenarioId}` : `ERRORED  ${result.scenarioId} (could not be validated)`;
  const reasons = result.status === 'valid' ? [] : result.reasons;
  const rejected = result.explanation.counterexamples.filter((counterexample) => counterexample.verdict.status === 'rejected').map(describeCounterexample);
  const answers = result.explanation.answers === undefined ? [] : describeAnswers(result.explanation.answers);
  const warnings = result.warnings.map((warning) => `warning: ${warning}`);
  return [head, ...[...reasons, ...result.notes, ...rejected, ...answers, ...warnings].map((line) => `${INDENT}${line}`)];
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((item) => item.trim()).filter((item) => item !== '')];
}

function toPositiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new UserError('CLI_USAGE', `--concurrency ${value}: must be a positive whole number`);
  return parsed;
}

/** Adds `harness validate` to the CLI. Exit 0: every scenario valid; 1: any invalid or unvalidated; 2: usage. */
export function registerValidateCommand(program: Command, printErr: (line: string) => void): void {
  program
    .command('validate')
    .description('prove each scenario valid: hidden tests fail untouched, pass with the reference (which typechecks and lints) and reject each counterexample by a failed assertion; the reference profile passes every check, noop fails; shows which scripted answer replies to typical questions')
    .option('-c, --config <file>', 'config file (its folders, isolation and timeouts are used)', 'harness.config.ts')
    .option('-s, --scenario <ids>', 'only these scenarios (comma-separated or repeated)', collect)
    .option('--static-only', 'only the fast pre-check, without OpenCode')
    .option('--concurrency <n>', 'scenarios checked / attempts run at once', toPositiveInt)
    .option('-o, --out <dir>', 'output folder of the reference/noop/answers-probe run (default: <the config’s outputDir>/validate)')
    .option('--json <file>', 'also write the results as JSON')
    .action(async (options: ValidateCommandOptions) => {
      const report = await validateCommand(options, printErr);
      for (const result of report.results) for (const line of formatValidity(result)) printErr(line);
      const valid = report.results.filter((result) => result.status === 'valid').length;
      const { staticMs, agentsMs, totalMs } = report.timings;
      const warned = report.results.filter((result) => result.warnings.length > 0).length;
      const warnings = warned === 0 ? '' : ` (${warned} with warnings)`;
      printErr(`${valid} of ${report.results.length} scenario(s) valid${warnings} — static ${(staticMs / 1000).toFixed(1)} s, reference/noop/answers run ${(agentsMs / 1000).toFixed(1)} s, total ${(totalMs / 1000).toFixed(1)} s`);
      if (report.reportPath !== undefined) console.log(report.reportPath);
      process.exitCode = valid === report.results.length ? EXIT_CODES.ok : EXIT_CODES.attemptsNotPassed;
    });
}
