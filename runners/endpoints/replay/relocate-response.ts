import path from 'node:path';
import type { CassetteEntry } from './cassette.ts';

type Chunk = CassetteEntry['response']['chunks'][number];

/**
 * A recorded response moved to the replaying attempt's sandbox: the model wrote absolute
 * paths of the recorded sandbox (`filePath: /tmp/…/repo/src/app.ts`), which must name the
 * replay's sandbox instead, or its tools would act on a folder that no longer exists.
 * Streams are rewritten event by event; a tool call's argument fragments (which can split a
 * path) are joined into its first fragment, so every event and its order stay as recorded.
 */
export function relocateResponse(entry: CassetteEntry, recordedDirectory: string | undefined, replayDirectory: string | undefined): Chunk[] {
  const chunks = entry.response.chunks;
  if (recordedDirectory === undefined || replayDirectory === undefined || recordedDirectory === replayDirectory) return chunks;
  const replace = createReplacer(recordedDirectory, replayDirectory);
  const body = chunks.map((chunk) => chunk.text).join('');
  if (!entry.response.contentType.startsWith('text/event-stream')) {
    return [{ atMs: chunks.at(-1)?.atMs ?? 0, text: rewriteJsonText(body, replace) }];
  }
  return rewriteEventStream(chunks, replace);
}

function createReplacer(from: string, to: string): (text: string) => string {
  const pairs: Array<[string, string]> = [[from, to]];
  const fromParent = path.dirname(from);
  if (fromParent.split('/').filter(Boolean).length >= 2) pairs.push([fromParent, path.dirname(to)]);
  return (text) => pairs.reduce((result, [a, b]) => result.split(a).join(b), text);
}

/** Replaces inside the JSON strings of a body (paths appear JSON-escaped there). */
function rewriteJsonText(text: string, replace: (text: string) => string): string {
  try {
    return JSON.stringify(rewriteStrings(JSON.parse(text), replace));
  } catch {
    return replace(text);
  }
}

function rewriteStrings(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((item) => rewriteStrings(item, replace));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewriteStrings(item, replace)]));
  return value;
}

interface StreamEvent {
  data: unknown;
  raw: string;
  atMs: number;
}

function rewriteEventStream(chunks: readonly Chunk[], replace: (text: string) => string): Chunk[] {
  const events = splitEvents(chunks);
  const joined = new Map<string, { holder: Record<string, unknown>; name: string; text: string }>();
  for (const event of events) {
    for (const [key, field] of fieldsOf(event.data)) {
      const first = joined.get(key);
      if (first === undefined) joined.set(key, { holder: field.holder, name: field.name, text: field.value });
      else {
        first.text += field.value;
        field.holder[field.name] = '';
      }
    }
  }
  for (const { holder, name, text } of joined.values()) holder[name] = replace(text);
  return events.map((event) => ({ atMs: event.atMs, text: event.data === undefined ? event.raw : `data: ${JSON.stringify(event.data)}\n\n` }));
}

/** SSE events with the arrival time of the chunk each ended in. */
function splitEvents(chunks: readonly Chunk[]): StreamEvent[] {
  const events: StreamEvent[] = [];
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk.text;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const raw = buffer.slice(0, end + 2);
      buffer = buffer.slice(end + 2);
      const payload = raw.startsWith('data: ') ? raw.slice('data: '.length).trim() : undefined;
      let data: unknown;
      if (payload !== undefined && payload !== '[DONE]') {
        try {
          data = JSON.parse(payload);
        } catch {
          data = undefined;
        }
      }
      events.push({ data, raw, atMs: chunk.atMs });
      end = buffer.indexOf('\n\n');
    }
  }
  if (buffer !== '') events.push({ data: undefined, raw: buffer, atMs: chunks.at(-1)?.atMs ?? 0 });
  return events;
}

/** The text fields of a chunk a path can be split across: choice content and tool-call arguments. */
function fieldsOf(data: unknown): Array<[string, { holder: Record<string, unknown>; name: string; value: string }]> {
  const fields: Array<[string, { holder: Record<string, unknown>; name: string; value: string }]> = [];
  const choices = (data as { choices?: unknown } | undefined)?.choices;
  if (!Array.isArray(choices)) return fields;
  for (const choice of choices as Array<{ index?: number; delta?: Record<string, unknown> }>) {
    const delta = choice.delta;
    if (delta === undefined) continue;
    if (typeof delta.content === 'string') fields.push([`${choice.index ?? 0}/content`, { holder: delta, name: 'content', value: delta.content }]);
    const calls = Array.isArray(delta.tool_calls) ? (delta.tool_calls as Array<{ index?: number; function?: Record<string, unknown> }>) : [];
    for (const call of calls) {
      const fn = call.function;
      if (fn !== undefined && typeof fn.arguments === 'string') fields.push([`${choice.index ?? 0}/call/${call.index ?? 0}`, { holder: fn, name: 'arguments', value: fn.arguments }]);
    }
  }
  return fields;
}
