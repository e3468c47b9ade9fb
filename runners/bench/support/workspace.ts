import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';

/** A folder of its own for a run: a config pointing at the project's scenarios, fixtures and prompts, and its runs. */

/**
 * Writes a config into `dir` (as `fileName`, default harness.config.ts) whose runs go to
 * `dir/runs` and whose scenarios, fixtures and prompts are the project's; `body` adds or overrides.
 */
export function writeConfig(dir: string, body: Record<string, unknown>, fileName = 'harness.config.ts'): string {
  const file = path.join(dir, fileName);
  const config = {
    outputDir: path.join(dir, 'runs'),
    scenariosDir: path.join(PROJECT_ROOT, 'scenarios'),
    fixturesDir: path.join(PROJECT_ROOT, 'fixtures'),
    promptsDir: path.join(PROJECT_ROOT, 'prompts'),
    ...body,
  };
  writeFileSync(file, `export default ${JSON.stringify(config, null, 2)};\n`);
  return file;
}

export function scriptedTarget(profile: string): Record<string, unknown> {
  return { kind: 'scripted', id: `scripted-${profile}`, model: profile, quantization: 'n/a' };
}

/** The single run folder under `outputDir`. */
export function onlyRunDir(outputDir: string): string {
  const entries = readdirSync(outputDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  if (entries.length !== 1 || entries[0] === undefined) throw new Error(`expected one run in ${outputDir}, found ${entries.join(', ')}`);
  return path.join(outputDir, entries[0]);
}

export function readSummary(runDir: string): RunSummary {
  return JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
}

