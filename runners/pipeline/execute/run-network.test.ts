import { describe, expect, it } from 'vitest';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import { DOCS_SITE_HOST } from '../../endpoints/docs-site/docs-site.ts';
import { allowsDocsSite, resolveAllowList, webAllowListOf } from './run-network.ts';

function scenarioWith(webfetch: ResolvedScenario['policy']['webfetch']): ResolvedScenario {
  return { policy: { webfetch } } as unknown as ResolvedScenario;
}

describe("a scenario's webfetch policy as the network applies it", () => {
  it('opens exactly the allow-list; a plain allow opens only the local docs site; deny opens nothing', () => {
    expect(webAllowListOf(scenarioWith({ allow: ['docs.*', 'api.example.test'] }))).toEqual(['docs.*', 'api.example.test']);
    expect(webAllowListOf(scenarioWith('allow'))).toEqual([DOCS_SITE_HOST]);
    expect(webAllowListOf(scenarioWith('deny'))).toEqual([]);
  });

  it('serves the docs site when a pattern covers its name, and sends its name there first', () => {
    expect(allowsDocsSite(scenarioWith({ allow: ['docs.*'] }))).toBe(true);
    expect(allowsDocsSite(scenarioWith({ allow: ['*.example.test'] }))).toBe(true);
    expect(allowsDocsSite(scenarioWith({ allow: ['api.example.test'] }))).toBe(false);
    expect(allowsDocsSite(scenarioWith('deny'))).toBe(false);
    expect(resolveAllowList(['docs.*', 'api.example.test'], 4100)).toEqual([
      { pattern: DOCS_SITE_HOST, port: undefined, upstream: { host: '127.0.0.1', port: 4100 } },
      { pattern: 'docs.*', port: undefined },
      { pattern: 'api.example.test', port: undefined },
    ]);
    expect(resolveAllowList([DOCS_SITE_HOST], undefined)).toEqual([]);
  });
});
