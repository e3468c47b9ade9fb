import { decideScorecard } from '../statistics/verdicts.ts';
import type { CohortResults } from '../statistics/verdict-types.ts';
import { outcomesByScenario } from './paired-comparison.ts';
import { cohortIdOf } from './spec-facts.ts';
import type { CohortKey, CohortVerdict, RunVerdicts, SpecSummary } from './summary-types.ts';

export interface RunVerdictsInput {
  cohorts: readonly CohortKey[];
  specsOf: (key: CohortKey) => readonly SpecSummary[];
  alpha: number;
}

/**
 * The scorecard's verdicts (decideScorecard): every pair of cohorts with model-answerable
 * results compared on pass/fail by the paired scenario difference, all pairs as ONE Holm family;
 * 'best' only when significantly better than every other cohort, on ≥ 5 scenarios and ≥ 10
 * answerable attempts; no best when nothing passed; infra-only cohorts have "nothing to rate".
 * Each verdict carries one plain sentence naming the comparison and the family size.
 */
export function decideRunVerdicts({ cohorts, specsOf, alpha }: RunVerdictsInput): RunVerdicts {
  const labels = labelCohorts(cohorts);
  const keyByLabel = new Map(cohorts.map((key) => [labels.get(cohortIdOf(key)) ?? '', key]));
  const results = cohorts.map((key): CohortResults => {
    const specs = specsOf(key);
    const outcomes = outcomesByScenario(specs, 'pass');
    const infraByScenario = new Map<string, number>();
    for (const spec of specs) {
      if (spec.outcome.kind === 'infra-error') infraByScenario.set(spec.spec.scenarioId, (infraByScenario.get(spec.spec.scenarioId) ?? 0) + 1);
    }
    const scenarios = [...new Set(specs.map((spec) => spec.spec.scenarioId))];
    return { id: labels.get(cohortIdOf(key)) ?? '', cells: scenarios.map((scenario) => ({ scenario, outcomes: outcomes.get(scenario) ?? [], infraErrors: infraByScenario.get(scenario) ?? 0 })) };
  });
  const card = decideScorecard(results, { alpha });
  const keysOf = (ids: readonly string[]): CohortKey[] => ids.flatMap((id) => keyByLabel.get(id) ?? []);
  const verdicts = card.verdicts.map((verdict): CohortVerdict => {
    const key = keyByLabel.get(verdict.cohort) ?? { targetId: verdict.cohort, promptVariantId: '' };
    return {
      key,
      verdict: verdict.kind,
      explanation: verdict.kind === 'nothing-to-rate' ? explainNothingToRate(verdict.cohort, specsOf(key)) : verdict.explanation,
      betterThan: keysOf(verdict.kind === 'best' ? verdict.beats.map((matchup) => matchup.other) : []),
      worseThan: keysOf(verdict.kind === 'significantly-worse' ? verdict.worseThan.map((matchup) => matchup.other) : []),
    };
  });
  return {
    status: card.status,
    best: card.best === undefined ? null : (keyByLabel.get(card.best) ?? null),
    familySize: card.familySize,
    ratedCohorts: card.ratedCohorts,
    alpha: card.alpha,
    cohorts: verdicts,
  };
}

/**
 * The names used in the sentences: the target when every cohort has the same prompt variant, the
 * prompt variant when every cohort has the same target, else `target · variant`. Always unique.
 */
export function labelCohorts(cohorts: readonly CohortKey[]): Map<string, string> {
  const targets = new Set(cohorts.map((key) => key.targetId));
  const variants = new Set(cohorts.map((key) => key.promptVariantId));
  const labelOf = (key: CohortKey): string => {
    if (variants.size === 1) return key.targetId;
    if (targets.size === 1) return key.promptVariantId;
    return `${key.targetId} · ${key.promptVariantId}`;
  };
  return new Map(cohorts.map((key) => [cohortIdOf(key), labelOf(key)]));
}

function explainNothingToRate(label: string, specs: readonly SpecSummary[]): string {
  const infra = specs.filter((spec) => spec.outcome.kind === 'infra-error').length;
  const pending = specs.filter((spec) => spec.outcome.kind === 'pending').length;
  const parts = [`${infra} infra error${infra === 1 ? '' : 's'}`, ...(pending > 0 ? [`${pending} pending`] : [])];
  return `${label} has no model-answerable result (${parts.join(', ')}), so there is nothing to rate and it is left out of the comparisons.`;
}

