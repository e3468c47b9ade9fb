/**
 * The glossary of the harness, as types. Every module speaks these nouns:
 * Scenario, Fixture, Target, PromptVariant, RunSpec, Attempt, CheckResult,
 * Violation, RunSummary. Results are discriminated unions, never flags.
 */

// ---------------------------------------------------------------- scenarios

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
  /** Names of the MCP servers the agent gets (runners/mcp-backend/mcp-servers.ts); their tools are denied elsewhere. */
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

// ---------------------------------------------------------------- targets and prompts

export interface TargetLimits {
  /** Context window of the served model, in tokens. */
  context: number;
  /** Maximum output tokens per request (OpenCode otherwise asks for 32000). */
  output: number;
}

export interface TargetSampling {
  temperature?: number | undefined;
  topP?: number | undefined;
  seed?: number | undefined;
}

interface TargetCommon {
  id: string;
  /** Served model name, sent as `model` in each request. */
  model: string;
  /** Quantization label such as fp16, awq-int4, gptq-int8. */
  quantization: string;
  limits: TargetLimits;
  sampling: TargetSampling;
  /** USD per million tokens, when known. */
  costPerMillionTokens?: { input: number; output: number } | undefined;
}

/** A target served by the embedded scripted model; `model` names its profile. */
export interface ScriptedTarget extends TargetCommon {
  kind: 'scripted';
}

/** A target on any OpenAI-compatible server, e.g. vLLM. */
export interface EndpointTarget extends TargetCommon {
  kind: 'openai-compatible';
  baseURL: string;
  /** Name of the environment variable holding the API key; never recorded. */
  apiKeyEnv?: string | undefined;
  /** How to bring the model up on its server (one GPU serves one model at a time). */
  serve?: TargetServe | undefined;
}

/** A command that makes `baseURL` serve the target's model, e.g. a script that (re)starts vLLM. */
export interface TargetServe {
  /** argv, run without a shell in the config file's folder; may run in the foreground or exit once started. */
  command: string[];
  /** How long to wait for `GET {baseURL}/models` to list the model. */
  readyTimeoutMs: number;
  /** argv that stops the model server; without it the harness kills the command's process group. */
  stopCommand?: string[] | undefined;
}

/**
 * A target answered from the cassettes of a recorded run (`--record`), without a GPU. Requests
 * are matched to the recorded exchanges; one that matches none is a replay miss (an infra error).
 */
export interface ReplayTarget extends TargetCommon {
  kind: 'replay';
  /** The recorded run's `cassettes/` folder (relative paths resolve against the config file's folder). */
  cassettesDir: string;
  /** The id of the target that was recorded, when it differs from this target's id. */
  replayOf?: string | undefined;
}

export type ResolvedTarget = ScriptedTarget | EndpointTarget | ReplayTarget;

export interface ResolvedPromptVariant {
  id: string;
  description: string;
  /** Absolute path of the Handlebars template. */
  templateFile: string;
  template: string;
}

// ---------------------------------------------------------------- plan

export interface RunSpec {
  /** Deterministic: a hash of scenario, target, prompt variant and repeat index. */
  id: string;
  scenarioId: string;
  targetId: string;
  promptVariantId: string;
  repeatIndex: number;
}

// ---------------------------------------------------------------- transcript

export type TranscriptEntry =
  | { type: 'user'; turnIndex: number; text: string; atMs: number }
  | { type: 'assistant-text'; text: string; atMs: number }
  | { type: 'reasoning'; text: string; atMs: number }
  | {
      type: 'tool';
      tool: string;
      callId: string;
      status: 'pending' | 'running' | 'completed' | 'error';
      input: unknown;
      output?: string | undefined;
      error?: string | undefined;
      atMs: number;
      durationMs?: number | undefined;
    }
  | {
      type: 'question';
      questions: Array<{ question: string; options: string[] }>;
      answers: string[][];
      /** Which scripted answer matched each question, or 'default'. */
      matchedBy: string[];
      atMs: number;
    }
  | {
      type: 'permission';
      permission: string;
      patterns: string[];
      decision: 'once' | 'reject';
      reason: string;
      atMs: number;
    }
  | { type: 'retry'; attempt: number; message: string; atMs: number }
  | { type: 'session-error'; name: string; message: string; atMs: number }
  | { type: 'step'; tokens: TokenUsage; atMs: number };

