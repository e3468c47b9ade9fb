/** Scenarios and fixtures as the harness resolves them from `scenarios/` and `fixtures/`. */

/** An ordered permission policy for one kind of tool. Later rules win. */
export interface PathPolicy {
  /** Globs (relative to the sandbox root) the agent may touch. */
  allow: string[];
  /** Globs the agent must not touch, even when an allow glob matches. */
  deny: string[];
}

export type PermissionAction = 'allow' | 'deny';

/** webfetch: allowed, denied, or allowed only for the hosts an allow-list names (host patterns such as `docs.example.test`, `*.example.test`, `docs.*`). */
export type WebfetchPolicy = PermissionAction | { allow: string[] };

export interface ScenarioPolicy {
  /** Edits (write/edit/patch): anything not allowed is denied. */
  edit: PathPolicy;
  /** Reads: anything not denied is allowed. */
  read: { deny: string[] };
  /** Shell: the default action and command patterns that override it. */
  bash: { default: PermissionAction; allow: string[] };
  webfetch: WebfetchPolicy;
  /** Whether the agent may ask clarifying questions (answered from the script). */
  question: PermissionAction;
}

export interface ScriptedAnswer {
  /** Case-insensitive regular expression matched against the question text. */
  match: string;
  /** Answer given: an option label when one matches, otherwise free text. */
  answer: string;
}

export interface ScenarioTurn {
  text: string;
  /**
   * The agent the turn is sent to, as the platform's UI switches them: `build` (the variant's own
   * agent), `plan` (OpenCode's read-only planning agent; a change made in it is a violation) or a
   * primary agent the variant defines.
   */
  agent: string;
}

/** A tool call the scripted `reference` profile makes before writing a turn's files. */
export interface ReferenceToolCall {
  /** The tool's name as the model sees it: a built-in (`question`) or an MCP tool (`backend_get_portfolios`). */
  tool: string;
  arguments: Record<string, unknown>;
  /** `task` calls: what the subagent the call starts does (its tool calls, one round each, then its answer). */
  subagent?: { calls: Array<{ tool: string; arguments: Record<string, unknown> }>; answer: string } | undefined;
}

/** OpenCode features a scenario's reference must exercise; `harness validate` proves it did. */
export type ExercisedFeature = 'todos' | 'subagents' | 'compaction' | 'webfetch' | 'plan';
export const EXERCISED_FEATURES: readonly ExercisedFeature[] = ['todos', 'subagents', 'compaction', 'webfetch', 'plan'];

/** What the reference solution does in one user turn. */
export interface ReferenceTurn {
  /** Absolute path of the files written in this turn, laid out as in the sandbox; none when absent. */
  dir: string | undefined;
  /** Tool calls made first, one round each. */
  calls: ReferenceToolCall[];
  /** Plan the turn as a TODO list (one item per file) and tick each off as its file is written. */
  todos: boolean;
  /** Files (relative to the sandbox) read in full, page by page, before writing. */
  read: string[];
}

export interface ResolvedScenario {
  id: string;
  title: string;
  description: string;
  fixture: string;
  tags: string[];
  timeoutMs: number;
  turns: ScenarioTurn[];
  answers: ScriptedAnswer[];
  /** Given to a question no scripted answer matches. */
  defaultAnswer: string;
  policy: ScenarioPolicy;
  /** Absolute path of the scenario folder. */
  dir: string;
  /** Absolute path of the hidden acceptance tests (copied in after the agent). */
  hiddenTestsDir: string;
  /** Where, relative to the sandbox root, the hidden tests are copied. */
  hiddenTestsTarget: string;
  /** Absolute path of the reference solution: files laid out as in the sandbox (multi-turn: the folder of the turns' folders). */
  referenceDir: string;
  /** The reference solution turn by turn (at most one entry per user turn); later turns' files overwrite earlier ones. */
  referenceTurns: ReferenceTurn[];
  /** Names of the MCP servers the agent gets (runners/inputs/mcp/mcp-servers.ts); their tools are denied elsewhere. */
  mcpServers: string[];
  /** Wrong solutions the hidden tests must reject (absolute folders, laid out as in the sandbox). */
  counterexamples: Array<{ dir: string; why: string }>;
  /** The features the reference must exercise through the real OpenCode (checked by `harness validate`). */
  exercises: ExercisedFeature[];
  /** Typecheck, lint and the fixture's tests after every turn but the last (multi-turn scenarios). */
  checksAfterEachTurn: boolean;
  /** Absolute path of the scenario file, for error messages. */
  file: string;
}

export interface ResolvedFixture {
  name: string;
  /** Absolute path of the fixture folder (with its installed node_modules). */
  dir: string;
  description: string;
}
