import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { CheckName, CheckResult } from '../../core/domain/check-result.ts';
import type { StaticCheckResult } from './static-check.ts';
import { describeFeatureUse, hasExercised } from '../../core/domain/feature-use.ts';
import type { ExercisedFeature } from '../../core/domain/scenario.ts';

/** The targets `harness validate` runs every scenario with. */
export const VALIDATE_TARGETS = {
  reference: { id: 'validate-reference', profile: 'reference' },
  noop: { id: 'validate-noop', profile: 'noop' },
} as const;

/** Everything known about one scenario after validation ran. */
export interface ValidityInput {
  scenarioId: string;
  /** Set when the scenario could not even be loaded (schema error, missing folder or fixture). */
  loadError?: string | undefined;
  static?: StaticCheckResult | undefined;
  /** Tool names the reference declares it calls (all turns), e.g. `backend_get_portfolios`. */
  referenceCalls: readonly string[];
  /** OpenCode features the reference must show it used (TODOs, subagents, compaction, …). */
  exercises?: readonly ExercisedFeature[] | undefined;
  /** Absent when the agent run was skipped (--static-only, or the static pre-check failed). */
  reference?: AttemptRecord | undefined;
  noop?: AttemptRecord | undefined;
  /** Whether the agent run was meant to happen for this scenario. */
  ranAgents: boolean;
}

/**
 * `valid`: proven — a failure can only mean the agent failed. `invalid`: the scenario is broken
 * (reasons say how). `errored`: validation itself could not be carried out (an infra fault).
 */
export type ScenarioValidity =
  | { scenarioId: string; status: 'valid'; notes: string[] }
  | { scenarioId: string; status: 'invalid'; reasons: string[] }
  | { scenarioId: string; status: 'errored'; reasons: string[] };

export function judgeValidity(input: ValidityInput): ScenarioValidity {
  const { scenarioId } = input;
  if (input.loadError !== undefined) return { scenarioId, status: 'invalid', reasons: [`cannot be loaded: ${input.loadError}`] };
  const notes: string[] = [];
  if (input.static !== undefined) {
    if (input.static.status === 'errored') return { scenarioId, status: 'errored', reasons: [`static pre-check could not run: ${input.static.error}`] };
    if (input.static.status === 'invalid') return { scenarioId, status: 'invalid', reasons: [`static pre-check: ${input.static.reason}`] };
    notes.push(`static: hidden tests fail untouched, pass with the reference${describeExtraStages(input.static)} (${seconds(input.static.durationMs)})`);
  }
  if (!input.ranAgents) return { scenarioId, status: 'valid', notes };
  const reference = judgeReference(input.reference, input.referenceCalls, input.exercises ?? []);
  const noop = judgeNoop(input.noop);
  const problems = [reference, noop].filter((verdict) => verdict.kind !== 'ok');
  const infra = problems.filter((verdict) => verdict.kind === 'infra');
  if (problems.length > infra.length) return { scenarioId, status: 'invalid', reasons: problems.map((verdict) => verdict.text) };
  if (infra.length > 0) return { scenarioId, status: 'errored', reasons: infra.map((verdict) => verdict.text) };
  return { scenarioId, status: 'valid', notes: [...notes, reference.text, noop.text] };
}

type Verdict = { kind: 'ok' | 'broken' | 'infra'; text: string };

