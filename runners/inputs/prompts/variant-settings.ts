import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { VariantAgentSettings, VariantSettings } from '../../core/domain/variant.ts';
import { UserError } from '../../core/errors.ts';

/**
 * What a variant may set in its `opencode.json(c)` fragment and `agent.md` front matter: the
 * settings an OpenCode operator tunes. Everything that would break the harness's guarantees is
 * refused with the reason, so the file, the key and the why are named (exit 2).
 */

/** Keys a variant may never set, with why. */
const FORBIDDEN_TOP_LEVEL: Record<string, string> = {
  provider: 'names a provider or endpoint: the run\'s targets (harness.config.ts) decide where the model is served',
  model: 'names a model: the run\'s targets (harness.config.ts) decide which model runs',
  small_model: 'names a model: the run\'s targets (harness.config.ts) decide which model runs',
  enabled_providers: 'names providers: the run\'s targets (harness.config.ts) decide where the model is served',
  disabled_providers: 'names providers: the run\'s targets (harness.config.ts) decide where the model is served',
  mcp: 'starts MCP servers (processes, network): a scenario asks for the MCP servers it needs (scenario.yaml `mcp`)',
  plugin: 'loads plugins: code the harness neither pins nor confines',
  autoupdate: 'the harness pins OpenCode\'s version and keeps it offline',
  share: 'would publish sessions to the internet; the harness keeps sharing disabled',
  autoshare: 'would publish sessions to the internet; the harness keeps sharing disabled',
  server: 'configures OpenCode\'s server, which the harness runs and confines',
  lsp: 'starts language servers (downloads, processes) the harness does not confine',
  formatter: 'runs formatter commands after every edit, outside the scenario\'s policy',
  experimental: 'experimental switches change OpenCode\'s loop in ways the harness does not check',
  enterprise: 'points OpenCode at a remote service (network)',
  snapshot: 'the harness keeps OpenCode\'s snapshots off (it records the change with git itself)',
  watcher: 'the harness keeps OpenCode\'s file watcher off',
  username: 'the harness sets the environment OpenCode runs in',
};

const FORBIDDEN_AGENT_KEYS: Record<string, string> = {
  model: 'names a model: the run\'s targets (harness.config.ts) decide which model runs',
  options: 'passes raw options into the model request (provider, endpoint, sampling) behind the target\'s back',
  variant: 'selects a model variant: the run\'s targets decide the model',
  prompt: 'the prompt comes from system.hbs or the body of agent.md',
  maxSteps: 'use `steps`',
};

const INTERNAL_AGENTS: Record<string, string> = {
  title: 'an internal agent: the harness turns title generation off',
  compaction: 'an internal agent: compaction uses the session\'s model',
  summary: 'an internal agent',
};

const WIDER_PERMISSION =
  'would widen the scenario\'s policy: a variant may only deny (e.g. "todowrite": "deny" or { "src/legacy/**": "deny" }); what is allowed is the scenario\'s policy';

const deny = z.literal('deny', { error: WIDER_PERMISSION });
const denyOnlyPermission = z.record(z.string().min(1), z.union([deny, z.record(z.string().min(1), deny)], { error: WIDER_PERMISSION }));
const toolsOff = z.record(
  z.string().min(1),
  z.literal(false, { error: 'tools may only be turned off (false): what is on is OpenCode\'s default and the scenario\'s policy' }),
);

/** `agent.<name>` of the fragment, and `agent.md`'s front matter. */
export const agentSettingsSchema = z
  .object({
    description: z.string().min(1).optional(),
    mode: z.enum(['primary', 'subagent', 'all']).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    steps: z.number().int().min(1).max(1000).optional(),
    tools: toolsOff.optional(),
    permission: denyOnlyPermission.optional(),
    color: z.string().optional(),
    hidden: z.boolean().optional(),
    disable: z.boolean().optional(),
  })
  .strict();