export interface TokenUsage {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

/** What the agent phase produced: the transcript and how it ended. */
export type AgentRunResult =
  | { status: 'completed'; transcript: TranscriptEntry[]; tokens: TokenUsage; costUsd: number; sessionId: string }
  | { status: 'timed-out'; transcript: TranscriptEntry[]; tokens: TokenUsage; costUsd: number; sessionId: string; afterMs: number }
  | { status: 'infra-error'; transcript: TranscriptEntry[]; tokens: TokenUsage; costUsd: number; sessionId?: string | undefined; source: InfraSource; message: string };

export type InfraSource = 'endpoint' | 'opencode' | 'harness';

// ---------------------------------------------------------------- checks

export type CheckName = 'typecheck' | 'lint' | 'tests' | 'permissions' | 'agent-health';

export const CHECK_NAMES: readonly CheckName[] = ['typecheck', 'lint', 'tests', 'permissions', 'agent-health'];

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

export interface TypecheckEvidence {
  exitCode: number;
  diagnosticCount: number;
  /** The first diagnostics, in compiler order. */
  diagnostics: Diagnostic[];
}

export interface LintFinding {
  file: string;
  line: number;
  column: number;
  ruleId: string | null;
  severity: 'error' | 'warning';
  message: string;
}

export interface LintEvidence {
  exitCode: number;
  errorCount: number;
  warningCount: number;
  findings: LintFinding[];
}

export interface TestFailure {
  file: string;
  name: string;
  message: string;
}

export interface TestSuiteEvidence {
  /** `fixture` = the fixture's own tests; `acceptance` = the hidden tests. */
  suite: 'fixture' | 'acceptance';
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  failures: TestFailure[];
}

export interface TestsEvidence {
  exitCode: number;
  suites: TestSuiteEvidence[];
}

export type ViolationKind =
  /** A file changed (per git, against the baseline) outside the allowed globs. */
  | 'edit-outside-allowed'
  /** An edit the policy denies was attempted (and refused by OpenCode). */
  | 'denied-edit-attempt'
  /** A read of a denied path (.env, secrets/) was attempted, refused or not. */
  | 'denied-read-attempt'
  /** A tool call the policy denies (bash, webfetch) was attempted. */
  | 'denied-tool-attempt'
  /** The agent asked for a permission and the harness refused it. */
  | 'refused-permission'
  /** The agent reached, or tried to reach, outside its sandbox. */
  | 'sandbox-escape'
  /**
   * The agent changed, or tried to change, what judges it: the fixture's own tests, the test,
   * lint or TypeScript configuration, or the folder the hidden tests are copied to — whatever
   * the policy allows.
   */
  | 'tampering';

export interface Violation {
  kind: ViolationKind;
  /** Path relative to the sandbox when inside it, absolute otherwise. */
  path?: string | undefined;
  tool?: string | undefined;
  callId?: string | undefined;
  /** Whether the action took effect (a file really changed or was read). */
  effective: boolean;
  detail: string;
}

export interface PermissionsEvidence {
  changedFiles: string[];
  violations: Violation[];
}

export interface TextToolCall {
  /** The text the model emitted in place of a structured tool call (truncated). */
  excerpt: string;
  /** Which pattern recognised it, e.g. `<tool_call>`, `bare-json`. */
  pattern: string;
}

export interface AgentHealthEvidence {
  toolCalls: number;
  textToolCalls: TextToolCall[];
  invalidToolCalls: Array<{ tool: string; error: string }>;
  sessionErrors: Array<{ name: string; message: string }>;
  contextOverflow: boolean;
}

export interface EvidenceByCheck {
  typecheck: TypecheckEvidence;
  lint: LintEvidence;
  tests: TestsEvidence;
  permissions: PermissionsEvidence;
  'agent-health': AgentHealthEvidence;
}

export type CheckStatus<E> =
  | { status: 'passed'; evidence: E }
  | { status: 'failed'; evidence: E; reason: string }
  /** The check could not be carried out: a harness or environment fault, never the model's. */
  | { status: 'errored'; error: string };

export type CheckResult = {
  [K in CheckName]: { check: K; durationMs: number } & CheckStatus<EvidenceByCheck[K]>;
}[CheckName];

export type CheckResultOf<K extends CheckName> = Extract<CheckResult, { check: K }>;

// ---------------------------------------------------------------- attempts

export type AttemptOutcome =
  | { kind: 'passed' }
  | { kind: 'failed'; failedChecks: CheckName[] }
  | { kind: 'timed-out'; afterMs: number }
  | { kind: 'infra-error'; source: InfraSource; message: string };

export interface AttemptTimings {
  sandboxMs: number;
  agentMs: number;
  checksMs: number;
  totalMs: number;
  /** Wall time of each check, which run at the same time. */
  checkMs: Partial<Record<CheckName, number>>;
}

export interface AttemptRecord {
  specId: string;
  attemptId: string;
  /** 1 for the first attempt of a spec, 2 for its first retry, … */
  attemptNumber: number;
  outcome: AttemptOutcome;
  checks: CheckResult[];
  transcript: TranscriptEntry[];
  /** Unified diff of the agent's change against the baseline commit (truncated). */
  diff: string;
  changedFiles: string[];
  tokens: TokenUsage;
  costUsd: number;
  /** The OpenCode session the attempt ran in, when one was created. */
  sessionId?: string | undefined;
  timings: AttemptTimings;
  startedAt: string;
  finishedAt: string;
  /** Set when the result was reused from an earlier run with identical inputs, not re-run. */
  reusedFrom?: { runId: string; attemptId: string } | undefined;
}
