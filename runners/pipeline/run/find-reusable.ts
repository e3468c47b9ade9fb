import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import { EVENT_LOG_FILE, readEventLog } from '../events/event-log.ts';
import type { RunStartedEvent } from '../events/event-types.ts';
import { finishedAttemptsBySpec } from './remaining-work.ts';

export interface ReusableAttempt {
  runId: string;
  attempt: AttemptRecord;
}

/**
 * Finds, for each spec, an earlier result with identical inputs (scenario and fixture content,
 * rendered prompt, target settings, OpenCode version, repeat index) in the runs under
 * `outputDir`, newest first. Infra errors are never reused.
 */
export function findReusableAttempts(outputDir: string, specInputs: Record<string, string>, excludeRunDir?: string): Map<string, ReusableAttempt> {
  const found = new Map<string, ReusableAttempt>();
  if (!existsSync(outputDir)) return found;
  const runDirs = readdirSync(outputDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(outputDir, entry.name, EVENT_LOG_FILE)))
    .map((entry) => path.join(outputDir, entry.name))
    .filter((dir) => dir !== excludeRunDir)
    .sort()
    .reverse();
  for (const runDir of runDirs) {
    let events;
    try {
      events = readEventLog(runDir).events;
    } catch {
      continue;
    }
    const started = events[0] as RunStartedEvent;
    const recordedInputs = started.fingerprints?.specInputs ?? {};
    for (const [specId, attempts] of finishedAttemptsBySpec(events)) {
      const last = attempts.at(-1);
      if (found.has(specId) || last === undefined || last.outcome.kind === 'infra-error') continue;
      if (specInputs[specId] !== undefined && recordedInputs[specId] === specInputs[specId]) {
        found.set(specId, { runId: last.reusedFrom?.runId ?? started.runId, attempt: last });
      }
    }
  }
  return found;
}
