import { CHECK_NAMES, type CheckName, type CheckResult } from '../../core/domain/check-result.ts';
import { checkAgentHealth } from './agent-health.ts';
import { isContainmentError } from '../../core/errors.ts';
import type { Check, CheckContext } from './check-context.ts';
import type { CheckEgress } from './find-network-violations.ts';
import { checkLint } from './lint.ts';
import { checkPermissions } from './permissions.ts';
import { checkTests } from './tests.ts';
import { checkTypecheck } from './typecheck.ts';

export type { Check, CheckContext } from './check-context.ts';

/** One check per name: adding a CheckName fails to compile until it is handled here. */
export const CHECKS: { [K in CheckName]: Check<K> } = {
  typecheck: checkTypecheck,
  lint: checkLint,
  tests: checkTests,
  permissions: checkPermissions,
  'agent-health': checkAgentHealth,
};

/** The checks run right after a turn of a multi-turn scenario (the hidden tests come only at the end). */
export const TURN_CHECK_NAMES: readonly CheckName[] = ['typecheck', 'lint', 'tests'];

/**
 * Runs the checks (default: every one) and returns their results in the order given: every check
 * but permissions at the same time, each recording the connections its command tried, then
 * permissions, which judges those too. A check that throws is a harness fault: it becomes
 * `errored`, never a failure of the model — except a ContainmentError, which stops the run.
 */
export async function runChecks(context: CheckContext, names: readonly CheckName[] = CHECK_NAMES): Promise<CheckResult[]> {
  const checkEgress: CheckEgress[] = [];
  const withEgressReport = (name: CheckName): CheckContext => {
    if (context.confinement === undefined) return context;
    return { ...context, confinement: { ...context.confinement, reportEgress: (attempts) => checkEgress.push({ check: name, attempts }) } };
  };
  const first = await Promise.all(names.filter((name) => name !== 'permissions').map((name) => runOneCheck(name, withEgressReport(name))));
  const permissions = names.includes('permissions') ? [await runOneCheck('permissions', { ...context, checkEgress: [...(context.checkEgress ?? []), ...checkEgress] })] : [];
  const results = [...first, ...permissions];
  return names.map((name) => results.find((result) => result.check === name)).filter((result) => result !== undefined);
}

async function runOneCheck(name: CheckName, context: CheckContext): Promise<CheckResult> {
  const started = performance.now();
  try {
    return await CHECKS[name](context);
  } catch (error) {
    if (isContainmentError(error)) throw error;
    const durationMs = Math.round(performance.now() - started);
    return { check: name, durationMs, status: 'errored', error: `the ${name} check crashed (a harness fault): ${describeError(error)}` };
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.stack ?? `${error.name}: ${error.message}`;
}
