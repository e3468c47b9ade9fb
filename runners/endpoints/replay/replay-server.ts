import { appendFileSync } from 'node:fs';
import { listenOnLoopback } from '../../platform/processes/listen-on-loopback.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ReplayMiss } from './replay-wire.ts';
import { createAttemptRegistry, type RegisteredAttempt } from './attempt-registry.ts';
import { listCassetteIds, readCassette, readFirstEntry } from './cassette.ts';
import { findFirstDifference } from './describe-difference.ts';
import { findWorkingDirectory, matchKeyOf, normalizeChatBody } from './normalize-request.ts';
import { relocateResponse } from './relocate-response.ts';
import { playBack, readModelList, readBody, sendMiss } from './replay-wire.ts';
import { createTape, describeTapeMiss, type Tape } from './tape.ts';

export interface ReplayServerOptions {
  /** A recorded run's `cassettes/` folder. */
  cassettesDir: string;
  host?: string | undefined;
  port?: number | undefined;
  /** `instant` (default, deterministic and fast) or `recorded`: chunks at their recorded times. */
  timing?: 'instant' | 'recorded' | undefined;
  /** A JSON-lines file every miss is appended to, besides being answered with an HTTP error. */
  missLog?: string | undefined;
}


export interface ReplayAttemptReport {
  served: number;
  /** Recorded exchanges the replayed attempt never asked for. */
  unused: number;
  misses: ReplayMiss[];
}

export interface ReplayServer {
  baseURL: string;
  /**
   * Binds an attempt (by sandbox directory or session id) to its cassette before its session
   * starts (default cassette: the attempt's own id). Unregistered sessions claim, by their
   * first request, an unclaimed cassette that starts with the same request.
   */
  registerAttempt(attempt: RegisteredAttempt): void;
  /** After a registered attempt: what was served and missed; the attempt is forgotten. */
  finishAttempt(attemptId: string): ReplayAttemptReport;
  /** Every cassette played so far, with how much of it was served. */
  playedCassettes(): Array<{ cassetteId: string; served: number; unused: number }>;
  /** Every miss so far, in order. */
  misses(): ReplayMiss[];
  close(): Promise<void>;
}

/**
 * Serves recorded exchanges back. Each request is attributed to a cassette (registered attempt,
 * session bound earlier, or a claim by its first request), normalized, and matched to the first
 * unused exchange of that cassette with the same key. A request that matches none is a replay
 * miss: HTTP 400 `{"error": {"message": "replay miss: …", "type": "ReplayMiss"}}`, which OpenCode
 * reports as a non-retryable API error, so the attempt ends as an endpoint infra error.
 */
