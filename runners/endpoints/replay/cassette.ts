import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * A cassette holds the model exchanges of one attempt, one JSON line each, in the order they
 * were answered: the request as sent (method, path, OpenCode's session id, raw body) and the
 * response as received (status, content type, and the body's chunks with their arrival time).
 * API keys are never written: the authorization header is not recorded.
 */
export interface CassetteEntry {
  v: 1;
  /** 0, 1, … within the attempt. */
  seq: number;
  attemptId: string;
  recordedAt: string;
  request: { method: string; path: string; sessionId?: string | undefined; body: string };
  response: {
    status: number;
    contentType: string;
    /** The body as streamed: each chunk's text and milliseconds since the request was sent upstream. */
    chunks: Array<{ atMs: number; text: string }>;
    /** The client went away before the response ended (e.g. the attempt timed out). */
    aborted?: boolean | undefined;
  };
  /** The replica that answered, for a target with several (`baseURL: [...]`): its configured base URL. */
  replica?: string | undefined;
}

export const cassetteEntrySchema = z.object({
  v: z.literal(1),
  seq: z.number().int().nonnegative(),
  attemptId: z.string(),
  recordedAt: z.string(),
  request: z.object({ method: z.string(), path: z.string(), sessionId: z.string().optional(), body: z.string() }),
  response: z.object({
    status: z.number().int(),
    contentType: z.string(),
    chunks: z.array(z.object({ atMs: z.number(), text: z.string() })),
    aborted: z.boolean().optional(),
  }),
  replica: z.string().optional(),
});

export const UNATTRIBUTED_CASSETTE = 'unattributed';

/** Attempt ids and OpenCode session ids: letters, digits, `.`, `_`, `-`. */
export function isCassetteId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/.test(id);
}

/** `<dir>/<cassette id>.jsonl`. */
export function cassetteFileOf(cassettesDir: string, cassetteId: string): string {
  if (!isCassetteId(cassetteId)) throw new Error(`internal: "${cassetteId}" is not a cassette id`);
  return path.join(cassettesDir, `${cassetteId}.jsonl`);
}

/** Appends one exchange; the line is complete on disk when this returns. */
export function appendCassetteEntry(cassettesDir: string, cassetteId: string, entry: CassetteEntry): void {
  mkdirSync(cassettesDir, { recursive: true });
  appendFileSync(cassetteFileOf(cassettesDir, cassetteId), `${JSON.stringify(entry)}\n`);
}

export type CassetteRead =
  | { status: 'read'; entries: CassetteEntry[]; problems: Array<{ line: number; reason: string }> }
  | { status: 'missing'; file: string };

/** Reads a cassette back; a line that is not an entry (e.g. torn by a crash) is reported, not fatal. */
export function readCassette(cassettesDir: string, cassetteId: string): CassetteRead {
  const file = cassetteFileOf(cassettesDir, cassetteId);
  if (!existsSync(file)) return { status: 'missing', file };
  const entries: CassetteEntry[] = [];
  const problems: Array<{ line: number; reason: string }> = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        problems.push({ line: index + 1, reason: 'not valid JSON' });
        return;
      }
      const parsed = cassetteEntrySchema.safeParse(value);
      if (parsed.success) entries.push(parsed.data);
      else problems.push({ line: index + 1, reason: `not a cassette entry: ${parsed.error.issues[0]?.message ?? ''}` });
    });
  entries.sort((a, b) => a.seq - b.seq);
  return { status: 'read', entries, problems };
}

/** The cassettes in a folder (attempt- or session-named), sorted; `unattributed` left out. */
export function listCassetteIds(cassettesDir: string): string[] {
  if (!existsSync(cassettesDir)) return [];
  return readdirSync(cassettesDir)
    .filter((file) => file.endsWith('.jsonl'))
    .map((file) => file.slice(0, -'.jsonl'.length))
    .filter((id) => id !== UNATTRIBUTED_CASSETTE && isCassetteId(id))
    .sort();
}

/**
 * Renames session-named cassettes (`<session id>.jsonl`, written for sessions nobody
 * registered) to their attempt's id, given each attempt's OpenCode session id. Returns the
 * attempts linked and the session cassettes left over.
 */
export function linkSessionCassettes(cassettesDir: string, attempts: ReadonlyArray<{ attemptId: string; sessionId?: string | undefined }>): { linked: string[]; leftOver: string[] } {
  const linked: string[] = [];
  for (const { attemptId, sessionId } of attempts) {
    if (sessionId === undefined || !isCassetteId(sessionId) || !isCassetteId(attemptId)) continue;
    const read = readCassette(cassettesDir, sessionId);
    if (read.status !== 'read') continue;
    const lines = read.entries.map((entry) => JSON.stringify({ ...entry, attemptId }));
    const temporary = path.join(cassettesDir, `${attemptId}.jsonl.tmp`);
    writeFileSync(temporary, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
    renameSync(temporary, cassetteFileOf(cassettesDir, attemptId));
    unlinkSync(cassetteFileOf(cassettesDir, sessionId));
    linked.push(attemptId);
  }
  const attemptIds = new Set(attempts.map((attempt) => attempt.attemptId));
  return { linked, leftOver: listCassetteIds(cassettesDir).filter((id) => !attemptIds.has(id)) };
}

/** The first exchange of a cassette, reading only its first line. */
export function readFirstEntry(cassettesDir: string, cassetteId: string): CassetteEntry | undefined {
  const file = cassetteFileOf(cassettesDir, cassetteId);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const end = text.indexOf('\n');
  try {
    const parsed = cassetteEntrySchema.safeParse(JSON.parse(end < 0 ? text : text.slice(0, end)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
