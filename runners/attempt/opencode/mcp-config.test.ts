import { describe, expect, it } from 'vitest';
import { isUserError } from '../../core/errors.ts';
import { MCP_TIMEOUT_MS, planMcpServers } from '../../inputs/mcp/mcp-servers.ts';
import { buildOpencodeConfig } from './opencode-config.ts';
import { mcpToRules, rulesToConfigPermission, scenarioToRules } from './permission-rules.ts';

const policy = {
  edit: { allow: ['src/user-components/**'], deny: ['src/core/**'] },
  read: { deny: ['.env*'] },
  bash: { default: 'deny' as const, allow: [] },
  webfetch: 'deny' as const,
  question: 'allow' as const,
};

/** OpenCode's evaluation: the last rule whose permission (a wildcard) matches the tool wins. */
function actionFor(rules: ReturnType<typeof scenarioToRules>, tool: string): string | undefined {
  const matches = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(tool);
  return rules.findLast((rule) => matches(rule.permission) && rule.pattern === '*')?.action;
}

describe('MCP tool permissions', () => {
  it('allow the tools of the scenario’s servers and deny (remove) every other known server’s', () => {
    expect(mcpToRules(['backend'])).toEqual([{ permission: 'backend_*', pattern: '*', action: 'allow' }]);
    expect(mcpToRules([])).toEqual([{ permission: 'backend_*', pattern: '*', action: 'deny' }]);
    expect(actionFor(scenarioToRules({ policy, mcpServers: [] }), 'backend_get_portfolios')).toBe('deny');
    expect(actionFor(scenarioToRules({ policy, mcpServers: ['backend'] }), 'backend_get_portfolios')).toBe('allow');
  });

  it('keep the policy’s own rules and come after them', () => {
    const rules = scenarioToRules({ policy, mcpServers: [] }, '/sandbox');
    expect(rules.at(-1)).toEqual({ permission: 'backend_*', pattern: '*', action: 'deny' });
    expect(rules.some((rule) => rule.permission === 'edit' && rule.pattern === '/sandbox/src/user-components/**')).toBe(true);
    expect(rulesToConfigPermission(rules)['backend_*']).toBe('deny');
  });
});

const EMPTY_PROFILE = { settings: { agent: {}, instructions: [] }, rules: [], agents: [] };

describe('the run’s MCP servers', () => {
  const user = (id: string, fixtureDir: string, mcpServers: string[] = ['backend']) => ({ id, file: `/scenarios/${id}/scenario.yaml`, mcpServers, fixtureDir });

  it('declares each server once, disabled, started by the project’s Node over the scenario’s fixture', () => {
    const launches = planMcpServers([user('a', '/fixtures/app'), user('b', '/fixtures/app'), user('c', '/fixtures/app', [])], '/node/bin/node');
    expect(launches).toHaveLength(1);
    expect(launches[0]).toMatchObject({ name: 'backend', config: { type: 'local', enabled: false, timeout: MCP_TIMEOUT_MS } });
    expect(launches[0]?.config.command).toEqual(['/node/bin/node', expect.stringMatching(/runners\/endpoints\/mcp-backend\/mcp-backend-server\.ts$/), '--fixture', '/fixtures/app']);
    expect(planMcpServers([user('c', '/fixtures/app', [])], '/node')).toEqual([]);
  });

  it('refuses one server for two fixtures in one run, and an unknown server, naming the scenario file', () => {
    const conflict = () => planMcpServers([user('a', '/fixtures/one'), user('b', '/fixtures/two')], '/node');
    expect(conflict).toThrow(/scenarios\/b\/scenario\.yaml: mcp\.backend would serve fixture \/fixtures\/two, but scenario "a" in the same run uses it for \/fixtures\/one.* run them separately/);
    try {
      planMcpServers([user('x', '/f', ['database'])], '/node');
      throw new Error('expected a UserError');
    } catch (error) {
      expect(isUserError(error) && error.message).toMatch(/mcp\.database is not an MCP server the harness knows \(backend\)/);
    }
  });

  it('goes into OpenCode’s config under `mcp`, and is absent when no scenario asks for one', () => {
    const endpoints = [{ target: { kind: 'scripted' as const, id: 'ref', model: 'reference', quantization: 'n/a', limits: { context: 32768, output: 4096 }, sampling: {} }, baseURL: 'http://127.0.0.1:1/v1', apiKey: 'placeholder' }];
    const launches = planMcpServers([user('a', '/fixtures/app')], '/node');
    expect(buildOpencodeConfig(endpoints, EMPTY_PROFILE, launches).mcp).toEqual({ backend: launches[0]?.config });
    expect('mcp' in buildOpencodeConfig(endpoints, EMPTY_PROFILE)).toBe(false);
  });
});
