import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';

/** A file of a scenario's reference solution. */
export interface ReferenceFile {
  /** Path relative to the sandbox root, with `/` separators. */
  path: string;
  content: string;
}

/** What the reference solution does in one user turn. */
export interface ReferenceTurnScript {
  /** Tool calls made first, one round each, in the shape of a ToolCallSpec. */
  calls: Array<{ name: string; arguments: Record<string, unknown> }>;
  /** The files written in this turn, sorted by path. */
  files: ReferenceFile[];
  /** Plan the turn as a TODO list (one item per file), ticking each off as it is written. */
  todos?: boolean | undefined;
  /** Files (relative to the sandbox) read in full, page by page, before writing. */
  read?: string[] | undefined;
}

/** What a subagent started by one of the reference's `task` calls does, recognised by the call's prompt. */
export interface SubagentScript {
  prompt: string;
  calls: Array<{ name: string; arguments: Record<string, unknown> }>;
  answer: string;
}

/** What the profiles need from a scenario, read once when the server starts. */
export interface ScenarioScript {
  id: string;
  /** The user turns' texts, in order. */
  turns: string[];
  /** The reference solution's final state (every turn's files, later turns winning), sorted by path. */
  referenceFiles: ReferenceFile[];
  /**
   * The reference solution turn by turn; a turn without an entry is only acknowledged. Absent:
   * `referenceFiles` written in the first turn.
   */
  referenceTurns?: ReferenceTurnScript[] | undefined;
  /** The scenario's first counterexample (a wrong solution its hidden tests reject), if it declares one. */
  counterexampleFiles?: ReferenceFile[] | undefined;
  /** The subagents the reference's `task` calls start. */
  subagents?: SubagentScript[] | undefined;
}

/** Reads every scenario's reference solution into memory. */
export function loadScenarioScripts(scenarios: readonly ResolvedScenario[]): ScenarioScript[] {
  return scenarios.map((scenario) => {
    const referenceTurns = scenario.referenceTurns.map((turn) => ({
      calls: turn.calls.map((call) => ({ name: call.tool, arguments: call.arguments })),
      files: turn.dir === undefined ? [] : readReferenceFiles(turn.dir),
      todos: turn.todos,
      read: turn.read,
    }));
    const subagents = scenario.referenceTurns.flatMap((turn) =>
      turn.calls.flatMap((call) =>
        call.tool === 'task' && call.subagent !== undefined && typeof call.arguments.prompt === 'string'
          ? [{ prompt: call.arguments.prompt, calls: call.subagent.calls.map((inner) => ({ name: inner.tool, arguments: inner.arguments })), answer: call.subagent.answer }]
          : [],
      ),
    );
    const counterexample = scenario.counterexamples[0];
    return {
      id: scenario.id,
      turns: scenario.turns.map((turn) => turn.text),
      referenceFiles: mergeTurnFiles(referenceTurns),
      referenceTurns,
      counterexampleFiles: counterexample === undefined ? undefined : readReferenceFiles(counterexample.dir),
      subagents,
    };
  });
}

/** The files after every turn: a later turn's file replaces an earlier one at the same path. */
export function mergeTurnFiles(turns: readonly ReferenceTurnScript[]): ReferenceFile[] {
  const byPath = new Map<string, ReferenceFile>();
  for (const turn of turns) for (const file of turn.files) byPath.set(file.path, file);
  return [...byPath.values()].sort((left, right) => left.path.localeCompare(right.path));
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

/** The subagent a child session's first message (the `task` call's prompt) belongs to. */
export function matchSubagent(scripts: readonly ScenarioScript[], firstUserText: string | undefined): SubagentScript | undefined {
  if (firstUserText === undefined) return undefined;
  const message = normalizeWhitespace(firstUserText);
  for (const script of scripts) {
    const found = script.subagents?.find((subagent) => normalizeWhitespace(subagent.prompt) === message);
    if (found !== undefined) return found;
  }
  return undefined;
}

function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function readReferenceFiles(referenceDir: string): ReferenceFile[] {
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
