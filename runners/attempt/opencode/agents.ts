import { createHash } from 'node:crypto';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import { providerIdOf, type AgentSpec } from './opencode-config.ts';
import { scenarioToRules } from './permission-rules.ts';

/** What one spec's agent is made of. */
export interface AgentRequest {
  specId: string;
  /** The rendered system prompt. */
  prompt: string;
  target: ResolvedTarget;
  scenario: Pick<ResolvedScenario, 'policy' | 'mcpServers'>;
  /** Most model calls per user turn; unlimited when absent. */
  steps?: number | undefined;
}

/** The OpenCode agents of a run: one per distinct (prompt, provider, rules, sampling), and which spec uses which. */
export interface AgentCatalog {
  agents: AgentSpec[];
  agentFor(specId: string): AgentSpec;
}

export function buildAgentCatalog(requests: readonly AgentRequest[]): AgentCatalog {
  const byName = new Map<string, AgentSpec>();
  const bySpec = new Map<string, AgentSpec>();
  for (const request of requests) {
    const rules = scenarioToRules(request.scenario);
    const name = `eval-${hash([request.prompt, providerIdOf(request.target), rules, request.target.sampling])}`;
    const agent = byName.get(name) ?? { name, prompt: request.prompt, target: request.target, rules, steps: request.steps };
    byName.set(name, agent);
    bySpec.set(request.specId, agent);
  }
  return {
    agents: [...byName.values()],
    agentFor(specId) {
      const agent = bySpec.get(specId);
      if (agent === undefined) throw new Error(`internal: no agent planned for spec ${specId}`);
      return agent;
    },
  };
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 10);
}
