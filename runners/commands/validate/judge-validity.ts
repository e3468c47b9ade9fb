import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { CheckName, CheckResult } from '../../core/domain/check-result.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import type { ScenarioFinding } from '../../inputs/scenarios/scenario-rules.ts';
import type { CounterexampleResult } from './explain-counterexample.ts';
import { judgeAnswers, warnAboutAnswers, type AnswersReport } from './judge-answers.ts';
import type { StaticCheckResult } from './static-check.ts';
import { describeFeatureUse, hasExercised } from '../../core/domain/feature-use.ts';
import type { ExercisedFeature } from '../../core/domain/scenario.ts';

/** The targets `harness validate` runs every scenario with. */
export const VALIDATE_TARGETS = {
  reference: { id: 'validate-reference', profile: 'reference' },
  noop: { id: 'validate-noop', profile: 'noop' },
  answers: { id: 'validate-answers', profile: 'answers-probe' },
} as const;

/** Everything known about one scenario after validation ran. */
export interface ValidityInput {
  scenarioId: string;
  /** Set when the scenario could not even be loaded (schema error, missing folder or fixture). */
  loadError?: string | undefined;
  /** What the answers are judged against; absent when the scenario did not load. */
  scenario?: Pick<ResolvedScenario, 'answers' | 'policy'> | undefined;
  /** Findings of the rules beyond the schema (runners/inputs/scenarios/scenario-rules.ts). */
  findings?: readonly ScenarioFinding[] | undefined;
  static?: StaticCheckResult | undefined;
  /** Tool names the reference declares it calls (all turns), e.g. `backend_get_portfolios`. */
  referenceCalls: readonly string[];
  /** OpenCode features the reference must show it used (TODOs, subagents, compaction, …). */
  exercises?: readonly ExercisedFeature[] | undefined;
  /** Absent when the agent run was skipped (--static-only, or the static pre-check failed). */
  reference?: AttemptRecord | undefined;
  noop?: AttemptRecord | undefined;
  /** The `answers-probe` attempt: it asks typical questions, then replays the reference. */
  answersProbe?: AttemptRecord | undefined;
  /** Whether the agent run was meant to happen for this scenario. */
  ranAgents: boolean;
}

/** How a validation came to its verdict: what rejected each counterexample, the reference's typecheck and lint, the answers. */
export interface ValidityExplanation {
  referenceChecks: Array<{ check: 'typecheck' | 'lint'; status: 'passed' | 'failed' | 'errored'; detail: string }>;
  counterexamples: CounterexampleResult[];
  /** Absent when the scenario did not load. */
  answers: AnswersReport | undefined;
}

/**
 * `valid`: proven — a failure can only mean the agent failed. `invalid`: the scenario is broken
 * (reasons say how). `errored`: validation itself could not be carried out (an infra fault).
 * Warnings never change the verdict.
 */
export type ScenarioValidity = { scenarioId: string; notes: string[]; warnings: string[]; explanation: ValidityExplanation } & (
  | { status: 'valid' }
  | { status: 'invalid'; reasons: string[] }
  | { status: 'errored'; reasons: string[] }
);

export function judgeValidity(input: ValidityInput): ScenarioValidity {
  const { scenarioId } = input;
  const findings = input.findings ?? [];
  const answers = input.scenario === undefined ? undefined : judgeAnswers(input.scenario, input.answersProbe, input.ranAgents);
  const explanation = explain(input.static, answers);
  const warnings = [
    ...findings.filter((finding) => finding.level === 'warning').map(formatFinding),
    ...(answers === undefined ? [] : warnAboutAnswers(answers, input.scenario?.answers.length ?? 0)),
  ];
  const base = { scenarioId, notes: [] as string[], warnings, explanation };
  if (input.loadError !== undefined) return { ...base, status: 'invalid', reasons: [`cannot be loaded: ${input.loadError}`] };
  const errors = findings.filter((finding) => finding.level === 'error').map(formatFinding);
  if (input.static !== undefined) {
    if (input.static.status === 'errored') return { ...base, status: 'errored', reasons: [...errors, `static pre-check could not run: ${input.static.error}`] };
    if (input.static.status === 'invalid') return { ...base, status: 'invalid', reasons: [...errors, ...input.static.reasons.map((reason) => `static pre-check: ${reason}`)] };
    base.notes.push(`static: ${describeStaticProof(input.static)} (${seconds(input.static.durationMs)})`);
  }
  if (errors.length > 0) return { ...base, status: 'invalid', reasons: errors };
  if (!input.ranAgents) return { ...base, status: 'valid' };
  const reference = judgeReference(input.reference, input.referenceCalls, input.exercises ?? []);
  const noop = judgeNoop(input.noop);
  const problems = [reference, noop].filter((verdict) => verdict.kind !== 'ok');
  const infra = problems.filter((verdict) => verdict.kind === 'infra');
  if (problems.length > infra.length) return { ...base, status: 'invalid', reasons: problems.map((verdict) => verdict.text) };
  if (infra.length > 0) return { ...base, status: 'errored', reasons: infra.map((verdict) => verdict.text) };
  return { ...base, status: 'valid', notes: [...base.notes, reference.text, noop.text] };
}

function explain(result: StaticCheckResult | undefined, answers: AnswersReport | undefined): ValidityExplanation {
  const checks = result?.referenceChecks;
  const referenceChecks =
    checks === undefined
      ? []
      : (['typecheck', 'lint'] as const).map((check) => {
          const status = checks[check];
          const detail = status.status === 'passed' ? '' : status.status === 'failed' ? firstLine(status.reason) : firstLine(status.error);
          return { check, status: status.status, detail };
        });
  return { referenceChecks, counterexamples: result?.counterexamples ?? [], answers };
}

function formatFinding(finding: ScenarioFinding): string {
  return `${finding.field} ${finding.message}`;
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

/** What the static pre-check proved, in the order it checked. */
function describeStaticProof(result: StaticCheckResult): string {
  const counterexamples = result.counterexamples.length;
  const beforeLastTurn = result.stages.some((stage) => stage.state.startsWith('turn-') && stage.expected === 'fail');
  return [
    `hidden tests fail untouched${beforeLastTurn ? ' and before the last turn' : ''}, pass with the reference`,
    result.referenceChecks === undefined ? '' : "the reference passes the fixture's typecheck and lint",
    counterexamples > 0 ? `failed assertions reject ${counterexamples === 1 ? 'the counterexample' : `all ${counterexamples} counterexamples`}` : '',
  ]
    .filter((part) => part !== '')
    .join('; ');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
