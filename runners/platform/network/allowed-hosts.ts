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
 * Parses allow-list entries as a scenario writes them: `host`, `*.domain` or `host:port`
 * (case-insensitive). Returns the reason for an entry that is none of these.
 */
export function parseAllowedHost(entry: string): AllowedHost | { error: string } {
  const match = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:(\d{1,5}))?$/i.exec(entry.trim());
  if (match === null) return { error: `"${entry}" is not a host name, *.domain or host:port` };
  const port = match[7] === undefined ? undefined : Number(match[7]);
  if (port !== undefined && (port < 1 || port > 65_535)) return { error: `"${entry}" has no valid port` };
  return { pattern: `${match[1] ?? ''}${(match[2] ?? '').toLowerCase()}`, port };
}

/** The rule that lets `host:port` through, or undefined. */
export function findAllowedHost(allowed: readonly AllowedHost[], host: string, port: number): AllowedHost | undefined {
  const name = host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  return allowed.find((rule) => (rule.port === undefined || rule.port === port) && matchesPattern(rule.pattern, name));
}

function matchesPattern(pattern: string, name: string): boolean {
  if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1;
  return name === pattern;
}
