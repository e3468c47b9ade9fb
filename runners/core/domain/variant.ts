/**
 * An agent variant: a folder `prompts/<variant>/` holding what an OpenCode operator tunes — the
 * agent's prompt (`system.hbs`, or the body of `agent.md`), instructions (`AGENTS.md`), agent
 * settings (`agent.md`'s front matter, an `opencode.json(c)` fragment) and compaction settings.
 * Every file is optional; a folder with none of them is not a variant.
 */

/** A permission a variant may set: only ever a denial, so it can narrow the scenario's policy, never widen it. */
export type DenyOnlyPermission = Record<string, 'deny' | Record<string, 'deny'>>;

/** Settings of one OpenCode agent a variant tunes (`agent.<name>` of the fragment, or `agent.md`'s front matter). */
export interface VariantAgentSettings {
  description?: string | undefined;
  /** Custom agents only: primary (a turn can name it), subagent (the task tool offers it) or all. */
  mode?: 'primary' | 'subagent' | 'all' | undefined;
  temperature?: number | undefined;
  top_p?: number | undefined;
  /** OpenCode's agent `steps` (a soft limit: at it the model is asked to answer in text). */
  steps?: number | undefined;
  /** Tools turned off for this agent (only `false`: what is on is OpenCode's default and the policy's). */
  tools?: Record<string, false> | undefined;
  permission?: DenyOnlyPermission | undefined;
  color?: string | undefined;
  hidden?: boolean | undefined;
  /** Removes a built-in subagent (general, explore) or plan. */
  disable?: boolean | undefined;
}

/** OpenCode's `compaction` settings. */
export interface VariantCompaction {
  auto?: boolean | undefined;
  prune?: boolean | undefined;
  tail_turns?: number | undefined;
  preserve_recent_tokens?: number | undefined;
  reserved?: number | undefined;
}

/** The validated `opencode.json` / `opencode.jsonc` fragment. */
export interface VariantSettings {
  /** By agent name: `build` (the variant's own agent), `plan`, `general`, `explore`, or a custom agent. */
  agent: Record<string, VariantAgentSettings>;
  compaction?: VariantCompaction | undefined;
  /** Extra instruction files: absolute paths inside the variant folder. */
  instructions: string[];
  /** Tools turned off for every agent. */
  tools?: Record<string, false> | undefined;
  /** Denials for every agent. */
  permission?: DenyOnlyPermission | undefined;
}

/** A Handlebars template read from a variant file. */
export interface VariantTemplate {
  /** Absolute path of the file, for error messages. */
  file: string;
  template: string;
}

export interface ResolvedPromptVariant {
  id: string;
  description: string;
  /** Absolute path of the variant folder. */
  dir: string;
  /**
   * The variant agent's prompt template: `system.hbs`, or the body of `agent.md`. Absent: the
   * agent keeps OpenCode's own prompt for the model (as the built-in build agent does).
   */
  prompt?: VariantTemplate | undefined;
  /** `AGENTS.md`, rendered per scenario and given to OpenCode as its global instructions file. */
  instructions?: VariantTemplate | undefined;
  /** The validated settings: the fragment, with `agent.md`'s front matter merged into `agent.build`. */
  settings: VariantSettings;
  /** The variant's files (relative paths), in the order they are read. */
  files: string[];
}

/** The name a scenario turn uses for the variant's own agent (OpenCode's Build role). */
export const BUILD_AGENT = 'build';
/** OpenCode's read-only planning agent. */
export const PLAN_AGENT = 'plan';
/** OpenCode's built-in subagents. */
export const BUILT_IN_SUBAGENTS = ['general', 'explore'] as const;

/** The primary agents a scenario turn may name with this variant: build, plan (unless disabled), and the variant's custom primary agents. */
export function listTurnAgents(variant: Pick<ResolvedPromptVariant, 'settings'>): string[] {
  const custom = Object.entries(variant.settings.agent)
    .filter(([name, agent]) => !isBuiltInAgent(name) && agent.disable !== true && (agent.mode === 'primary' || agent.mode === 'all' || agent.mode === undefined))
    .map(([name]) => name);
  const planDisabled = variant.settings.agent[PLAN_AGENT]?.disable === true;
  return [BUILD_AGENT, ...(planDisabled ? [] : [PLAN_AGENT]), ...custom];
}

export function isBuiltInAgent(name: string): boolean {
  return name === BUILD_AGENT || name === PLAN_AGENT || (BUILT_IN_SUBAGENTS as readonly string[]).includes(name);
}
