import { describe, expect, it } from 'vitest';
import type { ScenarioPolicy } from '../../core/domain/scenario.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import type { VariantSettings } from '../../core/domain/variant.ts';
import { buildAgentCatalog } from './agents.ts';
import { buildOpencodeConfig } from './opencode-config.ts';
import { scenarioToRules } from './permission-rules.ts';

const policy: ScenarioPolicy = {
  edit: { allow: ['src/user-components/**'], deny: ['src/core/**'] },
  read: { deny: ['.env*'] },
  bash: { default: 'deny', allow: [] },
  webfetch: { allow: ['docs.example.test'] },
  question: 'allow',
};
const target: ResolvedTarget = { kind: 'scripted', id: 'ref', model: 'reference', quantization: 'n/a', limits: { context: 32768, output: 4096 }, sampling: { temperature: 0 } };
const endpoints = [{ target, baseURL: 'http://127.0.0.1:1/v1', apiKey: 'EMPTY' }];

function configFor(settings: VariantSettings, prompt: string | null = 'Be careful.') {
  const catalog = buildAgentCatalog([{ specId: 's1', variantId: 'v', settings, prompt: prompt ?? undefined, target, scenario: { policy, mcpServers: [] }, maxStepsPerTurn: 100 }]);
  const { profile, agent } = catalog.assignmentFor('s1');
  const config = buildOpencodeConfig(endpoints, profile, []) as { agent: Record<string, Record<string, unknown>>; permission: Record<string, unknown>; [key: string]: unknown };
  return { config, agentName: agent.name, catalog };
}

/** OpenCode's evaluation of a config permission: the last key whose pattern matches wins. */
function decide(permission: unknown, tool: string, target = 'x'): string | undefined {
  const rules = (permission as Record<string, unknown>)[tool];
  if (typeof rules === 'string') return rules;
  if (rules === undefined) return undefined;
  const matches = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*+/g, '.*')}$`).test(target);
  return Object.entries(rules as Record<string, string>).findLast(([pattern]) => matches(pattern))?.[1];
}

describe('buildOpencodeConfig: OpenCode defaults → variant → invariants → the scenario’s policy last', () => {
  it('keeps OpenCode’s defaults: todowrite, task, question and skill are not denied, auto-compaction is not turned off', () => {
    const { config } = configFor({ agent: {}, instructions: [] });
    for (const tool of ['todowrite', 'task', 'skill']) expect(decide(config.permission, tool)).toBeUndefined();
    expect(decide(config.permission, 'question')).toBe('allow');
    expect(decide(config.permission, 'websearch')).toBe('deny');
    expect(config.compaction).toBeUndefined();
  });

  it('writes the policy into the global permission and into every agent, so subagents obey it', () => {
    const { config, agentName } = configFor({ agent: {}, instructions: [] });
    for (const name of [agentName, 'build', 'plan', 'general', 'explore']) {
      const permission = config.agent[name]?.permission;
      expect(decide(permission, 'edit', 'src/core/x.ts'), name).toBe('deny');
      expect(decide(permission, 'read', '.env'), name).toBe('deny');
      expect(decide(permission, 'bash'), name).toBe('deny');
      expect(decide(permission, 'webfetch'), name).toBe('ask');
    }
    expect(decide(config.permission, 'edit', 'src/user-components/A.tsx')).toBe('allow');
    expect(decide(config.agent.general?.permission, 'edit', 'src/user-components/A.tsx')).toBe('allow');
  });

  it('keeps plan and explore read-only even where the policy allows edits', () => {
    const { config } = configFor({ agent: {}, instructions: [] });
    expect(decide(config.agent.plan?.permission, 'edit', 'src/user-components/A.tsx')).toBe('deny');
    expect(decide(config.agent.explore?.permission, 'edit', 'src/user-components/A.tsx')).toBe('deny');
  });

  it('applies the variant: tools off and denials after the policy (a deny wins), compaction, agent settings over the target’s sampling', () => {
    const { config, agentName } = configFor({
      agent: { build: { temperature: 0.3, steps: 12, permission: { edit: { 'src/user-components/legacy/**': 'deny' } } }, general: { tools: { webfetch: false } } },
      compaction: { auto: false },
      instructions: ['/prompts/v/rules.md'],
      tools: { todowrite: false, write: false },
    });
    const own = config.agent[agentName] ?? {};
    expect(own).toMatchObject({ mode: 'primary', temperature: 0.3, steps: 12, model: 't-ref/reference', prompt: 'Be careful.' });
    expect(decide(own.permission, 'edit', 'src/user-components/legacy/Old.tsx')).toBe('deny');
    // `write: false` turns off every edit tool (OpenCode's `edit` permission), after the policy's allow.
    expect(decide(config.permission, 'edit', 'src/user-components/A.tsx')).toBe('deny');
    expect(decide(config.permission, 'todowrite')).toBe('deny');
    expect(decide(config.agent.general?.permission, 'webfetch')).toBe('deny');
    expect(decide(config.agent.plan?.permission, 'webfetch')).toBe('ask');
    expect(config.compaction).toEqual({ auto: false });
    expect(config.instructions).toEqual(['/prompts/v/rules.md']);
  });

  it('keeps the harness’s invariants whatever the variant: providers, no title agent, no sharing or autoupdate', () => {
    const { config } = configFor({ agent: {}, instructions: [] }, null);
    expect(config).toMatchObject({ enabled_providers: ['t-ref'], model: 't-ref/reference', autoupdate: false, share: 'disabled', snapshot: false });
    expect(config.agent.title).toEqual({ disable: true });
    expect(Object.values(config.agent).some((agent) => 'prompt' in agent)).toBe(false);
  });

  it('gives specs of the same variant and policy one server profile, and another variant its own', () => {
    const settings: VariantSettings = { agent: {}, instructions: [] };
    const catalog = buildAgentCatalog([
      { specId: 'a', variantId: 'v', settings, prompt: 'P', target, scenario: { policy, mcpServers: [] } },
      { specId: 'b', variantId: 'v', settings, prompt: 'P', target, scenario: { policy, mcpServers: [] } },
      { specId: 'c', variantId: 'w', settings: { ...settings, compaction: { auto: false } }, prompt: 'P', target, scenario: { policy, mcpServers: [] } },
      { specId: 'd', variantId: 'v', settings, prompt: 'P', target, scenario: { policy, mcpServers: ['backend'] } },
    ]);
    const keyOf = (id: string) => catalog.assignmentFor(id).profile.key;
    expect(keyOf('a')).toBe(keyOf('b'));
    expect(new Set([keyOf('a'), keyOf('c'), keyOf('d')]).size).toBe(3);
    expect(catalog.profiles).toHaveLength(3);
    expect(scenarioToRules({ policy, mcpServers: ['backend'] }).at(-1)).toEqual({ permission: 'backend_*', pattern: '*', action: 'allow' });
  });

  it('stops a turn at the variant’s steps, but never later than the run’s limit', () => {
    const settings = (steps: number | undefined): VariantSettings => ({ agent: steps === undefined ? {} : { build: { steps } }, instructions: [] });
    const limitOf = (steps: number | undefined) =>
      buildAgentCatalog([{ specId: 'x', variantId: 'v', settings: settings(steps), prompt: 'P', target, scenario: { policy, mcpServers: [] }, maxStepsPerTurn: 50 }]).assignmentFor('x').maxStepsPerTurn;
    expect(limitOf(undefined)).toBe(50);
    expect(limitOf(10)).toBe(10);
    expect(limitOf(80)).toBe(50);
  });
});
