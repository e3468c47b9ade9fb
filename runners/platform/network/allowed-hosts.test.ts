import { describe, expect, it } from 'vitest';
import { findAllowedHost, parseAllowedHost, type AllowedHost } from './allowed-hosts.ts';

describe('allow-list entries', () => {
  it('parse a host, a *.domain and a host:port, case-insensitively', () => {
    expect(parseAllowedHost('Docs.Example.TEST')).toEqual({ pattern: 'docs.example.test', port: undefined });
    expect(parseAllowedHost('*.example.org')).toEqual({ pattern: '*.example.org', port: undefined });
    expect(parseAllowedHost('api.example.org:8443')).toEqual({ pattern: 'api.example.org', port: 8443 });
    expect(parseAllowedHost('docs.*')).toEqual({ pattern: 'docs.*', port: undefined });
  });

  it.each(['', 'http://example.org', 'example.org/path', '*', 'a..b', 'host:0', 'host:70000', 'exa mple.org'])('refuse %j with a reason', (entry) => {
    expect(parseAllowedHost(entry)).toMatchObject({ error: expect.any(String) });
  });
});

describe('matching', () => {
  const allowed: AllowedHost[] = [{ pattern: 'docs.example.test' }, { pattern: '*.example.org' }, { pattern: 'api.example.net', port: 443 }];

  it('lets through exactly the listed hosts, sub-domains of a *.domain, and a port where one is named', () => {
    expect(findAllowedHost(allowed, 'DOCS.example.test.', 80)).toBe(allowed[0]);
    expect(findAllowedHost(allowed, 'a.b.example.org', 8080)).toBe(allowed[1]);
    expect(findAllowedHost(allowed, 'api.example.net', 443)).toBe(allowed[2]);
  });

  it('reads a scenario pattern as the policy does: `docs.*` is a docs host under any domain', () => {
    const docs: AllowedHost[] = [{ pattern: 'docs.*' }];
    expect(findAllowedHost(docs, 'docs.example.test', 80)).toBe(docs[0]);
    expect(findAllowedHost(docs, 'docs.python.org', 443)).toBe(docs[0]);
    expect(findAllowedHost(docs, 'api.docs.example.test', 80)).toBeUndefined();
    expect(findAllowedHost(docs, 'docs', 80)).toBeUndefined();
  });

  it('refuses everything else: look-alikes, the bare domain of a *.domain, another port', () => {
    expect(findAllowedHost(allowed, 'docs.example.test.evil.org', 80)).toBeUndefined();
    expect(findAllowedHost(allowed, 'evildocs.example.test', 80)).toBeUndefined();
    expect(findAllowedHost(allowed, 'example.org', 80)).toBeUndefined();
    expect(findAllowedHost(allowed, 'notexample.org', 80)).toBeUndefined();
    expect(findAllowedHost(allowed, 'api.example.net', 80)).toBeUndefined();
    expect(findAllowedHost([], 'docs.example.test', 80)).toBeUndefined();
  });
});
