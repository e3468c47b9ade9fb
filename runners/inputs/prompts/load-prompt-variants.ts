import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ResolvedPromptVariant } from '../../core/domain/target.ts';
import { explainConfigIssue, type SchemaIssue } from '../config/explain-issues.ts';
import { readYamlFile } from '../config/read-yaml-file.ts';
import { UserError, formatIssues } from '../../core/errors.ts';

export const PROMPT_TEMPLATE_FILE = 'system.hbs';
export const PROMPT_META_FILE = 'variant.yaml';

const metaSchema = z.object({ description: z.string().default('') }).strict();

export function listPromptVariantIds(promptsDir: string): string[] {
  if (!existsSync(promptsDir)) return [];
  return readdirSync(promptsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(promptsDir, entry.name, PROMPT_TEMPLATE_FILE)))
    .map((entry) => entry.name)
    .sort();
}

export function loadPromptVariant(promptsDir: string, id: string): ResolvedPromptVariant {
  const dir = path.resolve(promptsDir, id);
  const templateFile = path.join(dir, PROMPT_TEMPLATE_FILE);
  if (!existsSync(templateFile)) {
    const known = listPromptVariantIds(promptsDir);
    throw new UserError(
      'PROMPT_NOT_FOUND',
      `${templateFile}: no prompt variant "${id}". Known variants: ${known.join(', ') || '(none)'}. A variant is a folder with a ${PROMPT_TEMPLATE_FILE} template.`,
      { file: templateFile },
    );
  }
  const metaFile = path.join(dir, PROMPT_META_FILE);
  let description = '';
  if (existsSync(metaFile)) {
    const parsed = metaSchema.safeParse(readYamlFile(metaFile, 'PROMPT_INVALID') ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => explainConfigIssue(metaSchema, issue as SchemaIssue));
      throw new UserError('PROMPT_INVALID', formatIssues(metaFile, issues), { file: metaFile });
    }
    description = parsed.data.description;
  }
  return { id, description, templateFile, template: readFileSync(templateFile, 'utf8') };
}
