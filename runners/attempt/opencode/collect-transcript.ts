import type { OpencodeClient } from '@opencode-ai/sdk/v2';
import type { TodoItem, TokenUsage, TranscriptEntry } from '../../core/domain/transcript.ts';
import { addTokens } from '../../core/tokens.ts';
import { readTodos } from './session-events.ts';
import { digestMessages, mergeTranscript } from './transcript.ts';

export interface CollectedTranscript {
  transcript: TranscriptEntry[];
  /** Every model call of the session and of its subagents. */
  tokens: TokenUsage;
  costUsd: number;
}

export interface CollectOptions {
  client: OpencodeClient;
  directory: string;
  rootSessionId: string;
  /** What the harness recorded live: turns, questions, permission replies, errors, TODO lists. */
  recorded: TranscriptEntry[];
  /** Child sessions seen starting during the session (more are found by asking OpenCode). */
  children: ReadonlyMap<string, { atMs: number }>;
}

/**
 * The attempt's transcript, reconciled from OpenCode's stored messages (SSE events are not
 * replayed): the session's, and each subagent's child session's — tagged with its id and
 * introduced by a `subagent` entry — merged in time order with what the harness recorded. The
 * final TODO list is read back too, in case an update event was missed.
 */
export async function collectTranscript(options: CollectOptions): Promise<CollectedTranscript> {
  const { client, directory, rootSessionId } = options;
  const root = digestMessages(await readMessages(client, rootSessionId, directory));
  const childIds = await listDescendants(client, rootSessionId, directory, [...options.children.keys()]);
  const taskCalls = new Map(root.entries.flatMap((entry) => (entry.type === 'tool' && entry.subagentSession !== undefined ? [[entry.subagentSession, entry.callId] as const] : [])));
  let tokens = root.tokens;
  let costUsd = root.costUsd;
  const lists: TranscriptEntry[][] = [options.recorded, root.entries];
  for (const childId of childIds) {
    const messages = await readMessages(client, childId, directory);
    const child = digestMessages(messages, childId);
    tokens = addTokens(tokens, child.tokens);
    costUsd += child.costUsd;
    const session = await client.session.get({ sessionID: childId, directory }).catch(() => undefined);
    const firstAssistant = messages.find((message) => message.info.role === 'assistant')?.info as { agent?: string } | undefined;
    const startedAtMs = session?.data?.time.created ?? options.children.get(childId)?.atMs ?? messages[0]?.info.time.created ?? 0;
    lists.push([
      {
        type: 'subagent',
        session: childId,
        agent: firstAssistant?.agent ?? 'subagent',
        description: describeChild(session?.data?.title ?? ''),
        callId: taskCalls.get(childId),
        steps: child.entries.filter((entry) => entry.type === 'step').length,
        toolCalls: new Set(child.entries.flatMap((entry) => (entry.type === 'tool' ? [entry.callId] : []))).size,
        atMs: startedAtMs,
        endedAtMs: messages.at(-1)?.info.time.created,
      },
      ...child.entries,
    ]);
  }
  const finalTodos = await readFinalTodos(client, rootSessionId, directory, options.recorded);
  if (finalTodos !== undefined) lists.push([finalTodos]);
  return { transcript: mergeTranscript(...lists), tokens, costUsd };
}

type StoredMessage = Parameters<typeof digestMessages>[0][number];

async function readMessages(client: OpencodeClient, sessionID: string, directory: string): Promise<StoredMessage[]> {
  const response = await client.session.messages({ sessionID, directory }).catch(() => undefined);
  return (response?.data ?? []) as StoredMessage[];
}

/** Every session below the root (children, their children, …), in the order found. */
async function listDescendants(client: OpencodeClient, rootId: string, directory: string, seen: readonly string[]): Promise<string[]> {
  const found = [...seen];
  const queue = [rootId, ...seen];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const id = queue.shift() ?? '';
    if (visited.has(id)) continue;
    visited.add(id);
    const response = await client.session.children({ sessionID: id, directory }).catch(() => undefined);
    for (const child of response?.data ?? []) {
      if (!found.includes(child.id)) found.push(child.id);
      queue.push(child.id);
    }
  }
  return found.filter((id) => id !== rootId);
}

/** OpenCode titles a child session "<description> (@<agent> subagent)". */
function describeChild(title: string): string {
  return title.replace(/\s*\(@[\w-]+ subagent\)\s*$/, '') || '(no description)';
}

/** The stored TODO list, as an entry, when it differs from the last one recorded live. */
async function readFinalTodos(client: OpencodeClient, sessionID: string, directory: string, recorded: readonly TranscriptEntry[]): Promise<TranscriptEntry | undefined> {
  const response = await client.session.todo({ sessionID, directory }).catch(() => undefined);
  const todos: TodoItem[] = readTodos(response?.data);
  const last = recorded.findLast((entry) => entry.type === 'todos' && entry.session === undefined);
  const lastTodos = last?.type === 'todos' ? last.todos : [];
  if (todos.length === 0 || JSON.stringify(todos) === JSON.stringify(lastTodos)) return undefined;
  return { type: 'todos', todos, atMs: Date.now() };
}
