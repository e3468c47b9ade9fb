/**
 * The environment to run promptfoo in next to the harness: no telemetry, no update check, no
 * sharing, no response cache (every repeat must be a new attempt). promptfoo keeps its
 * database and logs in PROMPTFOO_CONFIG_DIR (default ~/.promptfoo).
 *
 * promptfoo 0.121 still sends one "telemetry disabled" event to r.promptfoo.app per process
 * even with PROMPTFOO_DISABLE_TELEMETRY set (promptfoo issue #9968). Its requests honour
 * HTTPS_PROXY, so pointing that at a closed local port blocks the event; the harness provider
 * is unaffected (it talks to loopback servers, and OpenCode gets no proxy variables).
 */
export const PROMPTFOO_PRIVATE_ENV = {
  PROMPTFOO_DISABLE_TELEMETRY: '1',
  PROMPTFOO_DISABLE_UPDATE: '1',
  PROMPTFOO_DISABLE_SHARING: '1',
  PROMPTFOO_CACHE_ENABLED: 'false',
} as const;
