import path from 'node:path';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { ReplayTarget } from '../../core/domain/target.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { applyReplayReport, cassetteIdForReplay } from './replay-outcome.ts';
import { startReplayServer, type ReplayServer } from './replay-server.ts';

/** Replay targets of a run: one replay server per cassettes folder. */
export interface RunReplay {
  /** The base URL OpenCode uses for a replay target (starts its server on first use). */
  baseURLOf(target: ReplayTarget): Promise<string>;
  /** Before the attempt's session: binds it (by sandbox directory) to the cassette recorded for the same cell. */
  registerAttempt(target: ReplayTarget, attempt: { spec: RunSpec; attemptNumber: number; attemptId: string; directory: string }): Promise<void>;
  /** After the attempt: an attempt that missed the recording becomes an infra error naming the miss. */
  finishAttempt(target: ReplayTarget, record: AttemptRecord): Promise<AttemptRecord>;
  close(): Promise<void>;
}

export interface RunReplayOptions {
  /** Relative cassettesDir values resolve against the config file's folder. */
  configDir: string;
  timing?: 'instant' | 'recorded' | undefined;
  /** Misses are appended here too, e.g. `<runDir>/replay-misses.jsonl`. */
  missLog?: string | undefined;
}

export function createRunReplay(options: RunReplayOptions): RunReplay {
  const servers = new Map<string, Promise<ReplayServer>>();
  const serverOf = (target: ReplayTarget): Promise<ReplayServer> => {
    const cassettesDir = path.resolve(options.configDir, target.cassettesDir);
    let server = servers.get(cassettesDir);
    if (server === undefined) {
      server = startReplayServer({ cassettesDir, timing: options.timing, missLog: options.missLog });
      servers.set(cassettesDir, server);
    }
    return server;
  };
  return {
    async baseURLOf(target) {
      return (await serverOf(target)).baseURL;
    },
    async registerAttempt(target, attempt) {
      const cassetteId = cassetteIdForReplay(attempt.spec, attempt.attemptNumber, target.replayOf);
      (await serverOf(target)).registerAttempt({ attemptId: attempt.attemptId, directory: attempt.directory, cassetteId });
    },
    async finishAttempt(target, record) {
      return applyReplayReport(record, (await serverOf(target)).finishAttempt(record.attemptId));
    },
    async close() {
      const started = await Promise.all(servers.values());
      await Promise.all(started.map((server) => server.close()));
    },
  };
}