const compactionSchema = z
  .object({
    auto: z.boolean().optional(),
    prune: z.boolean().optional(),
    tail_turns: z.number().int().min(0).optional(),
    preserve_recent_tokens: z.number().int().min(0).optional(),
    reserved: z.number().int().min(0).optional(),
  })
  .strict();

const fragmentSchema = z
  .object({
    $schema: z.string().optional(),
    agent: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be an agent name of letters, digits, "_" or "-"'), agentSettingsSchema).default({}),
    compaction: compactionSchema.optional(),
    instructions: z.array(z.string().min(1)).default([]),
    tools: toolsOff.optional(),
    permission: denyOnlyPermission.optional(),
  })
  .strict();

export const FRAGMENT_KEYS = Object.keys(fragmentSchema.shape).filter((key) => key !== '$schema');
export const AGENT_KEYS = Object.keys(agentSettingsSchema.shape);

/** The keys allowed at a path of the fragment, for an unknown-key message. */
function fragmentKeysAt(at: ReadonlyArray<string | number>): readonly string[] | undefined {
  if (at.length === 0) return FRAGMENT_KEYS;
  if (at[0] === 'agent' && at.length === 2) return AGENT_KEYS;
  if (at[0] === 'compaction' && at.length === 1) return ['auto', 'prune', 'tail_turns', 'preserve_recent_tokens', 'reserved'];
  return undefined;
}

export interface SettingsIssue {
  path: Array<string | number>;
  message: string;
}

/** Validates a parsed fragment; issues name the key and why. `variantDir` resolves `instructions`. */
export function validateVariantSettings(raw: unknown, variantDir: string): { settings: VariantSettings } | { issues: SettingsIssue[] } {
  const forbidden = findForbiddenKeys(raw);
  if (forbidden.length > 0) return { issues: forbidden };
  const parsed = fragmentSchema.safeParse(raw);
  if (!parsed.success) return { issues: parsed.error.issues.map((issue) => explainSettingsIssue(issue, fragmentKeysAt)) };
  const instructionIssues: SettingsIssue[] = [];
  const instructions = parsed.data.instructions.map((entry, index) => {
    const resolved = resolveInstruction(entry, variantDir);
    if ('issue' in resolved) instructionIssues.push({ path: ['instructions', index], message: resolved.issue });
    return 'file' in resolved ? resolved.file : '';
  });
  if (instructionIssues.length > 0) return { issues: instructionIssues };
  const roleIssues = Object.entries(parsed.data.agent).flatMap(([name, settings]) => checkAgentRole(name, settings as VariantAgentSettings).map((issue) => ({ ...issue, path: ['agent', name, ...issue.path] })));
  if (roleIssues.length > 0) return { issues: roleIssues };
  const { agent, compaction, tools, permission } = parsed.data;
  return { settings: { agent: agent as Record<string, VariantAgentSettings>, compaction, instructions, tools, permission } };
}

