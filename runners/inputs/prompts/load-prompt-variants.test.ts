import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isUserError } from '../../core/errors.ts';
import { listPromptVariantIds, loadPromptVariant } from './load-prompt-variants.ts';
import { buildPromptVariables, renderInstructions, renderPrompt } from './render-prompt.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function variantFolder(files: Record<string, string>): { promptsDir: string; id: string } {
  const promptsDir = mkdtempSync(path.join(tmpdir(), 'variants-'));
  roots.push(promptsDir);
  const dir = path.join(promptsDir, 'tuned');
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return { promptsDir, id: 'tuned' };
}

function loadError(files: Record<string, string>): string {
  const { promptsDir, id } = variantFolder(files);
  try {
    loadPromptVariant(promptsDir, id);
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

const scenario = {
  id: 's',
  title: 'S',
  description: '',
  tags: [],
  policy: { edit: { allow: ['src/user-components/**'], deny: [] }, read: { deny: ['.env*'] }, bash: { default: 'deny', allow: [] }, webfetch: { allow: ['docs.example.test'] }, question: 'allow' },
} as unknown as ResolvedScenario;
const variables = buildPromptVariables(scenario, { name: 'app', dir: '/app', description: 'An app' });

describe('loadPromptVariant', () => {
  it('loads a folder with only system.hbs, as before', () => {
    const { promptsDir, id } = variantFolder({ 'system.hbs': 'Work in {{fixture.name}}.' });
    const variant = loadPromptVariant(promptsDir, id);
    expect(renderPrompt(variant, variables)).toBe('Work in app.\n');
    expect(variant.instructions).toBeUndefined();
    expect(variant.settings).toEqual({ agent: {}, instructions: [] });
  });

  it('loads AGENTS.md, an opencode.jsonc fragment and agent.md; agent.md tunes the build agent', () => {
    const { promptsDir, id } = variantFolder({
      'AGENTS.md': 'Fetch only from {{#each scenario.webfetchAllowedHosts}}{{this}}{{/each}}.',
      'opencode.jsonc': '{\n // tuned\n "compaction": { "auto": true, "prune": true },\n "instructions": ["notes/style.md"],\n "tools": { "skill": false },\n "agent": { "build": { "steps": 40 }, "explore": { "disable": true } },\n}',
      'notes/style.md': 'Prefer small components.',
      'agent.md': '---\ndescription: Platform assistant\ntemperature: 0.2\npermission:\n  bash: deny\n---\nYou customise {{fixture.name}}.',
    });
    const variant = loadPromptVariant(promptsDir, id);
    expect(listPromptVariantIds(promptsDir)).toEqual(['tuned']);
    expect(renderPrompt(variant, variables)).toBe('You customise app.\n');
    expect(renderInstructions(variant, variables)).toBe('Fetch only from docs.example.test.\n');
    expect(variant.settings.compaction).toEqual({ auto: true, prune: true });
    expect(variant.settings.instructions).toEqual([path.join(promptsDir, 'tuned', 'notes', 'style.md')]);
    expect(variant.settings.agent.build).toEqual({ steps: 40, description: 'Platform assistant', temperature: 0.2, permission: { bash: 'deny' } });
    expect(variant.settings.agent.explore).toEqual({ disable: true });
  });

  it('keeps OpenCode’s own prompt when there is neither system.hbs nor an agent.md body', () => {
    const { promptsDir, id } = variantFolder({ 'AGENTS.md': 'Be brief.' });
    expect(renderPrompt(loadPromptVariant(promptsDir, id), variables)).toBeUndefined();
  });

  it.each([
    ['a provider', { 'opencode.json': '{"provider": {}}' }, 'opencode.json: provider may not be set: it names a provider or endpoint'],
    ['an agent’s model', { 'opencode.json': '{"agent": {"build": {"model": "x/y"}}}' }, 'agent.build.model may not be set: it names a model'],
    ['MCP servers', { 'opencode.json': '{"mcp": {}}' }, 'mcp may not be set: it starts MCP servers'],
    ['plugins', { 'opencode.json': '{"plugin": ["x"]}' }, 'plugin may not be set: it loads plugins'],
    ['autoupdate', { 'opencode.json': '{"autoupdate": true}' }, 'autoupdate may not be set'],
    ['sharing', { 'opencode.json': '{"share": "auto"}' }, 'share may not be set: it would publish sessions'],
    ['a wider permission', { 'opencode.json': '{"permission": {"edit": {"src/**": "allow"}}}' }, 'permission.edit would widen the scenario\'s policy'],
    ['an agent’s wider permission', { 'agent.md': '---\npermission:\n  webfetch: ask\n---\n' }, 'agent.md: permission.webfetch would widen'],
    ['a tool turned on', { 'opencode.json': '{"tools": {"websearch": true}}' }, 'tools.websearch tools may only be turned off'],
    ['remote instructions', { 'opencode.json': '{"instructions": ["https://example.com/rules.md"]}' }, 'instructions[0] "https://example.com/rules.md" is fetched over the network'],
    ['instructions outside the folder', { 'opencode.json': '{"instructions": ["../secrets.md"]}' }, 'instructions[0] "../secrets.md" points outside the variant folder'],
    ['an internal agent', { 'opencode.json': '{"agent": {"title": {"disable": false}}}' }, 'agent.title may not be tuned'],
    ['a built-in agent’s mode', { 'opencode.json': '{"agent": {"plan": {"mode": "subagent"}}}' }, 'agent.plan.mode may not be changed'],
    ['a custom agent without a description', { 'opencode.json': '{"agent": {"reviewer": {"mode": "primary"}}}' }, 'agent.reviewer.description is required for a custom agent'],
    ['an unknown key', { 'opencode.json': '{"temprature": 0.1}' }, '(root) has unknown key "temprature"; allowed here: agent, compaction, instructions, tools, permission'],
    ['an unknown agent key', { 'opencode.json': '{"agent": {"build": {"stpes": 3}}}' }, 'agent.build has unknown key "stpes"; allowed here: description, mode'],
    ['JSONC that does not parse', { 'opencode.jsonc': '{\n  "compaction": {\n  "auto": false\n}' }, 'opencode.jsonc:4:2: not valid JSONC'],
    ['two settings files', { 'opencode.json': '{}', 'opencode.jsonc': '{}' }, 'has both opencode.json and opencode.jsonc; keep one'],
    ['a prompt body beside system.hbs', { 'system.hbs': 'A', 'agent.md': '---\ntemperature: 0\n---\nB' }, 'agent.md: has a prompt body, and'],
    ['agent.md without a closing ---', { 'agent.md': '---\ntemperature: 0\nBody' }, 'agent.md: the front matter has no closing "---" line'],
    ['agent.md disabling the variant’s agent', { 'agent.md': '---\ndisable: true\n---\n' }, 'agent.md: disable may not be set'],
  ])('refuses %s, naming the file, the key and why', (_name, files, message) => {
    expect(loadError(files as Record<string, string>)).toContain(message);
  });

  it('reports a malformed AGENTS.md template when it is rendered, naming the file', () => {
    const { promptsDir, id } = variantFolder({ 'AGENTS.md': '{{#each scenario.tags}}unclosed' });
    const variant = loadPromptVariant(promptsDir, id);
    expect(() => renderInstructions(variant, variables)).toThrow(/tuned\/AGENTS\.md: template error/);
  });

  it('finds no variant in a folder with none of the variant files', () => {
    const { promptsDir } = variantFolder({ 'notes.txt': 'x' });
    expect(listPromptVariantIds(promptsDir)).toEqual([]);
    expect(() => loadPromptVariant(promptsDir, 'tuned')).toThrow(/no prompt variant "tuned".*a folder with any of system\.hbs/);
  });
});
