import type { ResolvedTarget } from '../../core/domain/target.ts';

export type ProbeResult = { status: 'up' } | { status: 'down'; message: string };

/**
 * A quick look at the endpoint before an attempt: when it cannot be reached at all, the
 * attempt is an infra error at once rather than after OpenCode's minute of retries.
 * Only reachability is judged here; what the endpoint answers is the session's business.
 */
export async function probeEndpoint(baseURL: string, target: ResolvedTarget, timeoutMs = 5000): Promise<ProbeResult> {
  const headers: Record<string, string> = {};
  if (target.kind === 'openai-compatible' && target.apiKeyEnv !== undefined) {
    const key = process.env[target.apiKeyEnv];
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
  }
  try {
    const response = await fetch(`${baseURL.replace(/\/$/, '')}/models`, { headers, signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return { status: 'up' };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'down', message: `endpoint ${baseURL} unreachable (${message}${cause}) — is the model server running?` };
  }
}
