import { explainHostPattern, matchesHostPattern } from '../../core/domain/host-patterns.ts';

/**
 * The hosts a sandbox may reach through the harness's proxy (a scenario's webfetch allow-list,
 * the local docs site). Everything else is refused and recorded.
 */

/**
 * One allowed host: a pattern (`docs.example.test`, `*.example.org` for its sub-domains, or an
 * IP address), an optional port (any when absent), and where requests for it really go (a local
 * site served by the harness; absent: the host itself).
 */
export interface AllowedHost {
  pattern: string;
  port?: number | undefined;
  upstream?: { host: string; port: number } | undefined;
}

/**
 * Parses allow-list entries as a scenario writes them: a host pattern (`docs.example.test`,
 * `*.example.test`, `docs.*` — see core/domain/host-patterns.ts), optionally with `:port`
 * (case-insensitive). Returns the reason for an entry that is none of these.
 */
export function parseAllowedHost(entry: string): AllowedHost | { error: string } {
  const match = /^([^:]*)(?::(\d{1,5}))?$/.exec(entry.trim().toLowerCase());
  const why = match === null ? 'has more than one ":"' : explainHostPattern(match[1] ?? '');
  if (match === null || why !== undefined) return { error: `"${entry}" is not a host pattern or host:port: it ${why ?? 'is malformed'}` };
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65_535)) return { error: `"${entry}" has no valid port` };
  return { pattern: match[1] ?? '', port };
}

/** The rule that lets `host:port` through, or undefined. */
export function findAllowedHost(allowed: readonly AllowedHost[], host: string, port: number): AllowedHost | undefined {
  const name = host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  return allowed.find((rule) => (rule.port === undefined || rule.port === port) && matchesHostPattern(rule.pattern, name));
}
