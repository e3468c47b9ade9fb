import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { eventEnvelopeSchema, type HarnessEvent } from './event-types.ts';

export const EVENT_LOG_FILE = 'events.jsonl';

export interface EventLogWriter {
  readonly file: string;
  append(event: HarnessEvent): void;
  close(): void;
}

/**
 * Opens a run's event log for appending. Each event is one JSON line, written and
 * fsynced before `append` returns, so a crash loses at most the line being written.
 */
export function openEventLog(runDir: string): EventLogWriter {
  const file = path.join(runDir, EVENT_LOG_FILE);
  const descriptor = openSync(file, 'a');
  let closed = false;
  return {
    file,
    append(event) {
      if (closed) throw new Error(`event log ${file} is closed; cannot append ${event.type}`);
      writeSync(descriptor, JSON.stringify(event) + '\n');
      fsyncSync(descriptor);
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(descriptor);
    },
  };
}

export interface ReadEventLogResult {
  events: HarnessEvent[];
  /** Lines that could not be used, e.g. a torn last line after a crash. */
  problems: Array<{ line: number; reason: string }>;
}

/** Reads a run's event log back. A torn final line is reported, not fatal. */
export function readEventLog(runDir: string): ReadEventLogResult {
  const file = path.join(runDir, EVENT_LOG_FILE);
  if (!existsSync(file)) {
    throw new UserError('RUN_DIR_INVALID', `${runDir}: no ${EVENT_LOG_FILE} here; pass the folder of a run (e.g. runs/<run id>)`, { file });
  }
  const lines = readFileSync(file, 'utf8').split('\n');
  const events: HarnessEvent[] = [];
  const problems: ReadEventLogResult['problems'] = [];
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    const lineNumber = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const isLast = lines.slice(index + 1).every((rest) => rest.trim() === '');
      problems.push({ line: lineNumber, reason: isLast ? 'torn last line (the run was interrupted while writing it)' : 'not valid JSON' });
      return;
    }
    const envelope = eventEnvelopeSchema.safeParse(value);
    if (!envelope.success) {
      problems.push({ line: lineNumber, reason: `not a harness event of version 1: ${envelope.error.issues[0]?.message ?? ''}` });
      return;
    }
    events.push(value as HarnessEvent);
  });
  if (events[0]?.type !== 'run.started') {
    throw new UserError('RUN_DIR_INVALID', `${file}: the log must begin with a run.started event`, { file });
  }
  return { events, problems };
}

/**
 * Cuts a torn last line (a crash while writing it) so appended events start on a fresh line.
 * Returns the number of bytes removed.
 */
export function repairTornTail(runDir: string): number {
  const file = path.join(runDir, EVENT_LOG_FILE);
  if (!existsSync(file)) return 0;
  const bytes = readFileSync(file);
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return 0;
  const keep = bytes.lastIndexOf(0x0a) + 1;
  truncateSync(file, keep);
  return bytes.length - keep;
}
