import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EVENT_LOG_FILE, readEventLog } from '../../runners/pipeline/events/event-log.ts';
import { summarizeRun } from '../../runners/pipeline/summary/summarize.ts';
import type { RunSummary } from '../../runners/pipeline/summary/summary-types.ts';
import { buildRunDigest, parseRunDigest, RUN_DIGEST_PATH, type RunDigest } from './run-digest.ts';

export interface RunHistoryEntry {
  runDir: string;
  digest: RunDigest;
}

export interface RunHistory {
  entries: RunHistoryEntry[];
  /** Folders that look like runs but could not be read, each with the reason. */
  problems: string[];
}

/**
 * Reads every run in an output folder: its digest when there is one, else a summary of its
 * event log (a run from before digests, or one whose reports were never written). Folders that
 * hold neither are not runs and are skipped; a run that cannot be read is named in `problems`,
 * never fatal — one damaged run must not stop the report of another.
 */
export function loadRunHistory(outputDir: string): RunHistory {
  const history: RunHistory = { entries: [], problems: [] };
  if (!existsSync(outputDir)) return history;
  for (const entry of readdirSync(outputDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const runDir = path.join(outputDir, entry.name);
    const digestFile = path.join(runDir, RUN_DIGEST_PATH);
    const digest = existsSync(digestFile) ? parseRunDigest(readFileSync(digestFile, 'utf8')) : null;
    if (digest !== null) {
      history.entries.push({ runDir, digest });
      continue;
    }
    if (!existsSync(path.join(runDir, EVENT_LOG_FILE))) continue;
    try {
      history.entries.push({ runDir, digest: buildRunDigest(loadRunSummary(runDir)) });
    } catch (error) {
      history.problems.push(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return history;
}

/** A run's summary, rebuilt from its event log (the source of truth). */
export function loadRunSummary(runDir: string): RunSummary {
  return summarizeRun(readEventLog(runDir).events);
}
