import { createHash } from 'node:crypto';

/**
 * A deterministic draw in [0, 1) from a seed, a session key and a salt (e.g. the step):
 * the same session always gets the same sequence, different sessions get independent ones.
 */
export function drawForSession(seed: number, sessionKey: string, salt: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${sessionKey}\u0000${salt}`).digest();
  // 48 bits are exactly representable in a double.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** Numbers the sessions of each scope (e.g. served model × scenario) 0, 1, 2, … in the order they first ask. */
export function createSessionOrdinals(): (scope: string, sessionKey: string) => number {
  const byScope = new Map<string, Map<string, number>>();
  return (scope, sessionKey) => {
    const sessions = byScope.get(scope) ?? new Map<string, number>();
    byScope.set(scope, sessions);
    const known = sessions.get(sessionKey);
    if (known !== undefined) return known;
    sessions.set(sessionKey, sessions.size);
    return sessions.size - 1;
  };
}