/** The reference must pass every check, make each tool call it declares and use each feature it says it exercises. */
export function judgeReference(attempt: AttemptRecord | undefined, declaredCalls: readonly string[], exercises: readonly ExercisedFeature[] = []): Verdict {
  if (attempt === undefined) return { kind: 'infra', text: 'reference: no attempt was recorded' };
  const { outcome } = attempt;
  const missing = declaredCalls.filter((tool) => !attempt.transcript.some((entry) => entry.type === 'tool' && entry.tool === tool && entry.status === 'completed'));
  const use = describeFeatureUse(attempt.transcript);
  const unused = exercises.filter((feature) => !hasExercised(use, feature));
  const missingText =
    (missing.length === 0 ? '' : `; declared call${missing.length === 1 ? '' : 's'} ${missing.join(', ')} never completed (tool not offered, or it failed)`) +
    (unused.length === 0 ? '' : `; it did not exercise ${unused.join(', ')} as the scenario says it must`);
  const exercisedText = exercises.length === 0 ? '' : `; exercised ${exercises.join(', ')}`;
  switch (outcome.kind) {
    case 'infra-error':
      return { kind: 'infra', text: `reference: infra error [${outcome.source}], so nothing is proven: ${firstLine(outcome.message)}` };
    case 'timed-out':
      return { kind: 'broken', text: `reference: timed out after ${seconds(outcome.afterMs)} (is timeoutMs too small?)${missingText}` };
    case 'failed':
      return { kind: 'broken', text: `reference: failed ${describeFailedChecks(attempt.checks, outcome.failedChecks)}${missingText}` };
    case 'passed':
      if (missingText !== '') return { kind: 'broken', text: `reference: passed, but${missingText.slice(1)}` };
      return { kind: 'ok', text: `reference: passed every check (${seconds(attempt.timings.totalMs)}${declaredCalls.length === 0 ? '' : `; called ${declaredCalls.join(', ')}`}${exercisedText})` };
  }
}

/**
 * Doing nothing must fail, and only on the hidden tests: the fixture's own tests, type check,
 * lint, permissions and health pass on the untouched fixture, or a failure would not mean the
 * agent failed.
 */
export function judgeNoop(attempt: AttemptRecord | undefined): Verdict {
  if (attempt === undefined) return { kind: 'infra', text: 'noop: no attempt was recorded' };
  const { outcome } = attempt;
  switch (outcome.kind) {
    case 'infra-error':
      return { kind: 'infra', text: `noop: infra error [${outcome.source}], so nothing is proven: ${firstLine(outcome.message)}` };
    case 'timed-out':
      return { kind: 'broken', text: `noop: timed out after ${seconds(outcome.afterMs)}, although it answers at once` };
    case 'passed':
      return { kind: 'broken', text: 'noop: passed every check — the checks cannot tell an agent that did nothing from the reference' };
    case 'failed': {
      const others = outcome.failedChecks.filter((check) => check !== 'tests');
      if (others.length > 0) return { kind: 'broken', text: `noop: also failed ${describeFailedChecks(attempt.checks, others)} — the untouched fixture must pass everything but the hidden tests` };
      const tests = attempt.checks.find((check) => check.check === 'tests');
      if (tests?.status !== 'failed') return { kind: 'broken', text: 'noop: failed, but not on the tests' };
      const fixture = tests.evidence.suites.find((suite) => suite.suite === 'fixture');
      const acceptance = tests.evidence.suites.find((suite) => suite.suite === 'acceptance');
      if ((fixture?.failed ?? 0) > 0) return { kind: 'broken', text: `noop: the fixture's own tests fail on the untouched fixture: ${firstLine(tests.reason)}` };
      if (acceptance === undefined || acceptance.failed === 0) return { kind: 'broken', text: `noop: failed the tests without a failing hidden test: ${firstLine(tests.reason)}` };
      return { kind: 'ok', text: `noop: failed the hidden tests only (${acceptance.failed} of ${acceptance.total} failed)` };
    }
  }
}

function describeFailedChecks(checks: readonly CheckResult[], names: readonly CheckName[]): string {
  return names
    .map((name) => {
      const check = checks.find((candidate) => candidate.check === name);
      if (check?.status !== 'failed') return name;
      // The permissions reason only counts kinds; the violations say which path and why.
      const details = check.check === 'permissions' ? `: ${check.evidence.violations.slice(0, 3).map((violation) => `${violation.kind} — ${violation.detail}`).join('; ')}` : '';
      return `${name} (${firstLine(check.reason)}${details})`;
    })
    .join('; ');
}

function describeExtraStages(result: StaticCheckResult): string {
  const counterexamples = result.stages.filter((stage) => stage.state.startsWith('counterexample')).length;
  const beforeLastTurn = result.stages.some((stage) => stage.state.startsWith('turn-') && stage.expected === 'fail');
  const parts = [beforeLastTurn ? 'fail before the last turn' : '', counterexamples > 0 ? `reject ${counterexamples} counterexample${counterexamples === 1 ? '' : 's'}` : ''].filter((part) => part !== '');
  return parts.length === 0 ? '' : `, ${parts.join(', ')}`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
