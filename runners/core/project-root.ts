import path from 'node:path';

/** The harness's own folder: `package.json`, the OpenCode binary, Node, scenarios, fixtures and prompts live here. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** A path inside the project, e.g. `projectPath('scenarios')`. */
export function projectPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}
