import type { ResolvedTarget } from '../../core/domain/target.ts';

export type ProbeResult = { status: 'up' } | { status: 'down'; message: string };

/**
 * A quick look at the endpoint before an attempt: when it cannot be reached at all, the
 * attempt is an infra error at once rather than after OpenCode's minute of retries.
 * Only reachability is judged here; what the endpoint answers is the session's business.
 * A replicated target (several base URLs) is up while any replica is: the model proxy sends
 * the attempt's requests to the ones that answer.
 */
export async function probeEndpoint(baseURL: string | readonly string[], target: ResolvedTarget, timeoutMs = 5000): Promise<ProbeResult> {
  const urls = typeof baseURL === 'string' ? [baseURL] : baseURL;
  const results = await probeReplicas(urls, target, timeoutMs);
  if (results.some((result) => result.status === 'up') || results.length === 0) return { status: 'up' };
  const messages = results.map((result) => (result.status === 'down' ? result.message : ''));
  return { status: 'down', message: messages.length === 1 ? (messages[0] ?? '') : `every replica of target ${target.id} is unreachable: ${messages.join('; ')}` };
}

/** Each base URL's reachability, in order (`env` holds the target's key variable). */
export function probeReplicas(baseURLs: readonly string[], target: ResolvedTarget, timeoutMs = 5000, env: Readonly<Record<string, string | undefined>> = process.env): Promise<ProbeResult[]> {
  const headers: Record<string, string> = {};
  if (target.kind === 'openai-compatible' && target.apiKeyEnv !== undefined) {
    const key = env[target.apiKeyEnv];
    if (key !== undefined) headers.authorization = `Bearer ${key}`;
  }
  return Promise.all(baseURLs.map((url) => probeOne(url, headers, timeoutMs)));
}

async function probeOne(baseURL: string, headers: Record<string, string>, timeoutMs: number): Promise<ProbeResult> {
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
