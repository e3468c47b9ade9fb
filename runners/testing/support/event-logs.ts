import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EVENT_LOG_FILE } from '../../pipeline/events/event-log.ts';
import type { HarnessEvent } from '../../pipeline/events/event-types.ts';

/** Writes a run folder holding `events` as its event log (e.g. `buildRunEvents` of specs); returns the folder. */
export function writeEventLog(runDir: string, events: readonly HarnessEvent[]): string {
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path.join(runDir, EVENT_LOG_FILE), events.map((event) => `${JSON.stringify(event)}\n`).join(''));
  return runDir;
}

/** The whole events of a run's log (a torn last line is left out), whether one was torn, and the text. */
export function readLogLines(runDir: string): { events: HarnessEvent[]; torn: boolean; text: string } {
  const file = path.join(runDir, EVENT_LOG_FILE);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const events = lines.filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as HarnessEvent);
  return { events, torn: last !== '', text };
}

/** Run folders under an output folder, oldest first (run ids sort by start time). */
export function listRunDirs(outputDir: string): string[] {
  if (!existsSync(outputDir)) return [];
  return readdirSync(outputDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(outputDir, entry.name))
    .sort();
}
