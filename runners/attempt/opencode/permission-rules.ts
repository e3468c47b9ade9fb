import type { ResolvedScenario, ScenarioPolicy } from '../../core/domain/scenario.ts';
import { MCP_SERVER_NAMES } from '../../inputs/mcp/mcp-servers.ts';

export type RuleAction = 'allow' | 'deny' | 'ask';
export interface PermissionRule {
  permission: string;
  pattern: string;
  action: RuleAction;
}

/** Tools that only enlarge the prompt or invite off-task work; never offered. */
const ALWAYS_DENIED = ['skill', 'task', 'todowrite', 'websearch'] as const;

/**
 * Translates a scenario policy into OpenCode rules. OpenCode applies the LAST matching rule,
 * so each permission lists its general rule first and the specific ones after; denials come
 * last so they beat an overlapping allow. `sandboxDir`, when given, adds absolute-path forms.
 */
export function policyToRules(policy: ScenarioPolicy, sandboxDir?: string): PermissionRule[] {
  const rules: PermissionRule[] = [];
  const both = (pattern: string) => (sandboxDir === undefined ? [pattern] : [pattern, `${sandboxDir}/${pattern}`]);
  rules.push({ permission: 'edit', pattern: '*', action: 'deny' });
  for (const glob of policy.edit.allow) for (const pattern of both(glob)) rules.push({ permission: 'edit', pattern, action: 'allow' });
  for (const glob of policy.edit.deny) for (const pattern of both(glob)) rules.push({ permission: 'edit', pattern, action: 'deny' });
  rules.push({ permission: 'read', pattern: '*', action: 'allow' });
  for (const glob of policy.read.deny) for (const pattern of both(glob)) rules.push({ permission: 'read', pattern, action: 'deny' });
  rules.push({ permission: 'bash', pattern: '*', action: policy.bash.default });
  for (const command of policy.bash.allow) rules.push({ permission: 'bash', pattern: command, action: 'allow' });
  rules.push({ permission: 'webfetch', pattern: '*', action: policy.webfetch });
  rules.push({ permission: 'question', pattern: '*', action: policy.question });
  // Reaching outside the sandbox is asked, so the harness sees (and refuses) every attempt.
  rules.push({ permission: 'external_directory', pattern: '*', action: 'ask' });
  rules.push({ permission: 'doom_loop', pattern: '*', action: 'ask' });
  for (const permission of ALWAYS_DENIED) rules.push({ permission, pattern: '*', action: 'deny' });
  return rules;
}

/**
 * MCP tools (`<server>_<tool>`): allowed for the servers the scenario asks for, denied for every
 * other server the harness knows. A blanket deny also removes the tools from the model's tool
 * list, so a scenario without MCP never sees them, even in a directory where one is connected.
 */
export function mcpToRules(enabledServers: readonly string[]): PermissionRule[] {
  return MCP_SERVER_NAMES.map((name) => ({ permission: `${name}_*`, pattern: '*', action: enabledServers.includes(name) ? 'allow' : 'deny' }));
}

/** A scenario's rules: its policy, then its MCP servers. */
export function scenarioToRules(scenario: Pick<ResolvedScenario, 'policy' | 'mcpServers'>, sandboxDir?: string): PermissionRule[] {
  return [...policyToRules(scenario.policy, sandboxDir), ...mcpToRules(scenario.mcpServers)];
}

/**
 * The same rules in OpenCode's config form (`agent.<name>.permission`). A permission with a
 * single `*` rule becomes a plain action, which also removes a denied tool from the tool list.
 */
export function rulesToConfigPermission(rules: readonly PermissionRule[]): Record<string, RuleAction | Record<string, RuleAction>> {
  const grouped = new Map<string, Array<[string, RuleAction]>>();
  for (const rule of rules) {
    const list = grouped.get(rule.permission) ?? [];
    list.push([rule.pattern, rule.action]);
    grouped.set(rule.permission, list);
  }
  const out: Record<string, RuleAction | Record<string, RuleAction>> = {};
  for (const [permission, entries] of grouped) {
    const only = entries.length === 1 ? entries[0] : undefined;
    out[permission] = only !== undefined && only[0] === '*' ? only[1] : Object.fromEntries(entries);
  }
  return out;
}
