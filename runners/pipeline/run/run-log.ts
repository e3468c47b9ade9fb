import { accessSync, constants, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { OutputError, isOutputError } from '../../core/errors.ts';
import type { Redactor } from '../../core/redact.ts';
import { describeIoError, openEventLog, repairTornTail, type EventLogWriter } from '../events/event-log.ts';
import type { HarnessEvent, RunStartedEvent } from '../events/event-types.ts';

/**
 * What a run writes, with every disk failure (read-only folder, full disk) turned into an
 * OutputError that names the file and says how to continue — never a stack trace.
 */

export const FIX_HINT = 'Make the output folder writable or free space on its disk, or choose another one with --out.';

/** Called when the log refuses an event during the run; the CLI stops the run there. */
export type OutputFailureHandler = (error: OutputError) => void;

/**
 * Creates the run folder and its log and records `run.started`. When that fails, nothing is left
 * behind (a folder without a whole first event could not be resumed anyway).
 */
export function startRunLog(runDir: string, started: RunStartedEvent, howToContinue: string, redactor?: Redactor): EventLogWriter {
  try {
    mkdirSync(runDir, { recursive: true });
  } catch (error) {
    throw new OutputError(`${runDir}: cannot create the run folder: ${describeIoError(diagnoseMkdir(runDir, error))}. Nothing ran. ${FIX_HINT}`, { file: runDir, cause: error });
  }
  let log: EventLogWriter | undefined;
  try {
    log = openEventLog(runDir, { howToContinue, redactor });
    log.append(started);
    return log;
  } catch (error) {
    log?.close();
    removeQuietly(runDir);
    if (!isOutputError(error)) throw error;
    const cause = error.cause ?? error;
    throw new OutputError(`${error.file}: cannot record the start of the run: ${describeIoError(cause)}. Nothing ran, and the run folder was removed. ${FIX_HINT}`, { file: error.file, cause: error });
  }
}

function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // The disk is failing already; the message says what to do.
  }
}

/**
 * A recursive mkdir on a read-only mount can fail with a misleading ENOENT; the nearest folder
 * that exists says what is really wrong (EROFS, EACCES).
 */
function diagnoseMkdir(dir: string, error: unknown): unknown {
  let ancestor = path.dirname(dir);
  while (!existsSync(ancestor) && path.dirname(ancestor) !== ancestor) ancestor = path.dirname(ancestor);
  try {
    accessSync(ancestor, constants.W_OK);
    return error;
  } catch (accessError) {
    return accessError;
  }
}

/** Reopens an interrupted run's log, cutting a torn last line; says when it cut one. */
export function reopenRunLog(runDir: string, howToContinue: string, print: (line: string) => void, redactor?: Redactor): EventLogWriter {
  let cut: number;
  try {
    cut = repairTornTail(runDir);
  } catch (error) {
    throw new OutputError(`${runDir}: cannot repair the event log: ${describeIoError(error)}. ${FIX_HINT}`, { file: runDir, cause: error });
  }
  if (cut > 0) print(`warning: the event log's last line was torn by the interruption (${cut} bytes, an unfinished event); it was cut off.`);
  return openEventLog(runDir, { howToContinue, redactor });
}

/** The same log, calling `onFailure` before a failed append throws (so the caller can stop at once). */
export function watchLogFailures(log: EventLogWriter, onFailure: OutputFailureHandler | undefined): EventLogWriter {
  if (onFailure === undefined) return log;
  return {
    file: log.file,
    append(event: HarnessEvent) {
      try {
        log.append(event);
      } catch (error) {
        if (isOutputError(error)) onFailure(error);
        throw error;
      }
    },
    close: () => log.close(),
  };
}
