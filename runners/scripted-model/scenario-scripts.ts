import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedScenario } from '../domain.ts';

/** A file of a scenario's reference solution. */
export interface ReferenceFile {
  /** Path relative to the sandbox root, with `/` separators. */
  path: string;
  content: string;
}

/** What the profiles need from a scenario, read once when the server starts. */
export interface ScenarioScript {
  id: string;
  /** The user turns' texts, in order. */
  turns: string[];
  /** The reference solution, sorted by path. */
  referenceFiles: ReferenceFile[];
}

/** Reads every scenario's reference solution into memory. */
export function loadScenarioScripts(scenarios: readonly ResolvedScenario[]): ScenarioScript[] {
  return scenarios.map((scenario) => ({
    id: scenario.id,
    turns: scenario.turns.map((turn) => turn.text),
    referenceFiles: readReferenceFiles(scenario.referenceDir),
  }));
}

/**
 * Finds the scenario whose first turn the conversation starts with. OpenCode sends the
 * user text as is, but a prompt template may wrap it, so the turn only has to occur in the
 * message (whitespace-insensitive); when several do, the longest turn wins.
 */
export function matchScenario(scripts: readonly ScenarioScript[], firstUserText: string | undefined): ScenarioScript | undefined {
  if (firstUserText === undefined) return undefined;
  const message = normalizeWhitespace(firstUserText);
  let best: { script: ScenarioScript; length: number } | undefined;
  for (const script of scripts) {
    const firstTurn = normalizeWhitespace(script.turns[0] ?? '');
    if (firstTurn === '' || !message.includes(firstTurn)) continue;
    if (best === undefined || firstTurn.length > best.length) best = { script, length: firstTurn.length };
  }
  return best?.script;
}

function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function readReferenceFiles(referenceDir: string): ReferenceFile[] {
  const entries = readdirSync(referenceDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const absolute = path.join(entry.parentPath, entry.name);
      const relative = path.relative(referenceDir, absolute).split(path.sep).join('/');
      return { path: relative, content: readFileSync(absolute, 'utf8') };
    })
    .sort((left, right) => left.path.localeCompare(right.path));
}
