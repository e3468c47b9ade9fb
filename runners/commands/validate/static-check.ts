import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { listSandboxRoots } from '../../attempt/checks/sandbox-paths.ts';
import { runCommand } from '../../attempt/checks/run-check-command.ts';
import { judgeTests } from '../../attempt/checks/tests.ts';
import type { CheckStatus, TestsEvidence } from '../../core/domain/check-result.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import type { LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import { copyHiddenTests, createSandbox } from '../../attempt/sandbox/create-sandbox.ts';

/** A state of the sandbox the hidden tests run against, and what they must do there. */
export interface StaticStage {
  /** `untouched`: the fixture as is; `turn-N`: after the reference's first N turns. */
  state: string;
  expected: 'fail' | 'pass';
  /** What the tests did, as judged by the tests check. */
  outcome: CheckStatus<TestsEvidence>;
}

export type StaticCheckResult =
  | { status: 'valid'; stages: StaticStage[]; durationMs: number }
  | { status: 'invalid'; reason: string; stages: StaticStage[]; durationMs: number }
  /** The tests could not be run at all (a harness or environment fault). */
  | { status: 'errored'; error: string; stages: StaticStage[]; durationMs: number };

export interface StaticCheckOptions {
  scenario: ResolvedScenario;
  fixture: LoadedFixture;
  /** A folder of its own for this scenario's sandbox; removed afterwards. */
  workDir: string;
  /** Scrubbed environment for git and the test command. */
  env: Record<string, string>;
  timeoutMs: number;
}

/**
 * The fast pre-check of `harness validate`, without an agent: in a fresh fixture copy with the
 * hidden tests copied in, the tests must FAIL on the untouched fixture (so an agent that does
 * nothing fails), must still fail before the reference's last turn (so a multi-turn scenario
 * really checks the final turn), must PASS once every reference turn's files are in place, and
 * must FAIL on each declared counterexample (a wrong solution applied to the untouched fixture).
 */
export async function checkScenarioStatically(options: StaticCheckOptions): Promise<StaticCheckResult> {
  const started = Date.now();
  const { scenario } = options;
  const stages: StaticStage[] = [];
  const finish = (verdict: { status: 'valid' } | { status: 'invalid'; reason: string } | { status: 'errored'; error: string }): StaticCheckResult => ({
    ...verdict,
    stages,
    durationMs: Date.now() - started,
  });
  try {
    for (const [index, sequence] of planSandboxes(scenario).entries()) {
      const sandbox = await createSandbox(options.fixture, path.join(options.workDir, `sandbox-${index}`), options.env);
      await copyHiddenTests(scenario.hiddenTestsDir, sandbox.dir, scenario.hiddenTestsTarget);
      for (const step of sequence) {
        for (const dir of step.apply) await cp(dir, sandbox.dir, { recursive: true, force: true });
        const result = await runCommand({ argv: options.fixture.commands.tests, cwd: sandbox.dir, env: options.env, timeoutMs: options.timeoutMs });
        const outcome = judgeTests(result, { sandboxRoots: listSandboxRoots(sandbox.dir), changedFiles: [], hiddenTestsTarget: scenario.hiddenTestsTarget });
        const stage: StaticStage = { state: step.state, expected: step.expected, outcome };
        stages.push(stage);
        const verdict = judgeStage(stage, { turnCount: scenario.referenceTurns.length, hiddenTestsTarget: scenario.hiddenTestsTarget, why: step.why });
        if (verdict !== undefined) return finish(verdict);
      }
    }
    return finish({ status: 'valid' });
  } catch (error) {
    return finish({ status: 'errored', error: error instanceof Error ? error.message : String(error) });
  } finally {
    await rm(options.workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

interface PlannedStage {
  state: string;
  expected: StaticStage['expected'];
  /** Folders copied over the sandbox (cumulatively) before the tests run. */
  apply: readonly string[];
  why?: string | undefined;
}

/**
 * The sandboxes to build and the stages run in each: the reference's states in one sandbox
 * (untouched, before the last turn, after it), then one fresh sandbox per counterexample.
 */
export function planSandboxes(scenario: Pick<ResolvedScenario, 'referenceTurns' | 'counterexamples'>): PlannedStage[][] {
  const turns = scenario.referenceTurns;
  const reference: PlannedStage[] = [
    { state: 'untouched', expected: 'fail', apply: [] },
    ...(turns.length > 1 ? [{ state: `turn-${turns.length - 1}`, expected: 'fail' as const, apply: turns.slice(0, -1).flatMap((turn) => (turn.dir === undefined ? [] : [turn.dir])) }] : []),
    { state: `turn-${turns.length}`, expected: 'pass', apply: turns.slice(turns.length > 1 ? -1 : 0).flatMap((turn) => (turn.dir === undefined ? [] : [turn.dir])) },
  ];
  const counterexamples = scenario.counterexamples.map((counterexample): PlannedStage[] => [
    { state: `counterexample ${path.basename(counterexample.dir)}`, expected: 'fail', apply: [counterexample.dir], why: counterexample.why },
  ]);
  return [reference, ...counterexamples];
}

/** Undefined when the stage went as expected; else why the scenario is invalid (or unjudgeable). */
export function judgeStage(
  stage: StaticStage,
  context: { turnCount: number; hiddenTestsTarget: string; why?: string | undefined },
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
    const why =
      stage.state === 'untouched'
        ? 'they cannot tell an agent that did nothing from one that did the work'
        : stage.state.startsWith('counterexample')
          ? `they accept a wrong solution (${context.why ?? 'a counterexample'})`
          : 'they do not check what the last turn asks for';
    return { status: 'invalid', reason: `the hidden tests pass ${describeState(stage.state, turnCount)}: ${why}` };
  }
  return undefined;
}

function describeState(state: string, turnCount: number): string {
  if (state === 'untouched') return 'on the untouched fixture';
  if (state.startsWith('counterexample')) return `on the ${state}`;
  const turn = Number(state.replace('turn-', ''));
  if (turn === turnCount) return turnCount === 1 ? 'with the reference solution' : `with the reference solution (all ${turnCount} turns)`;
  return `after the reference's first ${turn} of ${turnCount} turns`;
}
