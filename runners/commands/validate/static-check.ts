import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { judgeLint } from '../../attempt/checks/lint.ts';
import { runCommand } from '../../attempt/checks/run-check-command.ts';
import { listSandboxRoots } from '../../attempt/checks/sandbox-paths.ts';
import { judgeTests } from '../../attempt/checks/tests.ts';
import { judgeTypecheck } from '../../attempt/checks/typecheck.ts';
import { copyHiddenTests, createSandbox, type Sandbox } from '../../attempt/sandbox/create-sandbox.ts';
import type { CheckStatus, LintEvidence, TestsEvidence, TypecheckEvidence } from '../../core/domain/check-result.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import type { LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import { describeCounterexample, isCounterexampleProblem, judgeCounterexample, type CounterexampleResult } from './explain-counterexample.ts';
import { hasOwnFiles } from './compare-with-fixture.ts';

/** A state of the sandbox the hidden tests run against, and what they must do there. */
export interface StaticStage {
  /** `untouched`: the fixture as is; `turn-N`: after the reference's first N turns. */
  state: string;
  expected: 'fail' | 'pass';
  /** What the tests did, as judged by the tests check. */
  outcome: CheckStatus<TestsEvidence>;
}

/** The fixture's typecheck and lint on the reference solution (all turns applied), judged as in an attempt. */
export interface ReferenceToolChecks {
  typecheck: CheckStatus<TypecheckEvidence>;
  lint: CheckStatus<LintEvidence>;
}

export interface StaticCheckDetails {
  /** The hidden tests on the reference's states: untouched, before the last turn, after it. */
  stages: StaticStage[];
  /** Undefined when the reference's final state was never reached (the tests could not run). */
  referenceChecks: ReferenceToolChecks | undefined;
  counterexamples: CounterexampleResult[];
  durationMs: number;
}

export type StaticCheckResult =
  | ({ status: 'valid' } & StaticCheckDetails)
  | ({ status: 'invalid'; reasons: string[] } & StaticCheckDetails)
  /** Something could not be run at all (a harness or environment fault). */
  | ({ status: 'errored'; error: string } & StaticCheckDetails);

export interface StaticCheckOptions {
  scenario: ResolvedScenario;
  fixture: LoadedFixture;
  /** A folder of its own for this scenario's sandboxes; removed afterwards. */
  workDir: string;
  /** Scrubbed environment for git and the check commands. */
  env: Record<string, string>;
  timeoutMs: number;
}

/** Thrown inside the check when a command could not run; becomes the `errored` result. */
class CouldNotRun extends Error {}

/**
 * The fast pre-check of `harness validate`, without an agent. In a fresh fixture copy with the
 * hidden tests copied in, the tests must FAIL on the untouched fixture (so an agent that does
 * nothing fails), still fail before the reference's last turn (so a multi-turn scenario really
 * checks the final turn), and PASS once every reference turn's files are in place — where the
 * fixture's typecheck and lint must pass too. Then, in a fresh copy each, every counterexample
 * must be rejected by a failed assertion of the hidden tests, not by an import error or a crash.
 */
