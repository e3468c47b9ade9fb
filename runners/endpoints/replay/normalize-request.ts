import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * What must be equal for a replayed request to match a recorded one: the body with its
 * volatile parts replaced by placeholders. Volatile are the sandbox path (OpenCode's
 * `Working directory:` line, and wherever tool calls and results repeat it), the date line
 * of the system prompt, tool-call ids (renumbered in order of appearance) and the session id.
 */
export function normalizeChatBody(rawBody: string, sessionId?: string | undefined): unknown {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return rawBody;
  }
  const workingDirectory = findWorkingDirectory(body);
  const replacements: Array<[string, string]> = [];
  if (workingDirectory !== undefined) {
    replacements.push([workingDirectory, '<workdir>']);
    const attemptDir = path.dirname(workingDirectory);
    if (attemptDir.split('/').filter(Boolean).length >= 2) replacements.push([attemptDir, '<attempt-dir>']);
  }
  if (sessionId !== undefined && sessionId !== '') replacements.push([sessionId, '<session>']);
  const callIds = new Map<string, string>();
  return rewrite(body, (text) => {
    let result = text;
    for (const [from, to] of replacements) result = result.split(from).join(to);
    return result.replace(/^(\s*Today's date:).*$/gm, '$1 <date>');
  }, callIds);
}

/** The key a request is matched by: a hash of its normalized body with sorted keys. */
export function matchKeyOf(normalized: unknown): string {
  return createHash('sha256').update(canonicalJson(normalized)).digest('hex');
}

const WORKING_DIRECTORY_LINE = /^\s*Working directory: (.+?)\s*$/m;

/** The sandbox path from OpenCode's `<env>` block in a system message. */
export function findWorkingDirectory(body: unknown): string | undefined {
  const messages = isRecord(body) && Array.isArray(body.messages) ? body.messages : [];
  for (const message of messages) {
    if (!isRecord(message) || message.role !== 'system') continue;
    const match = WORKING_DIRECTORY_LINE.exec(textOf(message.content));
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('\n');
  return '';
}

/** Copies a JSON value, rewriting strings and renumbering tool-call ids (`id` in tool_calls, `tool_call_id`). */
function rewrite(value: unknown, text: (value: string) => string, callIds: Map<string, string>, key?: string, inToolCall = false): unknown {
  if (typeof value === 'string') {
    if (key === 'tool_call_id' || (key === 'id' && inToolCall)) return renumber(value, callIds);
    return text(value);
  }
  if (Array.isArray(value)) return value.map((item) => rewrite(item, text, callIds, undefined, key === 'tool_calls'));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, rewrite(item, text, callIds, name, inToolCall)]));
  }
  return value;
}

function renumber(id: string, callIds: Map<string, string>): string {
  const known = callIds.get(id);
  if (known !== undefined) return known;
  const next = `call_${callIds.size}`;
  callIds.set(id, next);
  return next;
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
