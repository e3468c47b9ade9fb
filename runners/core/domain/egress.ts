/** Connections the containment refused, as recorded on the way out of a sandbox. */

/**
 * How a refused connection was seen:
 * - `proxy` — a client that honours the proxy variables (curl, webfetch, Bun, Node with
 *   NODE_USE_ENV_PROXY) asked the harness's proxy for a host off the allow-list;
 * - `dns` — a client that ignores them looked up a name (the sandbox's only resolver is the harness);
 * - `connection` — a direct connection to an address (raw sockets, `/dev/tcp`, static binaries),
 *   refused by the kernel and seen by the sandbox's connection tracker.
 */
export type EgressVia = 'proxy' | 'dns' | 'connection';

export interface EgressAttempt {
  /** When it happened (ISO 8601, the host clock: the same clock as the transcript's times). */
  at: string;
  via: EgressVia;
  /** The name asked for (proxy, dns) or the address connected to. */
  host: string;
  /** The port; undefined for a name lookup. */
  port?: number | undefined;
  protocol: 'tcp' | 'udp' | 'http' | 'https' | 'dns';
  /** e.g. `GET /path` for a proxied request. */
  detail?: string | undefined;
}

/** `host:port`, or the host alone for a name lookup (IPv6 addresses in brackets). */
export function describeEgressTarget(attempt: Pick<EgressAttempt, 'host' | 'port'>): string {
  const host = attempt.host.includes(':') ? `[${attempt.host}]` : attempt.host;
  return attempt.port === undefined ? host : `${host}:${attempt.port}`;
}
