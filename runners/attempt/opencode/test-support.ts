/**
 * A stand-in for an OpenCode server as the session driver uses it: the SDK client's calls it
 * makes (recorded in order) and the event hub it listens to. What the "agent" does when a turn
 * is sent is a script: emit events (idle, a question, a permission ask, retries), change files.
 */
import type { OpencodeClient } from '@opencode-ai/sdk/v2';
import type { OpencodeEvent, SessionEventHub } from './event-hub.ts';

export interface FakeCall {
  method: string;
  args: Record<string, unknown>;
}

export interface SentTurn {
  sessionId: string;
  directory: string;
  text: string;
  /** 0 for the session's first prompt. */
  index: number;
}

export interface FakeOpencodeOptions {
  /** The agent's turn: called when a prompt is sent; use `emit` to answer. */
  onPrompt?: ((turn: SentTurn, opencode: FakeOpencode) => void) | undefined;
  /** session.create answers with this error instead of a session. */
  createError?: unknown;
  /** session.promptAsync answers with this error. */
  promptError?: unknown;
}

export interface FakeOpencode {
  client: OpencodeClient;
  hub: SessionEventHub;
  /** Every client call, in order. */
  calls: FakeCall[];
  /** Delivers an event of the session to its listeners (after the current turn of the event loop's microtasks). */
  emit(type: string, properties: Record<string, unknown>): Promise<void>;
  /** Sessions `session.status` reports as busy (a session missing from it counts as idle). */
  busy: Set<string>;
  /** Permission asks still waiting for a reply, as `permission.list` returns them. */
  pendingPermissions: Array<{ id: string; sessionID: string }>;
  /** The stored messages `session.messages` returns. */
  messages: unknown[];
  /** Child sessions (subagents) `session.children` returns, by parent session. */
  children: Map<string, string[]>;
  /** The stored TODO list `session.todo` returns. */
  todos: unknown[];
}

export const FAKE_SESSION_ID = 'ses_fake1';

export function createFakeOpencode(options: FakeOpencodeOptions = {}): FakeOpencode {
  const listeners = new Map<string, Set<(event: OpencodeEvent) => void>>();
  const calls: FakeCall[] = [];
  let prompts = 0;
  const record = (method: string, args: unknown): void => {
    calls.push({ method, args: (args ?? {}) as Record<string, unknown> });
  };
  const fake: FakeOpencode = {
    calls,
    busy: new Set(),
    pendingPermissions: [],
    messages: [],
    children: new Map(),
    todos: [],
    hub: {
      subscribe(sessionId, listener) {
        const set = listeners.get(sessionId) ?? new Set();
        set.add(listener);
        listeners.set(sessionId, set);
        return () => set.delete(listener);
      },
      close: () => listeners.clear(),
    },
    async emit(type, properties) {
      await Promise.resolve();
      const sessionId = String(properties.sessionID ?? FAKE_SESSION_ID);
      for (const listener of listeners.get(sessionId) ?? []) listener({ type, properties: { sessionID: sessionId, ...properties } });
    },
    client: undefined as unknown as OpencodeClient,
  };
  const client = {
    session: {
      create: async (args: unknown) => {
        record('session.create', args);
        return options.createError === undefined ? { data: { id: FAKE_SESSION_ID } } : { error: options.createError };
      },
      promptAsync: async (args: { sessionID: string; directory: string; parts: Array<{ text: string }> }) => {
        record('session.promptAsync', args);
        if (options.promptError !== undefined) return { error: options.promptError };
        const turn: SentTurn = { sessionId: args.sessionID, directory: args.directory, text: args.parts[0]?.text ?? '', index: prompts };
        prompts += 1;
        fake.busy.add(args.sessionID);
        // As OpenCode does: the session reports busy before any work of the turn.
        void fake.emit('session.status', { sessionID: args.sessionID, status: { type: 'busy' } });
        options.onPrompt?.(turn, fake);
        return { data: undefined };
      },
      messages: async (args: unknown) => {
        record('session.messages', args);
        return { data: fake.messages };
      },
      status: async (args: unknown) => {
        record('session.status', args);
        return { data: Object.fromEntries([...fake.busy].map((id) => [id, { type: 'busy' }])) };
      },
      children: async (args: { sessionID: string }) => {
        record('session.children', args);
        return { data: (fake.children.get(args.sessionID) ?? []).map((id) => ({ id, parentID: args.sessionID })) };
      },
      get: async (args: { sessionID: string }) => {
        record('session.get', args);
        return { data: { id: args.sessionID, time: { created: 0, updated: 0 } } };
      },
      todo: async (args: unknown) => {
        record('session.todo', args);
        return { data: fake.todos };
      },
      abort: async (args: unknown) => {
        record('session.abort', args);
        return { data: true };
      },
    },
    question: {
      reply: async (args: unknown) => {
        record('question.reply', args);
        return { data: true };
      },
    },
    permission: {
      reply: async (args: { requestID: string }) => {
        record('permission.reply', args);
        fake.pendingPermissions = fake.pendingPermissions.filter((pending) => pending.id !== args.requestID);
        return { data: true };
      },
      list: async (args: unknown) => {
        record('permission.list', args);
        return { data: fake.pendingPermissions };
      },
    },
    instance: {
      dispose: async (args: unknown) => {
        record('instance.dispose', args);
        return { data: true };
      },
    },
  };
  fake.client = client as unknown as OpencodeClient;
  return fake;
}

/** The calls of one method, by their arguments. */
export function callsOf(opencode: FakeOpencode, method: string): Array<Record<string, unknown>> {
  return opencode.calls.filter((call) => call.method === method).map((call) => call.args);
}