export async function checkScenarioStatically(options: StaticCheckOptions): Promise<StaticCheckResult> {
  const started = Date.now();
  const details: StaticCheckDetails = { stages: [], referenceChecks: undefined, counterexamples: [], durationMs: 0 };
  const reasons: string[] = [];
  try {
    await checkReference(options, details, reasons);
    for (const [index, counterexample] of options.scenario.counterexamples.entries()) {
      const result = await checkCounterexample(options, counterexample, path.join(options.workDir, `counterexample-${index}`));
      details.counterexamples.push(result);
      if (result.verdict.status === 'errored') throw new CouldNotRun(describeCounterexample(result));
      if (isCounterexampleProblem(result.verdict)) reasons.push(describeCounterexample(result));
    }
    details.durationMs = Date.now() - started;
    return reasons.length === 0 ? { status: 'valid', ...details } : { status: 'invalid', reasons, ...details };
  } catch (error) {
    details.durationMs = Date.now() - started;
    return { status: 'errored', error: error instanceof Error ? error.message : String(error), ...details };
  } finally {
    await rm(options.workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function checkReference(options: StaticCheckOptions, details: StaticCheckDetails, reasons: string[]): Promise<void> {
  const { scenario } = options;
  const sandbox = await prepareSandbox(options, path.join(options.workDir, 'reference'));
  const context = { turnCount: scenario.referenceTurns.length, hiddenTestsTarget: scenario.hiddenTestsTarget };
  for (const step of planReferenceStages(scenario)) {
    for (const dir of step.apply) await cp(dir, sandbox.dir, { recursive: true, force: true });
    const isFinal = step.expected === 'pass';
    const [outcome, toolChecks] = await Promise.all([runTests(options, sandbox), isFinal ? runToolChecks(options, sandbox) : Promise.resolve(undefined)]);
    const stage: StaticStage = { state: step.state, expected: step.expected, outcome };
    details.stages.push(stage);
    const verdict = judgeStage(stage, context);
    if (verdict?.status === 'errored') throw new CouldNotRun(verdict.error);
    if (verdict !== undefined) reasons.push(verdict.reason);
    if (toolChecks === undefined) continue;
    details.referenceChecks = toolChecks;
    for (const [name, check] of Object.entries(toolChecks)) {
      if (check.status === 'errored') throw new CouldNotRun(`the ${name} could not run on the reference solution: ${check.error}`);
      if (check.status === 'failed') reasons.push(`the reference solution fails the fixture's ${name}: ${check.reason}`);
    }
  }
}

async function checkCounterexample(options: StaticCheckOptions, counterexample: ResolvedScenario['counterexamples'][number], workDir: string): Promise<CounterexampleResult> {
  const base = { name: path.basename(counterexample.dir), why: counterexample.why };
  if (!(await hasOwnFiles(counterexample.dir, options.fixture.dir))) return { ...base, verdict: { status: 'unchanged' } };
  const sandbox = await prepareSandbox(options, workDir);
  await cp(counterexample.dir, sandbox.dir, { recursive: true, force: true });
  return { ...base, verdict: judgeCounterexample(await runTests(options, sandbox)) };
}

async function prepareSandbox(options: StaticCheckOptions, dir: string): Promise<Sandbox> {
  const sandbox = await createSandbox(options.fixture, dir, options.env);
  await copyHiddenTests(options.scenario.hiddenTestsDir, sandbox.dir, options.scenario.hiddenTestsTarget);
  return sandbox;
}

async function runTests(options: StaticCheckOptions, sandbox: Sandbox): Promise<CheckStatus<TestsEvidence>> {
  const result = await runCommand({ argv: options.fixture.commands.tests, cwd: sandbox.dir, env: options.env, timeoutMs: options.timeoutMs });
  return judgeTests(result, { sandboxRoots: listSandboxRoots(sandbox.dir), changedFiles: [], hiddenTestsTarget: options.scenario.hiddenTestsTarget });
}

async function runToolChecks(options: StaticCheckOptions, sandbox: Sandbox): Promise<ReferenceToolChecks> {
  const run = (argv: readonly string[]) => runCommand({ argv, cwd: sandbox.dir, env: options.env, timeoutMs: options.timeoutMs });
  const judged = { sandboxRoots: listSandboxRoots(sandbox.dir), changedFiles: [] };
  const [typecheck, lint] = await Promise.all([run(options.fixture.commands.typecheck), run(options.fixture.commands.lint)]);
  return { typecheck: judgeTypecheck(typecheck, judged), lint: judgeLint(lint, judged) };
}

export interface PlannedStage {
  state: string;
  expected: StaticStage['expected'];
  /** Folders copied over the sandbox (cumulatively) before the tests run. */
  apply: readonly string[];
}

/** The reference's states, in one sandbox: untouched, before the last turn (multi-turn), after it. */
export function planReferenceStages(scenario: Pick<ResolvedScenario, 'referenceTurns'>): PlannedStage[] {
  const turns = scenario.referenceTurns;
  return [
    { state: 'untouched', expected: 'fail', apply: [] },
    ...(turns.length > 1 ? [{ state: `turn-${turns.length - 1}`, expected: 'fail' as const, apply: turns.slice(0, -1).flatMap((turn) => (turn.dir === undefined ? [] : [turn.dir])) }] : []),
    { state: `turn-${turns.length}`, expected: 'pass', apply: turns.slice(turns.length > 1 ? -1 : 0).flatMap((turn) => (turn.dir === undefined ? [] : [turn.dir])) },
  ];
}

/** Undefined when the stage went as expected; else why the scenario is invalid (or unjudgeable). */
export function judgeStage(
  stage: StaticStage,
  context: { turnCount: number; hiddenTestsTarget: string },
): { status: 'invalid'; reason: string } | { status: 'errored'; error: string } | undefined {
  const { outcome } = stage;
  const { turnCount } = context;
  if (outcome.status === 'errored') return { status: 'errored', error: `the tests could not run (${stage.state}): ${outcome.error}` };
  if (stage.expected === 'pass') {
    return outcome.status === 'passed' ? undefined : { status: 'invalid', reason: `the hidden tests fail ${describeState(stage.state, turnCount)}: ${outcome.reason}` };
  }
  const fixture = outcome.evidence.suites.find((suite) => suite.suite === 'fixture');
  const acceptance = outcome.evidence.suites.find((suite) => suite.suite === 'acceptance');
  if ((fixture?.failed ?? 0) > 0) {
    return { status: 'invalid', reason: `the fixture's own tests fail ${describeState(stage.state, turnCount)}: ${outcome.status === 'failed' ? outcome.reason : ''}` };
  }
  if (acceptance === undefined || acceptance.total === 0) {
    return { status: 'invalid', reason: `no hidden test ran ${describeState(stage.state, turnCount)}: the fixture's test command does not pick up the files copied to ${context.hiddenTestsTarget}/` };
  }
  if (acceptance.failed === 0) {
    const why = stage.state === 'untouched' ? 'they cannot tell an agent that did nothing from one that did the work' : 'they do not check what the last turn asks for';
    return { status: 'invalid', reason: `the hidden tests pass ${describeState(stage.state, turnCount)}: ${why}` };
  }
  return undefined;
}

function describeState(state: string, turnCount: number): string {
  if (state === 'untouched') return 'on the untouched fixture';
  const turn = Number(state.replace('turn-', ''));
  if (turn === turnCount) return turnCount === 1 ? 'with the reference solution' : `with the reference solution (all ${turnCount} turns)`;
  return `after the reference's first ${turn} of ${turnCount} turns`;
}
