import path from 'node:path';
import { UserError } from '../../core/errors.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';

/**
 * The MCP servers the harness can give an agent, by the name the agent sees: OpenCode names a
 * server's tools `<name>_<tool>` (e.g. `backend_get_portfolios`). A scenario asks for one in its
 * `mcp` section; a closed set, so a typo in a scenario is a schema error, not a silent no-op.
 */
export const MCP_SERVER_NAMES = ['backend'] as const;

export type McpServerName = (typeof MCP_SERVER_NAMES)[number];

export function isMcpServerName(name: string): name is McpServerName {
  return (MCP_SERVER_NAMES as readonly string[]).includes(name);
}

/** What a server is started with: the fixture whose data it serves and the project's Node. */
export interface McpLaunchContext {
  /** Absolute path of the fixture the scenario runs on (the original, never the agent's sandbox). */
  fixtureDir: string;
  /** Absolute path of the Node binary that runs the server. */
  nodePath: string;
}

interface McpServerEntry {
  description: string;
  buildCommand(context: McpLaunchContext): string[];
}

const BACKEND_SERVER_FILE = path.join(PROJECT_ROOT, 'runners', 'endpoints', 'mcp-backend', 'mcp-backend-server.ts');

export const MCP_SERVERS: Record<McpServerName, McpServerEntry> = {
  backend: {
    description: 'the portfolio backend: portfolios with their target allocations, transactions, assets and quotes',
    buildCommand: ({ fixtureDir, nodePath }) => [nodePath, BACKEND_SERVER_FILE, '--fixture', fixtureDir],
  },
};

/** OpenCode 1.18.33's local MCP server config (`mcp.<name>` in its config; schema `McpLocalConfig`). */
export interface McpLocalConfig {
  type: 'local';
  command: string[];
  environment?: Record<string, string>;
  /** false: declared, but started only where the harness connects it (per sandbox directory). */
  enabled: boolean;
  /** Milliseconds for connecting and for each request; OpenCode's default is 5000. */
  timeout?: number;
}

/** One MCP server of a run: its name and how OpenCode starts it. */
export interface McpServerLaunch {
  name: McpServerName;
  config: McpLocalConfig;
}

/** Starting Node and the SDK on a loaded 2-core machine can take seconds: more than OpenCode's 5 s default. */
export const MCP_TIMEOUT_MS = 30_000;

/**
 * The OpenCode config of a server, declared but not enabled: OpenCode would otherwise start it
 * in every directory it opens. The harness connects it only in the sandboxes of the scenarios
 * that ask for it.
 */
export function buildMcpServerLaunch(name: McpServerName, context: McpLaunchContext): McpServerLaunch {
  return { name, config: { type: 'local', command: MCP_SERVERS[name].buildCommand(context), enabled: false, timeout: MCP_TIMEOUT_MS } };
}

/** What planning needs to know about a scenario that asks for MCP servers. */
export interface McpServerUser {
  id: string;
  file: string;
  mcpServers: readonly string[];
  /** Absolute path of the scenario's fixture. */
  fixtureDir: string;
}

/**
 * The MCP servers a run's OpenCode config declares: each server any planned scenario asks for,
 * once. OpenCode's config is per server process, so one name can serve one fixture per run.
 */
export function planMcpServers(users: readonly McpServerUser[], nodePath: string): McpServerLaunch[] {
  const launches = new Map<McpServerName, { launch: McpServerLaunch; by: McpServerUser }>();
  for (const user of users) {
    for (const name of user.mcpServers) {
      if (!isMcpServerName(name)) throw new UserError('SCENARIO_INVALID', `${user.file}: mcp.${name} is not an MCP server the harness knows (${MCP_SERVER_NAMES.join(', ')})`, { file: user.file });
      const existing = launches.get(name);
      if (existing === undefined) {
        launches.set(name, { launch: buildMcpServerLaunch(name, { fixtureDir: user.fixtureDir, nodePath }), by: user });
      } else if (existing.by.fixtureDir !== user.fixtureDir) {
        throw new UserError(
          'SCENARIO_INVALID',
          `${user.file}: mcp.${name} would serve fixture ${user.fixtureDir}, but scenario "${existing.by.id}" in the same run uses it for ${existing.by.fixtureDir}, and a run's OpenCode config holds one "${name}" server; run them separately (--scenario)`,
          { file: user.file },
        );
      }
    }
  }
  return [...launches.values()].map(({ launch }) => launch);
}
