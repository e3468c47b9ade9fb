import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now: the system picks it, it is released at once.
 * For a server the test starts itself, or for an endpoint that must refuse connections.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('the system gave no loopback port');
  return address.port;
}
