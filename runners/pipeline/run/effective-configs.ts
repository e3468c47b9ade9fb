import { createHash } from 'node:crypto';
import { buildOpencodeConfig } from '../../attempt/opencode/opencode-config.ts';
import type { AgentCatalog } from '../../attempt/opencode/agents.ts';
import type { EffectiveConfigs } from '../events/event-types.ts';
import { renderedPromptKey, required, type PreparedRun } from '../plan/prepare-run.ts';

/** Stands for the rendered prompt in the recorded config (the report shows the prompt itself). */
export const PROMPT_PLACEHOLDER = '<the rendered prompt (see Prompts)>';

/**
 * The OpenCode config each (scenario, variant) pair runs with, as recorded in `run.started`: the
 * real merge, with each target's endpoint as a placeholder (it is known only once the run starts)
 * and agent prompts by reference. Equal configs are stored once.
 */
export function describeEffectiveConfigs(prepared: PreparedRun, catalog: AgentCatalog): EffectiveConfigs {
  const endpoints = [...new Set(prepared.specs.map((spec) => spec.targetId))].map((id) => {
    const target = required(prepared.targets, id);
    return { target, baseURL: `<model proxy for target ${target.id}>`, apiKey: '<placeholder: the model proxy holds the key>' };
  });
  const byPair: Record<string, string> = {};
  const configs: Record<string, unknown> = {};
  for (const spec of prepared.specs) {
    const pair = renderedPromptKey(spec);
    if (pair in byPair) continue;
    const { profile } = catalog.assignmentFor(spec.id);
    const agents = profile.agents.map((agent) => ({ ...agent, prompt: agent.prompt === undefined ? undefined : PROMPT_PLACEHOLDER }));
    const config = nameAgentsByRole(buildOpencodeConfig(endpoints, { ...profile, agents }, prepared.mcpServers), agents);
    const id = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 12);
    configs[id] = config;
    byPair[pair] = id;
  }
  return { byPair, configs };
}

/**
 * The variant's own agents are named by a hash in the real config (eval-3f2a…); the record names
 * them by role and target, so that two variants' configs diff by what differs.
 */
function nameAgentsByRole(config: Record<string, unknown>, agents: ReadonlyArray<{ name: string; target: { id: string } }>): Record<string, unknown> {
  const section = config.agent as Record<string, unknown> | undefined;
  if (section === undefined) return config;
  const renamed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(section)) {
    const own = agents.find((agent) => agent.name === name);
    renamed[own === undefined ? name : `<variant agent for target ${own.target.id}>`] = value;
  }
  return { ...config, agent: renamed };
}
