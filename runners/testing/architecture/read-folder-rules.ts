import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FolderRule } from './import-rules.ts';

/**
 * The import rules declared in READMEs: a table under a heading `## Import rules` whose rows
 * are `| \`folder\` | \`may/import\`, \`another\` |` (paths from the repository root; `—` for
 * nothing). The README that describes a folder is where its rule lives, so the two cannot drift.
 */
export function parseFolderRules(readme: string, text: string): FolderRule[] {
  const section = text.split(/^## /m).find((part) => part.startsWith('Import rules'));
  if (section === undefined) return [];
  const rules: FolderRule[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4) continue;
    const folder = backticked(cells[1] ?? '')[0];
    if (folder === undefined) continue;
    rules.push({ folder, mayImport: backticked(cells[2] ?? ''), declaredIn: readme });
  }
  return rules;
}

function backticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((match) => (match[1] ?? '').replace(/\/$/, ''));
}

/** The rules of every README given (relative to `root`) that exists. */
export function readFolderRules(root: string, readmes: readonly string[]): FolderRule[] {
  return readmes.filter((readme) => existsSync(path.join(root, readme))).flatMap((readme) => parseFolderRules(readme, readFileSync(path.join(root, readme), 'utf8')));
}
