/** Scenarios and fixtures as the harness resolves them from `scenarios/` and `fixtures/`. */

/** An ordered permission policy for one kind of tool. Later rules win. */
export interface PathPolicy {
  /** Globs (relative to the sandbox root) the agent may touch. */
  allow: string[];
  /** Globs the agent must not touch, even when an allow glob matches. */
  deny: string[];
}

export type PermissionAction = 'allow' | 'deny';

export interface ScenarioPolicy {
  /** Edits (write/edit/patch): anything not allowed is denied. */
  edit: PathPolicy;
  /** Reads: anything not denied is allowed. */
  read: { deny: string[] };
  /** Shell: the default action and command patterns that override it. */
  bash: { default: PermissionAction; allow: string[] };
  webfetch: PermissionAction;
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
}

/** A tool call the scripted `reference` profile makes before writing a turn's files. */
export interface ReferenceToolCall {
  /** The tool's name as the model sees it: a built-in (`question`) or an MCP tool (`backend_get_portfolios`). */
  tool: string;
  arguments: Record<string, unknown>;
}

/** What the reference solution does in one user turn. */
export interface ReferenceTurn {
  /** Absolute path of the files written in this turn, laid out as in the sandbox. */
  dir: string;
  /** Tool calls made first, one round each. */
  calls: ReferenceToolCall[];
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
  /** Absolute path of the scenario file, for error messages. */
  file: string;
}

export interface ResolvedFixture {
  name: string;
  /** Absolute path of the fixture folder (with its installed node_modules). */
  dir: string;
  description: string;
}
