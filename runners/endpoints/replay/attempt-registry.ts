import path from 'node:path';

/** An attempt whose model requests a proxy or replay server must attribute. */
export interface RegisteredAttempt {
  attemptId: string;
  /** The attempt's sandbox: OpenCode's system prompt names it as the working directory. */
  directory?: string | undefined;
  /** OpenCode's session id, sent as the `x-session-id` header. */
  sessionId?: string | undefined;
  /** Replay only: the cassette recorded for this attempt (default: the attempt's own id). */
  cassetteId?: string | undefined;
}

export interface AttemptRegistry {
  register(attempt: RegisteredAttempt): void;
  unregister(attemptId: string): void;
  /** The registered attempt a request belongs to: by session id, else by working directory. */
  resolve(request: { sessionId: string | undefined; workingDirectory: string | undefined }): RegisteredAttempt | undefined;
}

/**
 * Attempts registered by the caller. A worker reuses its sandbox folder from one attempt to
 * the next, so a directory registration holds until the attempt is unregistered (or another
 * attempt registers the same directory).
 */
export function createAttemptRegistry(): AttemptRegistry {
  const attempts = new Map<string, RegisteredAttempt>();
  return {
    register(attempt) {
      attempts.set(attempt.attemptId, attempt);
    },
    unregister(attemptId) {
      attempts.delete(attemptId);
    },
    resolve({ sessionId, workingDirectory }) {
      const all = [...attempts.values()].reverse();
      const bySession = sessionId === undefined ? undefined : all.find((attempt) => attempt.sessionId === sessionId);
      if (bySession !== undefined) return bySession;
      if (workingDirectory === undefined) return undefined;
      return all.find((attempt) => attempt.directory !== undefined && path.resolve(attempt.directory) === path.resolve(workingDirectory));
    },
  };
}
