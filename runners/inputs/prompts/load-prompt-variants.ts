import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ResolvedPromptVariant, VariantSettings, VariantTemplate } from '../../core/domain/variant.ts';
import { explainConfigIssue, type SchemaIssue } from '../config/explain-issues.ts';
import { readYamlFile } from '../config/read-yaml-file.ts';
import { UserError, formatIssues } from '../../core/errors.ts';
import { parseAgentDefinition, type AgentDefinition } from './agent-definition.ts';
import { parseJsonc } from './parse-jsonc.ts';
import { settingsError, validateVariantSettings } from './variant-settings.ts';

export const PROMPT_TEMPLATE_FILE = 'system.hbs';
export const PROMPT_META_FILE = 'variant.yaml';
export const INSTRUCTIONS_FILE = 'AGENTS.md';
export const AGENT_DEFINITION_FILE = 'agent.md';
export const SETTINGS_FILES = ['opencode.json', 'opencode.jsonc'] as const;

/** The files that make a folder a variant (any one of them). */
export const VARIANT_FILES = [PROMPT_TEMPLATE_FILE, INSTRUCTIONS_FILE, AGENT_DEFINITION_FILE, ...SETTINGS_FILES] as const;

const metaSchema = z.object({ description: z.string().default('') }).strict();

export function listPromptVariantIds(promptsDir: string): string[] {
  if (!existsSync(promptsDir)) return [];
  return readdirSync(promptsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && VARIANT_FILES.some((file) => existsSync(path.join(promptsDir, entry.name, file))))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Loads a variant folder: `system.hbs` (the agent's prompt), `AGENTS.md` (instructions),
 * `opencode.json` or `opencode.jsonc` (settings), `agent.md` (an agent definition in OpenCode's
 * markdown format), `variant.yaml` (a description). Each is validated; a problem is a UserError
 * naming the file, the key and the fix.
 */
export function loadPromptVariant(promptsDir: string, id: string): ResolvedPromptVariant {
  const dir = path.resolve(promptsDir, id);
  const present = VARIANT_FILES.filter((file) => isFile(path.join(dir, file)));
  if (present.length === 0) {
    const known = listPromptVariantIds(promptsDir);
    throw new UserError(
      'PROMPT_NOT_FOUND',
      `${dir}: no prompt variant "${id}". Known variants: ${known.join(', ') || '(none)'}. A variant is a folder with any of ${VARIANT_FILES.join(', ')}.`,
      { file: dir },
    );
  }
  const definition = readAgentDefinition(dir);
  const settings = mergeAgentDefinition(readSettings(dir), definition);
  return {
    id,
    description: readDescription(dir),
    dir,
    prompt: readPrompt(dir, definition),
    instructions: readTemplate(path.join(dir, INSTRUCTIONS_FILE)),
    settings,
    files: [...present, ...(isFile(path.join(dir, PROMPT_META_FILE)) ? [PROMPT_META_FILE] : [])],
  };
}

function readDescription(dir: string): string {
  const metaFile = path.join(dir, PROMPT_META_FILE);
  if (!existsSync(metaFile)) return '';
  const parsed = metaSchema.safeParse(readYamlFile(metaFile, 'PROMPT_INVALID') ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => explainConfigIssue(metaSchema, issue as SchemaIssue));
    throw new UserError('PROMPT_INVALID', formatIssues(metaFile, issues), { file: metaFile });
  }
  return parsed.data.description;
}

function readTemplate(file: string): VariantTemplate | undefined {
  return isFile(file) ? { file, template: readFileSync(file, 'utf8') } : undefined;
}

function readAgentDefinition(dir: string): (AgentDefinition & { file: string }) | undefined {
  const file = path.join(dir, AGENT_DEFINITION_FILE);
  if (!isFile(file)) return undefined;
  return { file, ...parseAgentDefinition(file, readFileSync(file, 'utf8')) };
}

/** system.hbs, or the body of agent.md; both at once is ambiguous. */
function readPrompt(dir: string, definition: (AgentDefinition & { file: string }) | undefined): VariantTemplate | undefined {
  const system = readTemplate(path.join(dir, PROMPT_TEMPLATE_FILE));
  if (definition === undefined || definition.body === '') return system;
  if (system !== undefined) {
    throw new UserError(
      'PROMPT_INVALID',
      `${definition.file}: has a prompt body, and ${system.file} is a prompt too; keep one (an agent.md with only front matter uses system.hbs)`,
      { file: definition.file },
    );
  }
  return { file: definition.file, template: definition.body };
}

function readSettings(dir: string): VariantSettings {
  const files = SETTINGS_FILES.map((name) => path.join(dir, name)).filter(isFile);
  if (files.length > 1) throw new UserError('PROMPT_INVALID', `${dir}: has both ${SETTINGS_FILES.join(' and ')}; keep one`, { file: files[0] });
  const file = files[0];
  if (file === undefined) return { agent: {}, instructions: [] };
  const parsed = parseJsonc(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new UserError('PROMPT_INVALID', `${file}:${parsed.line}:${parsed.column}: not valid JSON${file.endsWith('c') ? 'C' : ''}: ${parsed.message}`, { file });
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    throw new UserError('PROMPT_INVALID', `${file}: must be a JSON object of OpenCode settings, e.g. { "compaction": { "auto": false } }`, { file });
  }
  const validated = validateVariantSettings(parsed.value, dir);
  if ('issues' in validated) throw settingsError(file, validated.issues);
  return validated.settings;
}

/** agent.md's front matter tunes the variant's own agent (`build`), over the fragment's `agent.build`. */
function mergeAgentDefinition(settings: VariantSettings, definition: AgentDefinition | undefined): VariantSettings {
  if (definition === undefined) return settings;
  return { ...settings, agent: { ...settings.agent, build: { ...settings.agent.build, ...definition.settings } } };
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}
