import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface SocketRelay {
  /** `http://127.0.0.1:<port>`: what the harness's clients use. */
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback port on the host relaying every connection to a unix socket: how the harness
 * reaches a server that listens only inside a sandbox's private network (OpenCode's API, which
 * the sandbox's bridge exposes on that socket).
 */
export async function startSocketRelay(socketPath: string): Promise<SocketRelay> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(socketPath);
    open.add(client);
    client.on('close', () => open.delete(client));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
