import type { ServerResponse } from 'node:http';
import { sleepUnlessAborted } from './engine-scheduler.ts';

/**
 * How a broken or overloaded serving stack answers: the scripted server breaks its own wire
 * on purpose, so that the harness can be shown to blame the endpoint (an infra error) or the
 * clock (a timeout) — never the model — for what follows.
 */
export type WireFault =
  /** Streams the first `afterChunks` chunks, then destroys the socket without finishing the response. */
  | { kind: 'drop-mid-stream'; afterChunks: number }
  /** Streams the first `afterChunks` chunks, then a `data:` line that is not JSON, then the rest. */
  | { kind: 'malformed-sse'; afterChunks: number }
  /** Answers 200 `application/json` with a body cut off in the middle (whether or not a stream was asked for). */
  | { kind: 'malformed-json' }
  /** Well-formed, but slow: waits `firstByteDelayMs` before the headers and `chunkDelayMs` before each chunk. */
  | { kind: 'slow'; firstByteDelayMs: number; chunkDelayMs: number };

/** A rendered answer (stream chunks or a JSON body) and the fault to serve it with. */
export interface FaultyAnswer {
  kind: 'faulty';
  fault: WireFault;
  /** Stream chunks when the request asked for a stream, else undefined. */
  chunks: object[] | undefined;
  /** The complete non-streaming body. */
  body: object;
}

/** What a cut-off JSON body looks like: the start of the real one. */
export const MALFORMED_SSE_LINE = 'data: {"id": "chatcmpl-broken", "choices": [{"delta": {"content": "unterminated';

/** Serves an answer with its fault. Never throws: a closed connection simply ends it. */
export async function serveFaultyAnswer(answer: FaultyAnswer, response: ServerResponse): Promise<void> {
  const aborted = new AbortController();
  response.once('close', () => aborted.abort());
  const { fault } = answer;
  if (fault.kind === 'malformed-json') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(cutInHalf(JSON.stringify(answer.body)));
    return;
  }
  if (fault.kind === 'slow') await sleepUnlessAborted(fault.firstByteDelayMs, aborted.signal);
  if (aborted.signal.aborted) return;
  if (answer.chunks === undefined) {
    await serveFaultyBody(answer.body, fault, response, aborted.signal);
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  response.flushHeaders();
  for (const [index, chunk] of answer.chunks.entries()) {
    if (fault.kind === 'slow') await sleepUnlessAborted(fault.chunkDelayMs, aborted.signal);
    if (aborted.signal.aborted) return;
    if (fault.kind === 'drop-mid-stream' && index === fault.afterChunks) {
      response.destroy();
      return;
    }
    if (fault.kind === 'malformed-sse' && index === fault.afterChunks) response.write(`${MALFORMED_SSE_LINE}\n\n`);
    // Chunks before a drop are flushed one by one, so the client really gets them before the cut.
    await new Promise<void>((resolve) => response.write(`data: ${JSON.stringify(chunk)}\n\n`, () => resolve()));
  }
  response.end('data: [DONE]\n\n');
}

async function serveFaultyBody(body: object, fault: WireFault, response: ServerResponse, signal: AbortSignal): Promise<void> {
  const text = JSON.stringify(body);
  if (fault.kind === 'slow') {
    await sleepUnlessAborted(fault.chunkDelayMs, signal);
    if (!signal.aborted) response.writeHead(200, { 'content-type': 'application/json' }).end(text);
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.write(cutInHalf(text));
  if (fault.kind === 'drop-mid-stream') response.destroy();
  else response.end();
}

function cutInHalf(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
