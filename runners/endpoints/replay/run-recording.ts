import path from 'node:path';
import type { Redactor } from '../../core/redact.ts';
import type { RegisteredAttempt } from './attempt-registry.ts';
import { linkSessionCassettes } from './cassette.ts';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.ts';

export const CASSETTES_DIR = 'cassettes';

/** `harness run --record`: every model exchange of the run, one cassette per attempt. */
export interface RunRecording {
  /** `<runDir>/cassettes` */
  cassettesDir: string;
  /** A recording proxy in front of this upstream (one per upstream, started on first use): give its URL to OpenCode. */
  proxyBaseURL(upstreamBaseURL: string): Promise<string>;
  /** Before an attempt's session starts: its sandbox directory (and session id, if known) name its cassette. */
  registerAttempt(attempt: RegisteredAttempt): void;
  finishAttempt(attemptId: string): void;
  /**
   * After the run: cassettes of sessions nobody registered are renamed to their attempt's id
   * (by AttemptRecord.sessionId), and the proxies stop.
   */
  close(attempts: ReadonlyArray<{ attemptId: string; sessionId?: string | undefined }>): Promise<{ linked: string[]; leftOver: string[] }>;
}

export function createRunRecording(runDir: string, redactor?: Redactor): RunRecording {
  const cassettesDir = path.join(runDir, CASSETTES_DIR);
  const proxies = new Map<string, Promise<RecordingProxy>>();
  const registered = new Map<string, RegisteredAttempt>();
  // One numbering per cassette for every proxy: an attempt's requests may cross replicas.
  const sequence = new Map<string, number>();
  return {
    cassettesDir,
    async proxyBaseURL(upstreamBaseURL) {
      let proxy = proxies.get(upstreamBaseURL);
      if (proxy === undefined) {
        proxy = startRecordingProxy({ upstreamBaseURL, cassettesDir, redactor, sequence }).then((started) => {
          for (const attempt of registered.values()) started.registerAttempt(attempt);
          return started;
        });
        proxies.set(upstreamBaseURL, proxy);
      }
      return (await proxy).baseURL;
    },
    registerAttempt(attempt) {
      registered.set(attempt.attemptId, attempt);
      for (const proxy of proxies.values()) void proxy.then((started) => started.registerAttempt(attempt));
    },
    finishAttempt(attemptId) {
      registered.delete(attemptId);
      for (const proxy of proxies.values()) void proxy.then((started) => started.finishAttempt(attemptId));
    },
    async close(attempts) {
      const started = await Promise.all(proxies.values());
      await Promise.all(started.map((proxy) => proxy.close()));
      return linkSessionCassettes(cassettesDir, attempts);
    },
  };
}
