/**
 * Host patterns of a webfetch allow-list: dot-separated labels, where a `*` label stands for one
 * or more labels — `docs.example.test`, `*.example.test` (any sub-domain), `docs.*` (a `docs`
 * host under any domain). Matched against a URL's host name, case-insensitively, without port.
 */

const LABEL = /^(\*|[a-z0-9]([a-z0-9-]*[a-z0-9])?)$/;

/** Why the text is not a host pattern, or undefined when it is one. */
export function explainHostPattern(text: string): string | undefined {
  if (text !== text.trim() || text === '') return 'must be a host name pattern without spaces, e.g. "docs.example.test" or "*.example.test"';
  if (/[/:?#@]/.test(text)) return 'must be a host name only (no scheme, port or path), e.g. "docs.example.test" rather than "https://docs.example.test/"';
  if (text !== text.toLowerCase()) return 'must be lower-case, e.g. "docs.example.test"';
  const labels = text.split('.');
  if (labels.every((label) => label === '*')) return 'must name at least one label besides "*" (to allow every host, set `webfetch: allow`)';
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) return `has the label "${bad}", which is neither "*" nor letters, digits and inner hyphens`;
  return undefined;
}

export function matchesHostPattern(pattern: string, host: string): boolean {
  const source = pattern
    .split('.')
    .map((label) => (label === '*' ? '[a-z0-9-]+(?:\\.[a-z0-9-]+)*' : label.replace(/-/g, '\\-')))
    .join('\\.');
  return new RegExp(`^${source}$`).test(host.toLowerCase().replace(/\.$/, ''));
}

/** The host of an http(s) URL, or undefined when it is not one. */
export function hostOfUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** The first pattern of the allow-list that the URL's host matches, or undefined. */
export function findAllowingPattern(allow: readonly string[], url: string): string | undefined {
  const host = hostOfUrl(url);
  return host === undefined ? undefined : allow.find((pattern) => matchesHostPattern(pattern, host));
}
