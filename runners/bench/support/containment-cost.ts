import type { AttemptTimings } from '../../core/domain/attempt.ts';
import { median } from '../../pipeline/statistics/descriptive.ts';

/**
 * What containment costs, from two runs of the same matrix — one contained, one not: the median
 * of each phase per attempt, and the difference stated as the extra time containment takes.
 */

/** The phases an attempt's timings hold, in the order a table lists them. */
export const ATTEMPT_PHASES = ['totalMs', 'sandboxMs', 'agentMs', 'checksMs'] as const satisfies ReadonlyArray<keyof AttemptTimings>;

export type AttemptPhase = (typeof ATTEMPT_PHASES)[number];

/** The median of each phase over the attempts (undefined for a phase of no attempt). */
export function medianPhases(attempts: ReadonlyArray<{ timings: AttemptTimings }>): Record<AttemptPhase, number | undefined> {
  const medians = {} as Record<AttemptPhase, number | undefined>;
  for (const phase of ATTEMPT_PHASES) medians[phase] = median(attempts.map((attempt) => attempt.timings[phase]));
  return medians;
}

/**
 * The extra time of `contained` over `open`, e.g. `+312 ms (+8.1 %)`, a negative one with a
 * minus (the two runs' noise can exceed the cost); a dash when either is missing, no percentage
 * when the open figure is 0.
 */
export function describeExtraTime(contained: number | undefined, open: number | undefined): string {
  if (contained === undefined || open === undefined) return '—';
  const extra = contained - open;
  const sign = extra < 0 ? '−' : '+';
  const milliseconds = `${sign}${Math.abs(Math.round(extra))} ms`;
  if (open === 0) return milliseconds;
  return `${milliseconds} (${sign}${Math.abs((extra / open) * 100).toFixed(1)} %)`;
}