export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const registry = createAttemptRegistry();
  const tapes = new Map<string, Tape>();
  const sessions = new Map<string, Tape>();
  const claimed = new Set<string>();
  const allMisses: ReplayMiss[] = [];

  function miss(attemptId: string | undefined, cassetteId: string | undefined, requestIndex: number, reason: string): ReplayMiss {
    const recorded: ReplayMiss = { attemptId, cassetteId, requestIndex, reason, at: new Date().toISOString() };
    allMisses.push(recorded);
    if (options.missLog !== undefined) appendFileSync(options.missLog, `${JSON.stringify(recorded)}\n`);
    return recorded;
  }

  function tapeOf(cassetteId: string, attemptId: string | undefined): Tape | undefined {
    const existing = tapes.get(cassetteId);
    if (existing !== undefined) return existing;
    const read = readCassette(options.cassettesDir, cassetteId);
    if (read.status !== 'read') return undefined;
    const tape = createTape(cassetteId, attemptId, read.entries);
    tapes.set(cassetteId, tape);
    claimed.add(cassetteId);
    return tape;
  }

  /** The first request of every cassette, indexed once (first lines only), in id order. */
  let firstRequests: FirstRequest[] | undefined;
  function unclaimedFirstRequests(): FirstRequest[] {
    firstRequests ??= indexFirstRequests(options.cassettesDir);
    return firstRequests.filter((first) => !claimed.has(first.cassetteId));
  }

  /** Finds the tape a request plays, or answers the miss. */
  function attribute(normalizedKey: string, normalized: unknown, request: { sessionId: string | undefined; workingDirectory: string | undefined }): Tape | ReplayMiss {
    const registered = registry.resolve(request);
    if (registered !== undefined) {
      const cassetteId = registered.cassetteId ?? registered.attemptId;
      return tapeOf(cassetteId, registered.attemptId) ?? miss(registered.attemptId, cassetteId, 0, `no cassette ${cassetteId}.jsonl was recorded for attempt ${registered.attemptId}`);
    }
    const bound = request.sessionId === undefined ? undefined : sessions.get(request.sessionId);
    if (bound !== undefined) return bound;
    const candidates = unclaimedFirstRequests();
    const first = candidates.find((candidate) => candidate.key === normalizedKey);
    const claim = first === undefined ? undefined : tapeOf(first.cassetteId, undefined);
    if (claim === undefined) return miss(undefined, undefined, 0, describeClaimMiss(candidates, normalized));
    if (request.sessionId !== undefined) sessions.set(request.sessionId, claim);
    return claim;
  }

  async function answerExchange(body: string, sessionId: string | undefined, response: ServerResponse): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    const normalized = normalizeChatBody(body, sessionId);
    const key = matchKeyOf(normalized);
    const tape = attribute(key, normalized, { sessionId, workingDirectory: findWorkingDirectory(parsed) });
    if (!('entries' in tape)) {
      sendMiss(response, tape);
      return;
    }
    const requestIndex = tape.requests;
    tape.requests += 1;
    const match = tape.entries.find((candidate) => !candidate.used && candidate.key === key);
    if (match === undefined) {
      sendMiss(response, miss(tape.attemptId, tape.cassetteId, requestIndex, describeTapeMiss(tape, normalized, requestIndex)));
      return;
    }
    match.used = true;
    const chunks = relocateResponse(match.entry, match.recordedDirectory, findWorkingDirectory(parsed));
    await playBack(match.entry, chunks, response, options.timing ?? 'instant');
  }

  const server = createServer((request, response) => {
    route(request, response).catch(() => response.destroy());
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = new URL(request.url ?? '/', 'http://replay').pathname;
    const body = await readBody(request);
    if (request.method === 'POST' && pathname === '/v1/chat/completions') {
      const header = request.headers['x-session-id'];
      await answerExchange(body, typeof header === 'string' && header !== '' ? header : undefined, response);
      return;
    }
    if (request.method === 'GET' && pathname === '/v1/models') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(readModelList(options.cassettesDir));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'Not Found' }));
  }

  const port = await listenOnLoopback(server, options.host ?? '127.0.0.1', options.port ?? 0);
  return {
    baseURL: `http://${options.host ?? '127.0.0.1'}:${port}/v1`,
    registerAttempt: (attempt) => registry.register(attempt),
    finishAttempt(attemptId) {
      registry.unregister(attemptId);
      const misses = allMisses.filter((recorded) => recorded.attemptId === attemptId);
      const tape = [...tapes.values()].find((candidate) => candidate.attemptId === attemptId);
      if (tape === undefined) return { served: 0, unused: 0, misses };
      const served = tape.entries.filter((candidate) => candidate.used).length;
      return { served, unused: tape.entries.length - served, misses };
    },
    playedCassettes: () =>
      [...tapes.values()].map((tape) => {
        const served = tape.entries.filter((candidate) => candidate.used).length;
        return { cassetteId: tape.cassetteId, served, unused: tape.entries.length - served };
      }),
    misses: () => [...allMisses],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface FirstRequest {
  cassetteId: string;
  key: string;
  normalized: unknown;
}

function indexFirstRequests(cassettesDir: string): FirstRequest[] {
  return listCassetteIds(cassettesDir).flatMap((cassetteId) => {
    const entry = readFirstEntry(cassettesDir, cassetteId);
    if (entry === undefined) return [];
    const normalized = normalizeChatBody(entry.request.body, entry.request.sessionId);
    return [{ cassetteId, key: matchKeyOf(normalized), normalized }];
  });
}

/** Why a session's first request claims no cassette, against the closest unclaimed one. */
function describeClaimMiss(candidates: readonly FirstRequest[], normalized: unknown): string {
  const where = 'the first request of this session starts no unreplayed recorded attempt';
  if (candidates.length === 0) return `${where}: every recorded attempt was already replayed (or none was recorded)`;
  const modelOf = (value: unknown) => (typeof value === 'object' && value !== null ? (value as { model?: unknown }).model : undefined);
  const closest = candidates.find((candidate) => modelOf(candidate.normalized) === modelOf(normalized)) ?? candidates[0];
  const difference = closest === undefined ? undefined : findFirstDifference(closest.normalized, normalized);
  if (closest === undefined || difference === undefined) return where;
  return `${where}; the closest, cassette ${closest.cassetteId}, differs from recorded exchange #0 at ${difference.path}: recorded ${difference.recorded}, requested ${difference.requested}`;
}
