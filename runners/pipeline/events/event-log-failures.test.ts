import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReportsOf } from '../../commands/cli/write-run-reports.ts';
import { reopenRunLog, startRunLog, watchLogFailures } from '../run/run-log.ts';
import { isOutputError, type OutputError } from '../../core/errors.ts';
import type { HarnessEvent, RunStartedEvent } from './event-types.ts';
import { describeWith, tmpfsMounts } from '../../testing/support/real-dependencies.ts';
import { EVENT_LOG_FILE, openEventLog, readEventLog } from './event-log.ts';

/**
 * The event log when the disk refuses it: a clear OutputError naming the file, the log whole up
 * to its last event, and nothing appended after a gap. /dev/full (always "no space left") works
 * anywhere; a small tmpfs, for a disk that fills in the middle of a line, needs root.
 */
const work = mkdtempSync(path.join(tmpdir(), 'event-log-failures-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STARTED: RunStartedEvent = {
  v: 1,
  type: 'run.started',
  at: '2026-01-01T00:00:00.000Z',
  runId: 'run-1',
  harnessVersion: '0',
  opencodeVersion: '1.18.33',
  configFile: 'harness.config.ts',
  scriptedModel: true,
  targets: [],
  scenarios: [],
  promptVariants: [],
  renderedPrompts: {},
  specs: [],
  fingerprints: { config: '', scenarios: {}, fixtures: {}, promptVariants: {}, opencodeVersion: '1.18.33', specInputs: {} },
};

function attemptStarted(index: number, padding = 0): HarnessEvent {
  return { v: 1, type: 'attempt.started', at: `2026-01-01T00:00:0${index % 10}.000Z`, specId: `spec-${index}${'x'.repeat(padding)}`, attemptId: `a${index}`, attemptNumber: 1 };
}

function catchOutputError(action: () => unknown): OutputError {
  try {
    action();
  } catch (error) {
    if (isOutputError(error)) return error;
    throw error;
  }
  throw new Error('expected an OutputError');
}

describe('an event log the disk refuses (/dev/full)', () => {
  const runDir = path.join(work, 'full');
  beforeAll(() => {
    mkdirSync(runDir);
    symlinkSync('/dev/full', path.join(runDir, EVENT_LOG_FILE));
  });

  it('throws an OutputError naming the file, the cause and how to continue, and keeps throwing it', () => {
    const log = openEventLog(runDir, { howToContinue: 'Continue with: harness run --resume X' });
    const error = catchOutputError(() => log.append(STARTED));
    expect(error.file).toBe(path.join(runDir, EVENT_LOG_FILE));
    expect(error.message).toContain('cannot append the run.started event: ENOSPC');
    expect(error.message).toContain('the log is valid up to its last whole event');
    expect(error.message).toContain('Continue with: harness run --resume X');
    expect(catchOutputError(() => log.append(attemptStarted(1)))).toBe(error);
    log.close();
  });

  it('tells the CLI before it throws, so that the run stops at once', () => {
    const seen: OutputError[] = [];
    const log = watchLogFailures(openEventLog(runDir), (error) => seen.push(error));
    const error = catchOutputError(() => log.append(STARTED));
    expect(seen).toEqual([error]);
    log.close();
  });
});

describe('a run folder that cannot be created or recorded in', () => {
  it('says which folder, why, and that nothing ran', () => {
    const error = catchOutputError(() => startRunLog('/etc/hostname/runs/run-1', STARTED, 'resume hint'));
    expect(error.message).toMatch(/^\/etc\/hostname\/runs\/run-1: cannot create the run folder: ENOTDIR.*Nothing ran\. Make the output folder writable/);
  });

  it('removes a run folder whose first event could not be written', () => {
    const runDir = path.join(work, 'no-start');
    mkdirSync(runDir);
    symlinkSync('/dev/full', path.join(runDir, EVENT_LOG_FILE));
    const error = catchOutputError(() => startRunLog(runDir, STARTED, 'resume hint'));
    expect(error.message).toContain('cannot record the start of the run: ENOSPC');
    expect(existsSync(runDir)).toBe(false);
  });

  it('reports a torn last line when a run is reopened, and cuts it', () => {
    const runDir = path.join(work, 'torn');
    mkdirSync(runDir);
    writeFileSync(path.join(runDir, EVENT_LOG_FILE), `${JSON.stringify(STARTED)}\n{"v":1,"type":"attempt.fin`);
    const printed: string[] = [];
    reopenRunLog(runDir, 'hint', (line) => printed.push(line)).close();
    expect(printed).toEqual([expect.stringContaining("the event log's last line was torn by the interruption (26 bytes")]);
    expect(readEventLog(runDir).problems).toEqual([]);
  });
});

describeWith(tmpfsMounts(), 'an event log on a disk that fills up (tmpfs)', () => {
  const mountPoint = path.join(work, 'tmpfs');
  beforeAll(() => {
    mkdirSync(mountPoint);
    execaSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', mountPoint]);
  });
  afterAll(() => execaSync('umount', ['-l', mountPoint], { reject: false }));

  it('cuts a half-written line off again: the log stays whole up to its last event', () => {
    const runDir = path.join(mountPoint, 'run');
    mkdirSync(runDir);
    const log = openEventLog(runDir);
    log.append(STARTED);
    let written = 1;
    const error = catchOutputError(() => {
      for (let index = 0; index < 1000; index += 1) {
        log.append(attemptStarted(index, 700));
        written += 1;
      }
    });
    log.close();
    expect(error.message).toContain('ENOSPC');
    const text = readFileSync(path.join(runDir, EVENT_LOG_FILE), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const { events, problems } = readEventLog(runDir);
    expect(problems).toEqual([]);
    expect(events).toHaveLength(written);
    expect(statSync(path.join(runDir, EVENT_LOG_FILE)).size).toBe(Buffer.byteLength(text));
  });

  it('says that the run is recorded when only its reports do not fit', async () => {
    rmSync(path.join(mountPoint, 'run'), { recursive: true, force: true });
    const runDir = path.join(mountPoint, 'reports');
    mkdirSync(runDir);
    writeFileSync(path.join(runDir, EVENT_LOG_FILE), `${JSON.stringify(STARTED)}\n`);
    try {
      writeFileSync(path.join(mountPoint, 'filler'), Buffer.alloc(64 * 1024));
    } catch {
      // The disk is full now, as intended.
    }
    const error = await writeReportsOf(runDir).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isOutputError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('the run is recorded in full in its event log, but its reports could not be written: ENOSPC');
    expect((error as Error).message).toContain(`harness report ${runDir}`);
  });
});
