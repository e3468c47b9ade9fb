import type { OpencodeClient } from '@opencode-ai/sdk/v2';

export type McpConnection = { status: 'connected' } | { status: 'failed'; message: string };

/**
 * Runs `use` with the named MCP servers connected in one directory's OpenCode instance, and
 * disconnects them afterwards: servers are declared disabled in the config, so only the
 * sandboxes of scenarios that ask for one start it, and a reused sandbox directory starts the
 * next attempt without it. A server that does not come up is a harness fault, reported through
 * `onFailure`, never the agent's.
 */
export async function withMcpServers<T>(
  client: OpencodeClient,
  directory: string,
  names: readonly string[],
  use: () => Promise<T>,
  onFailure: (message: string) => T,
): Promise<T> {
  if (names.length === 0) return use();
  try {
    const connection = await connectMcpServers(client, directory, names);
    if (connection.status === 'failed') return onFailure(connection.message);
    return await use();
  } finally {
    for (const name of names) await client.mcp.disconnect({ name, directory }).catch(() => undefined);
  }
}

/** Connects each server and checks OpenCode reports it connected. */
export async function connectMcpServers(client: OpencodeClient, directory: string, names: readonly string[]): Promise<McpConnection> {
  for (const name of names) {
    const connected = await client.mcp.connect({ name, directory });
    if (connected.error !== undefined) return { status: 'failed', message: `MCP server "${name}" could not be connected: ${JSON.stringify(connected.error).slice(0, 500)}` };
  }
  const status = await client.mcp.status({ directory });
  const servers: Record<string, { status: string; error?: string }> = status.data ?? {};
  for (const name of names) {
    const state = servers[name];
    if (state?.status !== 'connected') {
      const detail = state === undefined ? 'not listed' : `${state.status}${state.error === undefined ? '' : `: ${state.error}`}`;
      return { status: 'failed', message: `MCP server "${name}" did not start in ${directory} (${detail})` };
    }
  }
  return { status: 'connected' };
}
