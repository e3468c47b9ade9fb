import type { ResolvedTarget } from '../../core/domain/target.ts';
import { BUILT_IN_SUBAGENTS, PLAN_AGENT, isBuiltInAgent, type VariantAgentSettings, type VariantSettings } from '../../core/domain/variant.ts';
import type { McpServerLaunch } from '../../inputs/mcp/mcp-servers.ts';
import { rulesToConfigPermission, variantDenyRules, type PermissionRule } from './permission-rules.ts';

/** The variant's own agent for one target: the agent a `build` turn talks to. */
export interface AgentSpec {
  name: string;
  /** The rendered prompt; undefined keeps OpenCode's own prompt for the model. */
  prompt: string | undefined;
  target: ResolvedTarget;
  /** The variant's settings for its own agent (`agent.build` of the fragment, `agent.md`'s front matter). */
  settings: VariantAgentSettings;
  /** OpenCode's agent `steps`: the variant's, else the run's limit. */
  steps?: number | undefined;
}

/** What one OpenCode server's config is made of: a variant, a scenario's rules, and the variant's agent per target. */
export interface ServerProfile {
  /** A hash of everything below: servers with equal keys have equal configs. */
  key: string;
  variantId: string;
  settings: VariantSettings;
  /** The scenario's permission rules (policy and MCP servers). */
  rules: PermissionRule[];
  agents: AgentSpec[];
}

export interface ProviderEndpoint {
  target: ResolvedTarget;
  /** Where OpenCode sends the target's requests: the harness's model proxy. */
  baseURL: string;
  /** What OpenCode sends as the key: a placeholder (the model proxy adds the real one). */
  apiKey: string;
}

export function providerIdOf(target: ResolvedTarget): string {
  return `t-${target.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Agent keys a variant sets that go into OpenCode's config as they are. */
const PASSED_AGENT_KEYS = ['description', 'temperature', 'top_p', 'steps', 'color', 'hidden', 'disable'] as const;

/**
 * The OpenCode config for one server, merged in this order (documented in the README):
 *
 * 1. OpenCode's defaults (nothing written: todowrite, task, question and skill on, auto-compaction
 *    at OpenCode's threshold);
 * 2. the variant: its compaction settings, extra instructions, agent settings (steps,
 *    temperature, top_p, tools off), over the target's sampling;
 * 3. the harness's invariants: a provider per target (vLLM traps closed: output limit set so
 *    max_tokens is not 32000, temperature really sent), no title generation, no sharing, no
 *    autoupdate, no snapshots, the run's MCP servers (declared disabled; connected per scenario);
 * 4. the scenario's policy, last: the global `permission` and every agent's (build, plan,
 *    general, explore, the variant's agents), so that subagents obey it too. The variant may only
 *    add denials, kept after the policy; plan and explore never edit. A deny always wins.
 */
export function buildOpencodeConfig(
  endpoints: readonly ProviderEndpoint[],
  profile: Pick<ServerProfile, 'settings' | 'rules' | 'agents'>,
  mcpServers: readonly McpServerLaunch[] = [],
): Record<string, unknown> {
  const { settings, rules } = profile;
  const globalDenials = variantDenyRules(settings.permission, settings.tools);
  const permissionFor = (agent: VariantAgentSettings | undefined, pins: PermissionRule[] = []) =>
    rulesToConfigPermission([...rules, ...globalDenials, ...variantDenyRules(agent?.permission, agent?.tools), ...pins]);
  const readOnly: PermissionRule[] = [{ permission: 'edit', pattern: '*', action: 'deny' }];

  const agent: Record<string, unknown> = {};
  for (const spec of profile.agents) {
    const sampling = { temperature: spec.target.sampling.temperature, top_p: spec.target.sampling.topP };
    agent[spec.name] = compact({
      mode: 'primary',
      ...pickAgentKeys({ ...sampling, ...spec.settings }),
      model: `${providerIdOf(spec.target)}/${spec.target.model}`,
      prompt: spec.prompt,
      steps: spec.steps,
      permission: permissionFor(spec.settings),
    });
  }
  // OpenCode's own agents, and the variant's custom ones, under the same policy.
  agent.build = { ...pickAgentKeys(settings.agent.build ?? {}), permission: permissionFor(settings.agent.build) };
  agent[PLAN_AGENT] = { ...pickAgentKeys(settings.agent[PLAN_AGENT] ?? {}), permission: permissionFor(settings.agent[PLAN_AGENT], readOnly) };
  for (const name of BUILT_IN_SUBAGENTS) {
    const pins = name === 'explore' ? readOnly : [];
    agent[name] = { ...pickAgentKeys(settings.agent[name] ?? {}), permission: permissionFor(settings.agent[name], pins) };
  }
  for (const [name, custom] of Object.entries(settings.agent)) {
    if (isBuiltInAgent(name)) continue;
    agent[name] = compact({ mode: custom.mode ?? 'all', ...pickAgentKeys(custom), permission: permissionFor(custom) });
  }
  agent.title = { disable: true };

  return compact({
    $schema: 'https://opencode.ai/config.json',
    enabled_providers: endpoints.map(({ target }) => providerIdOf(target)),
    provider: buildProviders(endpoints),
    ...defaultModelOf(endpoints),
    agent,
    permission: rulesToConfigPermission([...rules, ...globalDenials]),
    compaction: settings.compaction,
    instructions: settings.instructions.length === 0 ? undefined : settings.instructions,
    autoupdate: false,
    share: 'disabled',
    snapshot: false,
    mcp: mcpServers.length === 0 ? undefined : Object.fromEntries(mcpServers.map((server) => [server.name, server.config])),
  });
}

function buildProviders(endpoints: readonly ProviderEndpoint[]): Record<string, unknown> {
  const provider: Record<string, unknown> = {};
  for (const { target, baseURL, apiKey } of endpoints) {
    const modelOptions: Record<string, unknown> = {};
    if (target.sampling.seed !== undefined) modelOptions.seed = target.sampling.seed;
    provider[providerIdOf(target)] = {
      npm: '@ai-sdk/openai-compatible',
      name: target.id,
      options: { baseURL, apiKey },
      models: {
        [target.model]: {
          name: target.model,
          tool_call: true,
          temperature: true,
          limit: { context: target.limits.context, output: target.limits.output },
          ...(target.costPerMillionTokens === undefined ? {} : { cost: target.costPerMillionTokens }),
          options: modelOptions,
        },
      },
    };
  }
  return provider;
}

function defaultModelOf(endpoints: readonly ProviderEndpoint[]): Record<string, string> {
  const first = endpoints[0];
  if (first === undefined) return {};
  const model = `${providerIdOf(first.target)}/${first.target.model}`;
  return { model, small_model: model };
}

function pickAgentKeys(settings: object): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  const values = settings as Record<string, unknown>;
  for (const key of PASSED_AGENT_KEYS) if (values[key] !== undefined) picked[key] = values[key];
  return picked;
}

/** Drops undefined values, so the config (and its hash) holds only what is set. */
function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
