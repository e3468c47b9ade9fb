import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import type { RunIsolation } from '../../core/domain/isolation.ts';
import type { McpServerLaunch } from '../../inputs/mcp/mcp-servers.ts';
import { confineCommand } from '../../platform/confinement/confinement.ts';
import { killGroup, registerChildGroup, unregisterChildGroup } from '../../platform/processes/child-registry.ts';

/**
 * MCP servers run OUTSIDE the agent's sandbox: their code and data (the portfolio backend under
 * runners/) are masked inside it. OpenCode starts a tiny relay as the server's command, which
 * connects to a port the sandbox's bridge forwards to a socket here; each connection starts the
 * real server, in a confinement of its own (no network, nothing writable).
 */

/** The relay OpenCode runs inside the sandbox: stdio ⇄ 127.0.0.1:<port> (argv[1]). */
const RELAY_SOURCE = [
  "const socket = require('net').connect(Number(process.argv[1]), '127.0.0.1');",
  'process.stdin.pipe(socket).pipe(process.stdout);',
  "socket.on('error', (error) => { process.stderr.write('MCP relay: ' + error.message + '\\n'); process.exit(1); });",
  "socket.on('close', () => process.exit(0));",
].join(' ');

/** The launch OpenCode's config declares under bubblewrap: the relay to `port`, same name and options. */
export function relayedMcpLaunch(launch: McpServerLaunch, port: number, nodePath: string): McpServerLaunch {
  return { ...launch, config: { ...launch.config, command: [nodePath, '-e', RELAY_SOURCE, String(port)] } };
}

export interface McpRelayHost {
  close(): Promise<void>;
}

/**
 * Serves one MCP server on a unix socket: each connection starts the real server (its command as
 * the run declares it), confined, and pipes the connection to its stdio. A connection when the
 * worker's current attempt did not ask for this server is closed at once.
 */
export async function startMcpRelayHost(options: { launch: McpServerLaunch; socketPath: string; isolation: RunIsolation; isWanted: () => boolean }): Promise<McpRelayHost> {
  const running = new Set<number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((connection) => {
    sockets.add(connection);
    connection.on('close', () => sockets.delete(connection));
    connection.on('error', () => connection.destroy());
    if (!options.isWanted()) {
      connection.destroy();
      return;
    }
    const contained = options.isolation.kind === 'bubblewrap';
    // Under bubblewrap, fd 3 is the server's lifeline (see lifelineGuard).
    const [file = '', ...args] = confineCommand(options.isolation, options.launch.config.command, { writable: [], masked: [], lifelineFd: contained ? 3 : undefined });
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'ignore', contained ? 'pipe' : 'ignore'], detached: true, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.launch.config.environment } });
    const { pid, stdin, stdout } = child;
    if (pid === undefined || stdin === null || stdout === null) {
      if (pid !== undefined) killGroup(pid, 'SIGKILL');
      connection.destroy();
      return;
    }
    registerChildGroup(pid);
    running.add(pid);
    connection.pipe(stdin);
    stdout.pipe(connection);
    stdin.on('error', () => connection.destroy());
    child.on('exit', () => {
      running.delete(pid);
      unregisterChildGroup(pid);
      connection.end();
    });
    connection.on('close', () => killGroup(pid, 'SIGKILL'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const pid of running) killGroup(pid, 'SIGKILL');
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
