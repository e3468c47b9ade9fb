import type { OpencodeClient } from '@opencode-ai/sdk/v2';

/** An event as the harness uses it: type and properties of a global event's payload. */
export interface OpencodeEvent {
  type: string;
  properties: Record<string, unknown>;
}

export type EventListener = (event: OpencodeEvent) => void;

export interface SessionEventHub {
  /**
   * Listens to one session's events and those of every session it starts (subagents' child
   * sessions, theirs, …): each event keeps its own session id. Returns the unsubscribe function.
   */
  subscribe(sessionId: string, listener: EventListener): () => void;
  close(): void;
}

/**
 * One SSE subscription per server (`/global/event`), fanned out by session id, so many
 * sessions in different directories share a connection. Resolves once the stream is live.
 */
export async function openEventHub(client: OpencodeClient, readyTimeoutMs = 10_000): Promise<SessionEventHub> {
  const controller = new AbortController();
  const listeners = new Map<string, Set<EventListener>>();
  /** Child session → the session that started it, learnt from `session.created` events. */
  const parentOf = new Map<string, string>();
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const result = await client.global.event({ signal: controller.signal, sseDefaultRetryDelay: 500 });
  void (async () => {
    try {
      for await (const raw of result.stream) {
        markReady();
        const event = toEvent(raw);
        const sessionId = event === undefined ? undefined : sessionIdOf(event);
        if (event === undefined || sessionId === undefined) continue;
        const parentId = event.type === 'session.created' ? parentIdOf(event) : undefined;
        if (parentId !== undefined) parentOf.set(sessionId, parentId);
        for (const listener of listenersOfTree(sessionId)) listener(event);
      }
    } catch {
      // The stream ends when the hub is closed or the server stops; sessions reconcile from messages.
    }
  })();
  /** The listeners of a session and of every session above it, each once. */
  function listenersOfTree(sessionId: string): Set<EventListener> {
    const found = new Set<EventListener>();
    const seen = new Set<string>();
    for (let current: string | undefined = sessionId; current !== undefined && !seen.has(current); current = parentOf.get(current)) {
      seen.add(current);
      for (const listener of listeners.get(current) ?? []) found.add(listener);
    }
    return found;
  }
  const timer = setTimeout(markReady, readyTimeoutMs);
  await ready;
  clearTimeout(timer);
  return {
    subscribe(sessionId, listener) {
      const set = listeners.get(sessionId) ?? new Set<EventListener>();
      set.add(listener);
      listeners.set(sessionId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(sessionId);
      };
    },
    close() {
      controller.abort();
      listeners.clear();
    },
  };
}

function toEvent(raw: unknown): OpencodeEvent | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const payload = 'payload' in raw ? raw.payload : raw;
  if (typeof payload !== 'object' || payload === null || !('type' in payload) || typeof payload.type !== 'string') return undefined;
  const properties = 'properties' in payload && typeof payload.properties === 'object' && payload.properties !== null ? payload.properties : {};
  return { type: payload.type, properties: properties as Record<string, unknown> };
}

/** The parent of a created session (`info.parentID`), when it is a child session. */
function parentIdOf(event: OpencodeEvent): string | undefined {
  const info = event.properties.info;
  return typeof info === 'object' && info !== null && 'parentID' in info && typeof info.parentID === 'string' ? info.parentID : undefined;
}

export function sessionIdOf(event: OpencodeEvent): string | undefined {
  const direct = event.properties.sessionID;
  if (typeof direct === 'string') return direct;
  for (const key of ['part', 'info']) {
    const nested = event.properties[key];
    if (typeof nested === 'object' && nested !== null && 'sessionID' in nested && typeof nested.sessionID === 'string') {
      return nested.sessionID;
    }
  }
  return undefined;
}
