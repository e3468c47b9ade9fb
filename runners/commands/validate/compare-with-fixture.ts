import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Whether a folder laid out as in the sandbox changes anything when copied over the fixture:
 * at least one of its files is new or differs from the fixture's file at the same path.
 */
export async function hasOwnFiles(dir: string, fixtureDir: string): Promise<boolean> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const [own, original] = await Promise.all([readFile(file), readFile(path.join(fixtureDir, path.relative(dir, file))).catch(() => undefined)]);
    if (original === undefined || !own.equals(original)) return true;
  }
  return false;
}
