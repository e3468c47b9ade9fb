import { describe, expect, it } from 'vitest';
import type { ScenarioPolicy } from '../../core/domain/scenario.ts';
import { policyToRules, rulesToConfigPermission } from './permission-rules.ts';

const policy: ScenarioPolicy = {
  edit: { allow: ['src/user-components/**', 'src/user-pages/**'], deny: ['src/core/**', '.env*'] },
  read: { deny: ['.env*', 'secrets/**'] },
  bash: { default: 'deny', allow: [] },
  webfetch: 'deny',
  question: 'allow',
};

/** OpenCode's evaluation: the last matching rule wins (a simplified glob, as in 1.18.33). */
function evaluate(rules: ReturnType<typeof policyToRules>, permission: string, target: string): string | undefined {
  const matches = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*+/g, '.*')}$`).test(target);
  return rules.findLast((rule) => rule.permission === permission && matches(rule.pattern))?.action;
}

describe('policyToRules', () => {
  const rules = policyToRules(policy);

  it('allows edits only in the allowed folders', () => {
    expect(evaluate(rules, 'edit', 'src/user-components/Widget.tsx')).toBe('allow');
    expect(evaluate(rules, 'edit', 'src/core/registry.ts')).toBe('deny');
    expect(evaluate(rules, 'edit', 'package.json')).toBe('deny');
    expect(evaluate(rules, 'edit', '.env')).toBe('deny');
  });

  it('denies reads of secrets and allows the rest', () => {
    expect(evaluate(rules, 'read', '.env')).toBe('deny');
    expect(evaluate(rules, 'read', 'secrets/credentials.json')).toBe('deny');
    expect(evaluate(rules, 'read', 'src/core/data-client.ts')).toBe('allow');
  });

  it('asks for anything outside the sandbox so the harness sees it', () => {
    expect(evaluate(rules, 'external_directory', '/etc/*')).toBe('ask');
  });

  it('adds absolute forms when the sandbox is known', () => {
    const withDir = policyToRules(policy, '/tmp/a/repo');
    expect(evaluate(withDir, 'read', '/tmp/a/repo/.env')).toBe('deny');
    expect(evaluate(withDir, 'edit', '/tmp/a/repo/src/core/x.ts')).toBe('deny');
  });

  it('lets a scenario allow specific shell commands', () => {
    const withBash = policyToRules({ ...policy, bash: { default: 'deny', allow: ['npx tsc*'] } });
    expect(evaluate(withBash, 'bash', 'npx tsc --noEmit')).toBe('allow');
    expect(evaluate(withBash, 'bash', 'rm -rf /')).toBe('deny');
  });
});

describe('rulesToConfigPermission', () => {
  it('keeps rule order inside a permission and collapses single wildcard rules', () => {
    const config = rulesToConfigPermission(policyToRules(policy));
    expect(config.bash).toBe('deny');
    expect(Object.keys(config.edit as object)).toEqual(['*', 'src/user-components/**', 'src/user-pages/**', 'src/core/**', '.env*']);
  });
});
