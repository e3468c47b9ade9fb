import { buildAgentCatalog, type AgentCatalog } from '../../attempt/opencode/agents.ts';
import { renderedPromptOf, required, type PreparedRun } from '../plan/prepare-run.ts';

/** The OpenCode server profiles and agents of a prepared run: one config per (variant, scenario rules). */
export function buildRunAgentCatalog(prepared: PreparedRun): AgentCatalog {
  return buildAgentCatalog(
    prepared.specs.map((spec) => {
      const variant = required(prepared.promptVariants, spec.promptVariantId);
      return {
        specId: spec.id,
        variantId: variant.id,
        settings: variant.settings,
        prompt: renderedPromptOf(prepared, spec),
        target: required(prepared.targets, spec.targetId),
        scenario: required(prepared.scenarios, spec.scenarioId),
        maxStepsPerTurn: prepared.config.maxStepsPerTurn,
      };
    }),
  );
}
