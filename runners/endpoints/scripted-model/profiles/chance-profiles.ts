import type { ReferenceFile, ScenarioScript } from '../scenario-scripts.ts';
import { injectTypeError } from './mistake-profiles.ts';
import type { Profile } from './profile-types.ts';
import { referenceProfile } from './replay-profiles.ts';
import { buildReferencePlan, replyFromPlan } from './step-plan.ts';

/**
 * `chance-<percent>` (e.g. `chance-80`) and `chance-<percent>-<label>` (e.g. `chance-80-b`): a
 * stochastic model for statistics end to end. Per session it draws once: with the chosen
 * probability it replays the reference solution (and passes), otherwise it writes the scenario's
 * first counterexample — a wrong solution its hidden tests reject — or, without one, the reference
 * with a type error; always through OpenCode's real tools. The draw is `scenarioDraw`: seeded, and
 * indexed by the k-th session of the scenario under this model name, so a run's outcomes per
 * scenario are reproducible as a multiset. Two targets with the same name share one stream; give
 * identical profiles different labels (`chance-60-a`, `chance-60-b`) for independent ones.
 */
export type ChanceProfileName = `chance-${number}` | `chance-${number}-${string}`;

const CHANCE_NAME = /^chance-(\d{1,3})(?:-([A-Za-z0-9._]+))?$/;

/** The pass probability of a chance profile name, or undefined when the name is not one. */
export function parseChanceProfile(name: string): { passProbability: number } | undefined {
  const match = CHANCE_NAME.exec(name);
  const percent = Number(match?.[1]);
  if (match === null || !Number.isInteger(percent) || percent > 100 || String(percent) !== match[1]) return undefined;
  return { passProbability: percent / 100 };
}

export function isChanceProfileName(name: string): name is ChanceProfileName {
  return parseChanceProfile(name) !== undefined;
}

/** The wrong solution a failing draw writes. */
export function wrongSolutionOf(scenario: ScenarioScript): ReferenceFile[] {
  const counterexample = scenario.counterexampleFiles ?? [];
  return counterexample.length > 0 ? counterexample : injectTypeError(scenario.referenceFiles);
}

/** Writes the wrong solution in the first turn (read one file, then one write per file) and acknowledges later turns. */
export const wrongSolutionProfile: Profile = (context) =>
  replyFromPlan(context, (input) => buildReferencePlan(input, input.scenario === undefined ? [] : wrongSolutionOf(input.scenario)));

export function chanceProfile(name: ChanceProfileName): Profile {
  const passProbability = parseChanceProfile(name)?.passProbability ?? 0;
  return (context) => (context.scenarioDraw('chance') < passProbability ? referenceProfile(context) : wrongSolutionProfile(context));
}
