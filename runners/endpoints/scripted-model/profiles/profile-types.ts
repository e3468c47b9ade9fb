import type { ScenarioScript, SubagentScript } from '../scenario-scripts.ts';
import type { WireFault } from '../wire-faults.ts';

/** A tool call as the model means it; the wire layer gives it an id and serializes the arguments. */
export interface ToolCallSpec {
  name: string;
  arguments: Record<string, unknown>;
}

/** The next model response. */
export type ProfileReply =
  | { kind: 'text'; text: string }
  | { kind: 'tool-calls'; calls: ToolCallSpec[] }
  /** Answer HTTP 500 with vLLM's internal-server-error body. */
  | { kind: 'server-error' }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  /** Render `reply` as usual, then serve it with a broken wire (runners/endpoints/scripted-model/wire-faults.ts). */
  | { kind: 'fault'; fault: WireFault; reply: ProfileReply };

/** Read-only access to the sandbox, so a profile can pick realistic targets. */
export interface SandboxView {
  /** Whether a regular file exists at this path relative to the sandbox root. */
  hasFile(relativePath: string): boolean;
  /** Files directly inside a folder relative to the sandbox root, sorted; [] when absent. */
  listFiles(relativeDir: string): string[];
  /** Lines of a file relative to the sandbox root; 0 when absent. */
  lineCount(relativePath: string): number;
}

export interface ProfileContext {
  /** The scenario the conversation's first user message belongs to, if one matched. */
  scenario: ScenarioScript | undefined;
  /** Set in a subagent's (child) session started by a reference `task` call: what it is to do. */
  subagent?: SubagentScript | undefined;
  /** The first user message, as sent (a child session's is its task prompt). */
  firstUserText?: string | undefined;
  /** Absolute sandbox path from OpenCode's `<env>` block, if found. */
  workingDirectory: string | undefined;
  /** 0 during the first user turn, 1 during the second, … */
  turnIndex: number;
  /** Tool rounds the assistant already made since the last user message. */
  stepIndex: number;
  sandbox: SandboxView;
  /** Names of the tools the request offers; undefined when not known (then every tool counts as offered). */
  offeredTools?: readonly string[] | undefined;
  /**
   * A deterministic draw in [0, 1) for this session and salt (seeded by the server's --seed
   * and the session's id), so that seeded profiles decide the same way for the same session.
   */
  draw: (salt: string) => number;
  /**
   * A deterministic draw in [0, 1) for the k-th session of this scenario under this served model
   * name (k counted by the server, in the order sessions first reach it) and salt, seeded by the
   * server's --seed: a run's draws per scenario are the same multiset whatever the session ids and
   * the order in which attempts run.
   */
  scenarioDraw: (salt: string) => number;
  /** How often a seeded profile writes a tool call as text instead of a structured call. */
  textToolCallRate: number;
  /**
   * The scripted server's own address (`http://127.0.0.1:PORT`): a service on the host, which
   * adversarial profiles try to reach from inside the sandbox.
   */
  serverOrigin?: string | undefined;
}

/** A pure function from the conversation so far to the next response: the server keeps no state. */
export type Profile = (context: ProfileContext) => ProfileReply;
