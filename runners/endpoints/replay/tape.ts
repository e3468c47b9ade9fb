import type { CassetteEntry } from './cassette.ts';
import { findFirstDifference } from './describe-difference.ts';
import { findWorkingDirectory, matchKeyOf, normalizeChatBody } from './normalize-request.ts';

/** A cassette being replayed: its exchanges with their match keys, and which were served. */
export interface Tape {
  cassetteId: string;
  /** The attempt it was registered for, when it was. */
  attemptId: string | undefined;
  entries: Array<{ entry: CassetteEntry; key: string; normalized: unknown; used: boolean; recordedDirectory: string | undefined }>;
  /** Requests answered (or missed) so far. */
  requests: number;
}

export function createTape(cassetteId: string, attemptId: string | undefined, entries: readonly CassetteEntry[]): Tape {
  return {
    cassetteId,
    attemptId,
    entries: entries.map((entry) => {
      const normalized = normalizeChatBody(entry.request.body, entry.request.sessionId);
      return { entry, key: matchKeyOf(normalized), normalized, used: false, recordedDirectory: workingDirectoryOf(entry.request.body) };
    }),
    requests: 0,
  };
}

/** Names where a request departs from the tape's next unused recorded request. */
export function describeTapeMiss(tape: Tape, normalized: unknown, requestIndex: number): string {
  const next = tape.entries.find((candidate) => !candidate.used);
  const where = `request #${requestIndex} of cassette ${tape.cassetteId}`;
  if (next === undefined) return `${where}: the recording has no more exchanges (${tape.entries.length} recorded, all served)`;
  const difference = findFirstDifference(next.normalized, normalized);
  if (difference === undefined) return `${where}: matches no unused recorded exchange`;
  return `${where} differs from recorded exchange #${next.entry.seq} at ${difference.path}: recorded ${difference.recorded}, requested ${difference.requested}`;
}

function workingDirectoryOf(body: string): string | undefined {
  try {
    return findWorkingDirectory(JSON.parse(body));
  } catch {
    return undefined;
  }
}
