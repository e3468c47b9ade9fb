import { detectTextToolCalls } from '../../attempt/checks/detect-text-tool-calls.ts';
import type { EndpointTarget } from '../../core/domain/target.ts';

/** The probe's one tool: a prompt that can only be satisfied by calling it. */
export const PROBE_TOOL_NAME = 'record_status';

export type ToolProbeResult =
  | { kind: 'structured'; name: string; argumentsValid: boolean }
  | { kind: 'text-tool-call'; pattern: string; excerpt: string }
  | { kind: 'no-tool-call'; excerpt: string }
  | { kind: 'http-error'; status: number; message: string }
  | { kind: 'failed'; message: string };

export interface ToolProbeOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  fetch?: typeof fetch | undefined;
}

/**
 * Sends one streaming chat completion shaped like OpenCode's (tools, `tool_choice: "auto"`,
 * stream with usage, the target's sampling) and reports whether the call came back as
 * structured `tool_calls`, as text in the content, not at all, or as an HTTP error.
 */
export async function probeToolCalling(target: EndpointTarget, options: ToolProbeOptions): Promise<ToolProbeResult> {
  const body = {
    model: target.model,
    max_tokens: Math.min(256, target.limits.output),
    temperature: target.sampling.temperature ?? 0,
    ...(target.sampling.topP === undefined ? {} : { top_p: target.sampling.topP }),
    ...(target.sampling.seed === undefined ? {} : { seed: target.sampling.seed }),
    messages: [
      { role: 'system', content: 'You are a tool-calling check. Answer only by calling the tool you are given.' },
      { role: 'user', content: `Record the status "ready" by calling the ${PROBE_TOOL_NAME} tool. Do not answer in text.` },
    ],
    tools: [
      {
        type: 'function',
        function: {
          name: PROBE_TOOL_NAME,
          description: 'Records a status word.',
          parameters: { type: 'object', properties: { status: { type: 'string', description: 'The status word' } }, required: ['status'] },
        },
      },
    ],
    tool_choice: 'auto',
    stream: true,
    stream_options: { include_usage: true },
  };
  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? fetch)(`${target.baseURL.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  if (!response.ok) return { kind: 'http-error', status: response.status, message: readErrorMessage(text) };
  return classifyStream(text);
}

function readErrorMessage(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) {
      const error = (parsed as { error?: unknown; message?: unknown; detail?: unknown }).error ?? parsed;
      const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : error;
      if (typeof message === 'string') return message;
    }
  } catch {
    // Not JSON: show the text.
  }
  return text.slice(0, 500);
}

/** Reassembles an SSE chat-completions stream the way the AI SDK does. */
export function classifyStream(sse: string): ToolProbeResult {
  let content = '';
  const calls = new Map<number, { name: string; arguments: string }>();
  for (const block of sse.split('\n\n')) {
    const data = block.split('\n').find((line) => line.startsWith('data: '))?.slice('data: '.length);
    if (data === undefined || data === '[DONE]') continue;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return { kind: 'failed', message: `the stream held a chunk that is not JSON: ${data.slice(0, 200)}` };
    }
    for (const choice of (chunk as { choices?: unknown[] }).choices ?? []) {
      const delta = (choice as { delta?: { content?: unknown; tool_calls?: unknown[] } }).delta;
      if (typeof delta?.content === 'string') content += delta.content;
      for (const raw of delta?.tool_calls ?? []) {
        const call = raw as { index?: number; function?: { name?: unknown; arguments?: unknown } };
        const existing = calls.get(call.index ?? 0) ?? { name: '', arguments: '' };
        if (typeof call.function?.name === 'string') existing.name += call.function.name;
        if (typeof call.function?.arguments === 'string') existing.arguments += call.function.arguments;
        calls.set(call.index ?? 0, existing);
      }
    }
  }
  const first = calls.get(0) ?? [...calls.values()][0];
  if (first !== undefined) return { kind: 'structured', name: first.name, argumentsValid: isJsonObject(first.arguments) };
  const textCall = detectTextToolCalls(content)[0];
  if (textCall !== undefined) return { kind: 'text-tool-call', pattern: textCall.pattern, excerpt: textCall.excerpt };
  return { kind: 'no-tool-call', excerpt: content.slice(0, 240) };
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
