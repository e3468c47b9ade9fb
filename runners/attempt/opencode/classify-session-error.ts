import type { InfraSource } from '../../core/domain/transcript.ts';

export interface SessionErrorLike {
  name: string;
  data?: { message?: unknown; statusCode?: unknown; isRetryable?: unknown; responseBody?: unknown } | undefined;
}

export type SessionErrorClass =
  /** Our own abort (timeout, infra stop): not a signal about the model. */
  | { kind: 'aborted' }
  /** The endpoint or OpenCode failed: the attempt is an infra error, never a model failure. */
  | { kind: 'infra'; source: InfraSource; message: string }
  /** The model's own doing (malformed output, context overflow): recorded for agent health. */
  | { kind: 'model'; message: string };

/** Decides who is to blame for a `session.error`. */
export function classifySessionError(error: SessionErrorLike): SessionErrorClass {
  const message = messageOf(error);
  switch (error.name) {
    case 'MessageAbortedError':
      return { kind: 'aborted' };
    case 'ContextOverflowError':
    case 'MessageOutputLengthError':
    case 'StructuredOutputError':
    case 'ContentFilterError':
      return { kind: 'model', message: `${error.name}: ${message}` };
    case 'ProviderAuthError':
      return { kind: 'infra', source: 'endpoint', message: `endpoint refused the credentials: ${message}` };
    case 'APIError':
      return classifyApiError(error, message);
    default:
      // UnknownError and the like come from parsing the model's stream (e.g. a tool call
      // without a function name): the model's output, not the infrastructure.
      return { kind: 'model', message: `${error.name}: ${message}` };
  }
}

function classifyApiError(error: SessionErrorLike, message: string): SessionErrorClass {
  const status = typeof error.data?.statusCode === 'number' ? error.data.statusCode : undefined;
  if (/maximum context length|context length|too many tokens/i.test(message)) {
    return { kind: 'model', message: `context overflow: ${message}` };
  }
  if (status === undefined || status >= 500 || status === 429 || error.data?.isRetryable === true) {
    return { kind: 'infra', source: 'endpoint', message: `endpoint unavailable${status === undefined ? '' : ` (HTTP ${status})`}: ${message}` };
  }
  // A 4xx that is not about the conversation's length is a serving or config problem
  // (e.g. vLLM started without --enable-auto-tool-choice, or an unknown model name).
  return { kind: 'infra', source: 'endpoint', message: `endpoint rejected the request (HTTP ${status}): ${message}` };
}

function messageOf(error: SessionErrorLike): string {
  const message = error.data?.message;
  return typeof message === 'string' ? message.slice(0, 1000) : error.name;
}
