import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts `server` listening (port 0 = a free one) and resolves with the port it got. */
export async function listenOnLoopback(server: Server, host = '127.0.0.1', port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
