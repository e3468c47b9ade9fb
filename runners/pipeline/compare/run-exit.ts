import { EXIT_CODES } from '../../core/errors.ts';
import type { RunSummary } from '../summary/summary-types.ts';
import { evaluateGate, exitCodeOfGate, type GateResult, type GateSettings } from './gate.ts';

export interface RunExitInput {
  summary: RunSummary;
  /** Reporters that threw: a harness bug, whatever the results. */
  reporterFailures: number;
  exitZero: boolean;
  /** The config's gate, when it declares one. */
  gate: GateSettings | undefined;
}

export interface RunExitDecision {
  exitCode: number;
  /** The gate's verdict, when a gate was configured and evaluated. */
  gate: GateResult | undefined;
}

/**
 * The exit code of `harness run` (and of a resumed run). Without a gate: 0 when every spec
 * passed, else 1. With a gate: the gate decides (0 passed, 1 failed). A reporter bug is 3 and
 * `--exit-zero` turns any completed run into 0.
 */
export function decideRunExit({ summary, reporterFailures, exitZero, gate }: RunExitInput): RunExitDecision {
  const result = gate === undefined ? undefined : evaluateGate({ settings: gate, current: summary.statistics });
  if (reporterFailures > 0) return { exitCode: EXIT_CODES.internal, gate: result };
  if (exitZero) return { exitCode: EXIT_CODES.ok, gate: result };
  if (result !== undefined) return { exitCode: exitCodeOfGate(result), gate: result };
  const { totals } = summary;
  return { exitCode: totals.passed === totals.specs ? EXIT_CODES.ok : EXIT_CODES.attemptsNotPassed, gate: undefined };
}
