import { CHECK_NAMES, type CheckName, type CheckResult } from '../runners/core/domain/check-result.ts';
import { failedChecksOf, finalAttemptOf, groupBy, isModelAttributable } from '../runners/pipeline/summary/spec-facts.ts';
import type { RunSummary, SpecSummary } from '../runners/pipeline/summary/summary-types.ts';

/** How one cell (scenario × target × prompt variant) did over its repeats. */
export type CellVerdict =
  | { status: 'passed' }
  /** Some model-attributable repeat failed or timed out. */
  | { status: 'failed'; message: string; evidence: string[] }
  /** No repeat is the model's doing: only infra errors, or nothing finished yet. Never a failure. */
  | { status: 'skipped'; message: string };

export interface CellOutcome {
  scenarioId: string;
  targetId: string;
  promptVariantId: string;
  specs: SpecSummary[];
  passed: number;
  /** Model-attributable repeats: passed, failed or timed out. */
  trials: number;
  timedOut: number;
  infraErrors: number;
  pending: number;
  /** Wall time of every attempt of the cell, retries included. */
  totalMs: number;
  verdict: CellVerdict;
}

/** Folds the repeats of each scenario × target × prompt variant into one outcome, in plan order. */
export function foldCells(summary: RunSummary): CellOutcome[] {
  const groups = groupBy(summary.specs, ({ spec }) => JSON.stringify([spec.scenarioId, spec.targetId, spec.promptVariantId]));
  return [...groups.values()].flatMap((specs) => {
    const first = specs[0];
    return first === undefined ? [] : [foldCell(first.spec, specs)];
  });
}

function foldCell(spec: SpecSummary['spec'], specs: SpecSummary[]): CellOutcome {
  const count = (kind: SpecSummary['outcome']['kind']) => specs.filter((item) => item.outcome.kind === kind).length;
  const passed = count('passed');
  const trials = specs.filter(isModelAttributable).length;
  const cell = {
    scenarioId: spec.scenarioId,
    targetId: spec.targetId,
    promptVariantId: spec.promptVariantId,
    specs: [...specs].sort((a, b) => a.spec.repeatIndex - b.spec.repeatIndex),
    passed,
    trials,
    timedOut: count('timed-out'),
    infraErrors: count('infra-error'),
    pending: count('pending'),
    totalMs: specs.flatMap((item) => item.attempts).reduce((sum, attempt) => sum + attempt.timings.totalMs, 0),
  };
  return { ...cell, verdict: decideCellVerdict(cell) };
}

function decideCellVerdict(cell: Omit<CellOutcome, 'verdict'>): CellVerdict {
  if (cell.trials === 0) return { status: 'skipped', message: describeSkip(cell) };
  const failing = cell.specs.filter((spec) => spec.outcome.kind === 'failed' || spec.outcome.kind === 'timed-out');
  const [first] = failing;
  if (first === undefined) return { status: 'passed' };
  return { status: 'failed', message: describeCellFailure(cell, failing), evidence: describeFailureEvidence(first) };
}

/** `2/5 passed; failed checks: tests×3, lint×1; timed out×1; infra errors×1 (not counted)`. */
function describeCellFailure(cell: Omit<CellOutcome, 'verdict'>, failing: readonly SpecSummary[]): string {
  const counts = new Map<CheckName, number>();
  for (const spec of failing) for (const name of failedChecksOf(spec)) counts.set(name, (counts.get(name) ?? 0) + 1);
  const checks = CHECK_NAMES.flatMap((name) => (counts.has(name) ? [`${name}×${counts.get(name) ?? 0}`] : []));
  const parts = [`${cell.passed}/${cell.trials} passed`];
  if (checks.length > 0) parts.push(`failed checks: ${checks.join(', ')}`);
  if (cell.timedOut > 0) parts.push(`timed out×${cell.timedOut}`);
  if (cell.infraErrors > 0) parts.push(`infra errors×${cell.infraErrors} (not counted)`);
  if (cell.pending > 0) parts.push(`pending×${cell.pending}`);
  return parts.join('; ');
}

function describeSkip(cell: Omit<CellOutcome, 'verdict'>): string {
  const infra = cell.specs.flatMap((spec) => (spec.outcome.kind === 'infra-error' ? [`${spec.outcome.source}: ${spec.outcome.message}`] : []));
  const [firstInfra] = infra;
  if (firstInfra === undefined) return `pending: no attempt of ${cell.pending} repeat(s) finished`;
  const pending = cell.pending > 0 ? `, ${cell.pending} pending` : '';
  return `infra error (not the model's failure), ${cell.infraErrors} of ${cell.specs.length} repeat(s)${pending}: ${firstInfra}`;
}

/** What the first failing repeat shows: its outcome, then the first evidence of each failed check. */
export function describeFailureEvidence(spec: SpecSummary): string[] {
  const attempt = finalAttemptOf(spec);
  const header = `repeat ${spec.spec.repeatIndex}${attempt === undefined ? '' : `, attempt ${attempt.attemptNumber} (${attempt.attemptId})`}`;
  const lines = [header];
  if (spec.outcome.kind === 'timed-out') lines.push(`timed out after ${Math.round(spec.outcome.afterMs / 1000)} s`);
  const failed = failedChecksOf(spec);
  for (const check of attempt?.checks ?? []) {
    if (failed.has(check.check)) lines.push(describeCheckEvidence(check));
  }
  return lines;
}

function describeCheckEvidence(check: CheckResult): string {
  if (check.status !== 'failed') return `${check.check}: ${check.status === 'errored' ? check.error : 'passed'}`;
  const first = firstEvidenceOf(check);
  // Some reasons already quote their first finding; do not say it twice.
  const repeated = first === undefined || (first.message !== '' && check.reason.includes(first.message));
  return `${check.check}: ${check.reason}${repeated ? '' : ` — ${first.text}`}`;
}

interface Evidence {
  text: string;
  message: string;
}

function firstEvidenceOf(check: Extract<CheckResult, { status: 'failed' }>): Evidence | undefined {
  switch (check.check) {
    case 'typecheck': {
      const [first] = check.evidence.diagnostics;
      return first === undefined ? undefined : { text: `${first.file}:${first.line}:${first.column} ${first.code} ${first.message}`, message: first.message };
    }
    case 'lint': {
      const [first] = check.evidence.findings;
      return first === undefined ? undefined : { text: `${first.file}:${first.line}:${first.column} ${first.ruleId ?? ''} ${first.message}`, message: first.message };
    }
    case 'tests': {
      const failure = check.evidence.suites.flatMap((suite) => suite.failures)[0];
      return failure === undefined ? undefined : { text: `${failure.file} › ${failure.name}: ${failure.message}`, message: failure.message };
    }
    case 'permissions': {
      const [first] = check.evidence.violations;
      return first === undefined ? undefined : { text: `${first.kind}${first.effective ? '' : ' (attempted)'} ${first.path ?? first.tool ?? ''}: ${first.detail}`, message: first.detail };
    }
    case 'agent-health': {
      const { evidence } = check;
      const message = evidence.textToolCalls[0]?.excerpt ?? evidence.sessionErrors[0]?.message ?? evidence.invalidToolCalls[0]?.error;
      return message === undefined ? undefined : { text: message, message };
    }
  }
}
