import { createHash } from 'node:crypto';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import { BUILD_AGENT, type VariantSettings } from '../../core/domain/variant.ts';
import { providerIdOf, type AgentSpec, type ServerProfile } from './opencode-config.ts';
import { scenarioToRules } from './permission-rules.ts';

/** What one spec's agent is made of. */
export interface AgentRequest {
  specId: string;
  variantId: string;
  settings: VariantSettings;
  /** The rendered prompt; undefined keeps OpenCode's own prompt. */
  prompt: string | undefined;
  target: ResolvedTarget;
  scenario: Pick<ResolvedScenario, 'policy' | 'mcpServers'>;
  /** The run's hard limit of model calls per turn. */
  maxStepsPerTurn?: number | undefined;
}

/** Where a spec runs: the server profile (its OpenCode config) and the variant's agent for its target. */
export interface AgentAssignment {
  profile: ServerProfile;
  agent: AgentSpec;
  /** The hard step limit the harness enforces: the agent's steps, at most the run's limit. */
  maxStepsPerTurn: number | undefined;
}

/** The OpenCode configs of a run — one per (variant, scenario rules) — and which spec uses which. */
export interface AgentCatalog {
  profiles: ServerProfile[];
  assignmentFor(specId: string): AgentAssignment;
}

export function buildAgentCatalog(requests: readonly AgentRequest[]): AgentCatalog {
  const drafts = new Map<string, { variantId: string; settings: VariantSettings; rules: ServerProfile['rules']; agents: Map<string, AgentSpec> }>();
  const bySpec = new Map<string, { draftKey: string; agentName: string; maxStepsPerTurn: number | undefined }>();
  for (const request of requests) {
    const rules = scenarioToRules(request.scenario);
    const draftKey = hash([request.variantId, request.settings, rules]);
    const draft = drafts.get(draftKey) ?? { variantId: request.variantId, settings: request.settings, rules, agents: new Map() };
    drafts.set(draftKey, draft);
    const settings = request.settings.agent[BUILD_AGENT] ?? {};
    const steps = settings.steps ?? request.maxStepsPerTurn;
    const name = `eval-${hash([request.prompt, providerIdOf(request.target), request.target.sampling, settings])}`;
    if (!draft.agents.has(name)) draft.agents.set(name, { name, prompt: request.prompt, target: request.target, settings, steps });
    const hardLimit = request.maxStepsPerTurn === undefined ? steps : Math.min(steps ?? request.maxStepsPerTurn, request.maxStepsPerTurn);
    bySpec.set(request.specId, { draftKey, agentName: name, maxStepsPerTurn: hardLimit });
  }
  const profilesByDraft = new Map<string, ServerProfile>();
  for (const [draftKey, draft] of drafts) {
    const agents = [...draft.agents.values()];
    const key = hash([draft.variantId, draft.settings, draft.rules, agents.map((agent) => [agent.name, agent.target.id])]);
    profilesByDraft.set(draftKey, { key, variantId: draft.variantId, settings: draft.settings, rules: draft.rules, agents });
  }
  return {
    profiles: [...profilesByDraft.values()],
    assignmentFor(specId) {
      const entry = bySpec.get(specId);
      const profile = entry === undefined ? undefined : profilesByDraft.get(entry.draftKey);
      const agent = profile?.agents.find((candidate) => candidate.name === entry?.agentName);
      if (entry === undefined || profile === undefined || agent === undefined) throw new Error(`internal: no agent planned for spec ${specId}`);
      return { profile, agent, maxStepsPerTurn: entry.maxStepsPerTurn };
    },
  };
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 10);
}
