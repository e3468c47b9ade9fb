import type { ResolvedScenario, ScenarioPolicy } from '../../core/domain/scenario.ts';
import type { DenyOnlyPermission } from '../../core/domain/variant.ts';
import { MCP_SERVER_NAMES } from '../../inputs/mcp/mcp-servers.ts';

export type RuleAction = 'allow' | 'deny' | 'ask';
export interface PermissionRule {
  permission: string;
  pattern: string;
  action: RuleAction;
}

/** Tools never offered: there is no internet to search. (todowrite, task, question and skill stay as OpenCode ships them.) */
const ALWAYS_DENIED = ['websearch'] as const;

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
  // An allow-list is enforced by answering each ask: OpenCode's config takes no per-URL webfetch rules.
  rules.push({ permission: 'webfetch', pattern: '*', action: typeof policy.webfetch === 'string' ? policy.webfetch : 'ask' });
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
  const grouped = new Map<string, Map<string, RuleAction>>();
  for (const rule of rules) {
    const patterns = grouped.get(rule.permission) ?? new Map<string, RuleAction>();
    // A repeated pattern moves to the end: its later rule is the one that must come last.
    patterns.delete(rule.pattern);
    patterns.set(rule.pattern, rule.action);
    grouped.set(rule.permission, patterns);
  }
  const out: Record<string, RuleAction | Record<string, RuleAction>> = {};
  for (const [permission, patterns] of grouped) {
    const only = patterns.size === 1 ? [...patterns][0] : undefined;
    out[permission] = only !== undefined && only[0] === '*' ? only[1] : Object.fromEntries(patterns);
  }
  return out;
}

/**
 * A variant's denials as rules: its `permission` (deny-only) and its `tools` turned off, which
 * OpenCode itself turns into denials (write, edit and patch are all the `edit` permission).
 */
export function variantDenyRules(permission: DenyOnlyPermission | undefined, tools: Record<string, false> | undefined): PermissionRule[] {
  const rules: PermissionRule[] = [];
  for (const tool of Object.keys(tools ?? {})) {
    const name = tool === 'write' || tool === 'patch' ? 'edit' : tool;
    rules.push({ permission: name, pattern: '*', action: 'deny' });
  }
  for (const [name, value] of Object.entries(permission ?? {})) {
    if (value === 'deny') rules.push({ permission: name, pattern: '*', action: 'deny' });
    else for (const pattern of Object.keys(value)) rules.push({ permission: name, pattern, action: 'deny' });
  }
  return rules;
}
