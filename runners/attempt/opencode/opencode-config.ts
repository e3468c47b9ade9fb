import type { ResolvedTarget } from '../../core/domain/target.ts';
import type { McpServerLaunch } from '../../inputs/mcp/mcp-servers.ts';
import { rulesToConfigPermission, type PermissionRule } from './permission-rules.ts';

/** An agent definition: one per distinct (rendered prompt, target, policy). */
export interface AgentSpec {
  name: string;
  prompt: string;
  target: ResolvedTarget;
  rules: PermissionRule[];
  /** Most model calls per user turn (OpenCode's agent `steps`); unlimited when absent. */
  steps?: number | undefined;
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

/**
 * The OpenCode config for one server: a provider per target with the vLLM traps closed
 * (output limit set so max_tokens is not 32000, temperature really sent), title generation
 * off, compaction off, one agent per rendered prompt, and the run's MCP servers (declared
 * disabled: the harness connects each only in the sandboxes of the scenarios that ask for it).
 */
export function buildOpencodeConfig(
  endpoints: readonly ProviderEndpoint[],
  agents: readonly AgentSpec[],
  mcpServers: readonly McpServerLaunch[] = [],
): Record<string, unknown> {
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
  const agent: Record<string, unknown> = { title: { disable: true } };
  for (const spec of agents) {
    agent[spec.name] = {
      mode: 'primary',
      model: `${providerIdOf(spec.target)}/${spec.target.model}`,
      prompt: spec.prompt,
      ...(spec.target.sampling.temperature === undefined ? {} : { temperature: spec.target.sampling.temperature }),
      ...(spec.target.sampling.topP === undefined ? {} : { top_p: spec.target.sampling.topP }),
      ...(spec.steps === undefined ? {} : { steps: spec.steps }),
      permission: rulesToConfigPermission(spec.rules),
    };
  }
  const first = endpoints[0];
  const defaultModel = first === undefined ? undefined : `${providerIdOf(first.target)}/${first.target.model}`;
  return {
    $schema: 'https://opencode.ai/config.json',
    enabled_providers: endpoints.map(({ target }) => providerIdOf(target)),
    provider,
    ...(defaultModel === undefined ? {} : { model: defaultModel, small_model: defaultModel }),
    agent,
    autoupdate: false,
    share: 'disabled',
    snapshot: false,
    compaction: { auto: false },
    ...(mcpServers.length === 0 ? {} : { mcp: Object.fromEntries(mcpServers.map((server) => [server.name, server.config])) }),
  };
}
