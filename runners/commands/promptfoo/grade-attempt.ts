import type { GradingResult } from 'promptfoo';
import { CHECK_NAMES } from '../../core/domain/check-result.ts';
import { type AttemptOutcome } from '../../core/domain/attempt.ts';
import type { ReadAttemptMetadata } from './attempt-metadata.ts';
import { describeCheck } from './describe-checks.ts';
import { neutralizeControlCharacters } from './safe-text.ts';

/**
 * The harness verdict on one attempt as a promptfoo grading result: pass/fail is the attempt's
 * outcome, with one component per check (typecheck, lint, tests, permissions, agent-health)
 * whose reason names the evidence, and one more when the attempt ran out of time.
 */
export function gradeAttempt(metadata: ReadAttemptMetadata): GradingResult {
  const components: GradingResult[] = CHECK_NAMES.map((name) => {
    const check = metadata.checks.find((candidate) => candidate.check === name);
    if (check === undefined) return component(name, false, `${name} did not run: ${describeOutcome(metadata.outcome)}`);
    return component(name, check.status === 'passed', describeCheck(check));
  });
  if (metadata.outcome.kind === 'timed-out' || metadata.outcome.kind === 'infra-error') {
    components.push(component(metadata.outcome.kind, false, describeOutcome(metadata.outcome)));
  }
  const pass = metadata.outcome.kind === 'passed';
  const checksPassed = components.filter((item) => item.pass && item.assertion?.metric !== undefined).length;
  const failing = components.filter((item) => !item.pass);
  const where = `${metadata.scenarioId} × ${metadata.targetId} × ${metadata.promptVariantId} #${metadata.repeatIndex}, attempt ${metadata.attemptId} in ${metadata.runDir}`;
  return {
    pass,
    score: checksPassed / CHECK_NAMES.length,
    reason: pass ? `all ${CHECK_NAMES.length} checks passed (${where})` : `${failing.map((item) => item.reason).join(' | ')} (${where})`,
    namedScores: Object.fromEntries(components.filter((item) => item.assertion?.metric !== undefined).map((item) => [item.assertion?.metric, item.score])),
    componentResults: components,
  };
}

/** Grading result for a response the harness assertion cannot read. */
export function gradeUnreadable(reason: string): GradingResult {
  return { pass: false, score: 0, reason: neutralizeControlCharacters(reason) };
}

function component(name: string, pass: boolean, reason: string): GradingResult {
  const isCheck = (CHECK_NAMES as readonly string[]).includes(name);
  return {
    pass,
    score: pass ? 1 : 0,
    reason,
    assertion: isCheck ? { type: 'javascript', value: `harness check: ${name}`, metric: name } : { type: 'javascript', value: `harness outcome: ${name}` },
  };
}

function describeOutcome(outcome: AttemptOutcome): string {
  switch (outcome.kind) {
    case 'passed':
      return 'the attempt passed';
    case 'failed':
      return `the attempt failed ${outcome.failedChecks.join(', ')}`;
    case 'timed-out':
      return `timed out after ${(outcome.afterMs / 1000).toFixed(1)} s; the session was aborted`;
    case 'infra-error':
      return `infra error [${outcome.source}], not the model's fault: ${neutralizeControlCharacters(outcome.message.split('\n')[0] ?? '')}`;
  }
}
