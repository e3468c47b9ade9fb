import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { listCassetteIds, readCassette, type CassetteEntry } from './cassette.ts';

export const REPLAY_MISS_TYPE = 'ReplayMiss';

/** Writes a recorded response: status, content type, then its chunks (at their recorded times if asked). */
export async function playBack(entry: CassetteEntry, chunks: CassetteEntry['response']['chunks'], response: ServerResponse, timing: 'instant' | 'recorded'): Promise<void> {
  const { status, contentType, aborted } = entry.response;
  response.writeHead(status, contentType === '' ? {} : { 'content-type': contentType });
  const startedAt = Date.now();
  for (const chunk of chunks) {
    if (timing === 'recorded') {
      const wait = startedAt + chunk.atMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    if (response.destroyed) return;
    response.write(chunk.text);
  }
  // A response the client abandoned (a hang, a timeout) stays open, as it did, until the client goes.
  if (aborted !== true) response.end();
}

/** HTTP 400 in vLLM's error shape: OpenCode does not retry it and shows the message. */
export function sendMiss(response: ServerResponse, recorded: ReplayMiss): void {
  const body = { error: { message: `replay miss: ${recorded.reason}`, type: REPLAY_MISS_TYPE, param: null, code: 400 } };
  response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The recorded `/v1/models` answer, or a list of the models the cassettes' requests name. */
export function readModelList(cassettesDir: string): string {
  const saved = path.join(cassettesDir, 'models.json');
  if (existsSync(saved)) return readFileSync(saved, 'utf8');
  const names = new Set<string>();
  for (const id of listCassetteIds(cassettesDir)) {
    const read = readCassette(cassettesDir, id);
    if (read.status !== 'read') continue;
    for (const { request } of read.entries) {
      const model = /"model"\s*:\s*"([^"]+)"/.exec(request.body)?.[1];
      if (model !== undefined) names.add(model);
    }
  }
  return JSON.stringify({ object: 'list', data: [...names].map((id) => ({ id, object: 'model', owned_by: 'replay', root: id, parent: null })) });
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A request that matched no recorded exchange: answered with an HTTP 400 naming it, never served. */
export interface ReplayMiss {
  attemptId: string | undefined;
  cassetteId: string | undefined;
  /** 0-based index of the request among its attempt's (or session's) requests. */
  requestIndex: number;
  reason: string;
  at: string;
}
