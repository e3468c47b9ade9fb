import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import { OutputError, UserError } from '../../core/errors.ts';
import type { Redactor } from '../../core/redact.ts';
import { eventEnvelopeSchema, type HarnessEvent } from './event-types.ts';

export const EVENT_LOG_FILE = 'events.jsonl';

export interface EventLogWriter {
  readonly file: string;
  /** Appends and fsyncs one event; throws an OutputError when the disk refuses it (the log stays whole). */
  append(event: HarnessEvent): void;
  close(): void;
}

export interface OpenEventLogOptions {
  /** Added to the message of a failed append, e.g. the command that continues the run. */
  howToContinue?: string | undefined;
  /** Applied to every event before it is written: no known secret value ever reaches the log. */
  redactor?: Redactor | undefined;
}

/**
 * Opens a run's event log for appending. Each event is one JSON line, written and fsynced
 * before `append` returns, so a crash loses at most the line being written. When the disk
 * refuses a line (full, read-only, I/O error), the part of it that was written is cut off again,
 * so the log stays valid up to its last whole event, and `append` throws an OutputError — and
 * keeps throwing it: nothing is ever appended after a gap. With a redactor, every known secret
 * value in an event is replaced by `[redacted NAME]` first.
 */
export function openEventLog(runDir: string, options: OpenEventLogOptions = {}): EventLogWriter {
  const file = path.join(runDir, EVENT_LOG_FILE);
  let descriptor: number;
  try {
    descriptor = openSync(file, 'a');
  } catch (error) {
    throw new OutputError(`${file}: cannot open the event log for writing: ${describeIoError(error)}. ${FIX_HINT}`, { file, cause: error });
  }
  let size = fstatSync(descriptor).size;
  let events = 0;
  let closed = false;
  let failure: OutputError | undefined;
  return {
    file,
    append(event) {
      if (failure !== undefined) throw failure;
      if (closed) throw new Error(`event log ${file} is closed; cannot append ${event.type}`);
      const bytes = Buffer.from(JSON.stringify(options.redactor?.redactValue(event) ?? event) + '\n', 'utf8');
      try {
        writeFully(descriptor, bytes);
        fsyncSync(descriptor);
      } catch (error) {
        failure = new OutputError(describeAppendFailure({ file, event, error, events, howToContinue: options.howToContinue }), { file, cause: error });
        cutBackTo(descriptor, size);
        throw failure;
      }
      size += bytes.length;
      events += 1;
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(descriptor);
    },
  };
}

const FIX_HINT = 'Make the output folder writable or free space on its disk (or choose another one with --out).';

function writeFully(descriptor: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(descriptor, bytes, offset, bytes.length - offset);
}

/** Cuts a partly written line off again; best effort, since the disk is already failing. */
function cutBackTo(descriptor: number, size: number): void {
  try {
    ftruncateSync(descriptor, size);
    fsyncSync(descriptor);
  } catch {
    // A torn last line is still tolerated (and cut) by readers and by --resume.
  }
}

function describeAppendFailure(parts: { file: string; event: HarnessEvent; error: unknown; events: number; howToContinue: string | undefined }): string {
  const { file, event, error, events, howToContinue } = parts;
  return [
    `${file}: cannot append the ${event.type} event: ${describeIoError(error)}.`,
    `The run stopped; the log is valid up to its last whole event (${events} written by this process), and nothing recorded before is lost.`,
    FIX_HINT,
    howToContinue ?? '',
  ]
    .filter((part) => part !== '')
    .join(' ');
}

/** `ENOSPC: no space left on device` and the like, without a stack. */
export function describeIoError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
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
  if (events.length === 0) {
    throw new UserError('RUN_DIR_INVALID', `${file}: holds no whole event — the run stopped before it was recorded. Remove ${runDir} and start the run again (without --resume).`, { file });
  }
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