/** Validates `agent.md`'s front matter (the variant agent's settings). */
export function validateAgentFrontMatter(raw: unknown): { settings: VariantAgentSettings } | { issues: SettingsIssue[] } {
  if (raw === null || raw === undefined) return { settings: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { issues: [{ path: [], message: 'must be YAML key: value pairs between --- lines' }] };
  const forbidden = Object.keys(raw)
    .filter((key) => key in FORBIDDEN_AGENT_KEYS)
    .map((key) => ({ path: [key], message: `may not be set: it ${FORBIDDEN_AGENT_KEYS[key]}` }));
  if (forbidden.length > 0) return { issues: forbidden };
  const parsed = agentSettingsSchema.safeParse(raw);
  if (!parsed.success) return { issues: parsed.error.issues.map((issue) => explainSettingsIssue(issue, (at) => (at.length === 0 ? AGENT_KEYS : undefined))) };
  const roleIssues = checkAgentRole('build', parsed.data as VariantAgentSettings);
  if (roleIssues.length > 0) return { issues: roleIssues };
  return { settings: parsed.data as VariantAgentSettings };
}

const BUILT_IN_AGENTS = ['build', 'plan', 'general', 'explore'];

/**
 * What an agent's role allows: built-in agents keep their mode; the variant's own agent (`build`,
 * also `agent.md`) cannot be disabled; a custom agent says what it is for (the task tool shows it).
 */
function checkAgentRole(name: string, settings: VariantAgentSettings): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  if (BUILT_IN_AGENTS.includes(name) && settings.mode !== undefined) issues.push({ path: ['mode'], message: `may not be changed: "${name}" is a built-in agent with a fixed role` });
  if (name === 'build' && settings.disable === true) issues.push({ path: ['disable'], message: 'may not be set: "build" is the variant\'s own agent, which every turn uses unless it names another' });
  if (!BUILT_IN_AGENTS.includes(name) && settings.description === undefined) issues.push({ path: ['description'], message: 'is required for a custom agent: say what it is for (the task tool shows it to the model)' });
  return issues;
}

function findForbiddenKeys(raw: unknown): SettingsIssue[] {
  if (!isRecord(raw)) return [];
  const issues: SettingsIssue[] = [];
  for (const key of Object.keys(raw)) {
    if (key in FORBIDDEN_TOP_LEVEL) issues.push({ path: [key], message: `may not be set: it ${FORBIDDEN_TOP_LEVEL[key]}` });
  }
  const agents = raw.agent;
  if (isRecord(agents)) {
    for (const [name, settings] of Object.entries(agents)) {
      if (name in INTERNAL_AGENTS) issues.push({ path: ['agent', name], message: `may not be tuned: it is ${INTERNAL_AGENTS[name]}` });
      if (!isRecord(settings)) continue;
      for (const key of Object.keys(settings)) {
        if (key in FORBIDDEN_AGENT_KEYS) issues.push({ path: ['agent', name, key], message: `may not be set: it ${FORBIDDEN_AGENT_KEYS[key]}` });
      }
    }
  }
  return issues;
}

function resolveInstruction(entry: string, variantDir: string): { file: string } | { issue: string } {
  if (/^https?:\/\//i.test(entry)) return { issue: `"${entry}" is fetched over the network at every request; put the file in the variant folder instead` };
  const file = path.resolve(variantDir, entry);
  const relative = path.relative(variantDir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative) || entry.startsWith('~')) {
    return { issue: `"${entry}" points outside the variant folder (${variantDir}); give a path relative to it` };
  }
  if (!existsSync(file) || !statSync(file).isFile()) return { issue: `"${entry}" is not a file in the variant folder (${file})` };
  return { file };
}

interface ZodIssueLike {
  code?: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

function explainSettingsIssue(issue: ZodIssueLike, allowedAt: (at: ReadonlyArray<string | number>) => readonly string[] | undefined): SettingsIssue {
  const issuePath = issue.path.map((key) => (typeof key === 'number' ? key : String(key)));
  if (issue.code === 'unrecognized_keys' && issue.keys !== undefined) {
    const allowed = allowedAt(issuePath);
    const hint = allowed === undefined ? '' : `; allowed here: ${allowed.join(', ')}`;
    return { path: issuePath, message: `has unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => `"${key}"`).join(', ')}${hint}` };
  }
  return { path: issuePath, message: issue.message };
}

/** A UserError naming the file and each key with its problem. */
export function settingsError(file: string, issues: readonly SettingsIssue[]): UserError {
  const lines = issues.map((issue) => `${file}: ${formatKeyPath(issue.path)} ${issue.message}`);
  return new UserError('PROMPT_INVALID', lines.join('\n'), { file });
}

function formatKeyPath(keyPath: ReadonlyArray<string | number>): string {
  if (keyPath.length === 0) return '(root)';
  return keyPath.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
