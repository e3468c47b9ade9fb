import { parse as parseYaml } from 'yaml';
import type { VariantAgentSettings } from '../../core/domain/variant.ts';
import { UserError } from '../../core/errors.ts';
import { settingsError, validateAgentFrontMatter } from './variant-settings.ts';

/** `agent.md` in OpenCode's markdown agent format: YAML front matter between `---` lines, then the prompt. */
export interface AgentDefinition {
  settings: VariantAgentSettings;
  /** The body: the agent's prompt template (Handlebars); empty keeps OpenCode's own prompt. */
  body: string;
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

export function parseAgentDefinition(file: string, text: string): AgentDefinition {
  const match = FRONT_MATTER.exec(text);
  if (match === null) {
    if (text.startsWith('---')) throw new UserError('PROMPT_INVALID', `${file}: the front matter has no closing "---" line`, { file });
    return { settings: {}, body: text.trim() };
  }
  let raw: unknown;
  try {
    raw = parseYaml(match[1] ?? '');
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UserError('PROMPT_INVALID', `${file}: the front matter is not valid YAML: ${message}`, { file, cause: error });
  }
  const validated = validateAgentFrontMatter(raw);
  if ('issues' in validated) throw settingsError(file, validated.issues);
  return { settings: validated.settings, body: text.slice(match[0].length).trim() };
}
