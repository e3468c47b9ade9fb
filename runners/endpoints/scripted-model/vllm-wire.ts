import { randomUUID } from 'node:crypto';
import { formatJsonLikePython } from './python-json.ts';
import type { ToolCallSpec } from './profiles/profile-types.ts';
import { estimateTextTokens } from './token-estimate.ts';

/**
 * vLLM's OpenAI-compatible response shapes (`vllm/entrypoints/openai/chat_completion/serving.py`
 * and `protocol.py`). Stream chunks are dumped with `exclude_unset`, so they carry only the
 * fields vLLM sets; the non-streaming response is dumped whole, nulls included.
 */

/** What the model produced, ready for the wire. */
export interface AssistantOutput {
  content: string | null;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason: 'stop' | 'tool_calls';
  completionTokens: number;
}

export interface ResponseMeta {
  id: string;
  created: number;
  model: string;
}

export interface Usage {
  prompt_tokens: number;
  total_tokens: number;
  completion_tokens: number;
}

/** Characters per streamed fragment; vLLM streams a token or a few at a time. */
const FRAGMENT_LENGTH = 24;

/** `chatcmpl-<32 hex>`, like vLLM's request ids. */
export function createCompletionId(): string {
  return `chatcmpl-${randomHex()}`;
}

/** `chatcmpl-tool-<32 hex>`, like vLLM's `make_tool_call_id()`. */
export function createToolCallId(): string {
  return `chatcmpl-tool-${randomHex()}`;
}

function randomHex(): string {
  return randomUUID().replaceAll('-', '');
}

export function describeTextOutput(text: string): AssistantOutput {
  return { content: text, toolCalls: [], finishReason: 'stop', completionTokens: estimateTextTokens(text) };
}

/** Tool calls as vLLM's tool parsers return them: arguments serialized like Python's json.dumps. */
export function describeToolCallOutput(calls: readonly ToolCallSpec[]): AssistantOutput {
  const toolCalls = calls.map((call) => ({ id: createToolCallId(), name: call.name, arguments: formatJsonLikePython(call.arguments) }));
  const completionTokens = toolCalls.reduce((sum, call) => sum + estimateTextTokens(`${call.name}${call.arguments}`) + 8, 0);
  return { content: null, toolCalls, finishReason: 'tool_calls', completionTokens };
}

export function buildUsage(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, total_tokens: promptTokens + completionTokens, completion_tokens: completionTokens };
}

/**
 * The stream's chunks, in order: the role chunk, content fragments, for each tool call a
 * chunk with index, id, type and function.name (no arguments yet, as the hermes parser
 * sends it) followed by argument fragments, the finish chunk, and, when usage is given,
 * the usage chunk with `choices: []`. The caller adds `data: [DONE]`.
 */
export function buildStreamChunks(meta: ResponseMeta, output: AssistantOutput, usage: Usage | undefined): object[] {
  const chunk = (choice: object): object => ({ ...baseOf(meta, 'chat.completion.chunk'), choices: [{ index: 0, ...choice }] });
  const delta = (value: object): object => chunk({ delta: value, logprobs: null, finish_reason: null });
  const chunks = [delta({ role: 'assistant', content: '' })];
  for (const fragment of splitIntoFragments(output.content ?? '')) chunks.push(delta({ content: fragment }));
  output.toolCalls.forEach((call, index) => {
    chunks.push(delta({ tool_calls: [{ id: call.id, type: 'function', index, function: { name: call.name } }] }));
    for (const fragment of splitIntoFragments(call.arguments)) {
      chunks.push(delta({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  chunks.push(chunk({ delta: {}, logprobs: null, finish_reason: output.finishReason, stop_reason: null }));
  if (usage !== undefined) chunks.push({ ...baseOf(meta, 'chat.completion.chunk'), choices: [], usage });
  return chunks;
}

/** The non-streaming `chat.completion` response. */
export function buildCompletion(meta: ResponseMeta, output: AssistantOutput, usage: Usage): object {
  const toolCalls = output.toolCalls.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
  const message = {
    role: 'assistant',
    content: output.content,
    refusal: null,
    annotations: null,
    audio: null,
    function_call: null,
    // vLLM drops an empty tool_calls list from the message.
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    reasoning: null,
  };
  return {
    ...baseOf(meta, 'chat.completion'),
    choices: [{ index: 0, message, logprobs: null, finish_reason: output.finishReason, stop_reason: null, token_ids: null }],
    service_tier: null,
    system_fingerprint: null,
    usage: { ...usage, prompt_tokens_details: null },
    prompt_logprobs: null,
    prompt_token_ids: null,
    kv_transfer_params: null,
  };
}

/** `GET /v1/models`: vLLM's ModelList with one ModelCard per served name. */
export function buildModelList(options: { names: readonly string[]; created: number; maxModelLen: number }): object {
  const { names, created, maxModelLen } = options;
  return {
    object: 'list',
    data: names.map((name) => ({
      id: name,
      object: 'model',
      created,
      owned_by: 'vllm',
      root: name,
      parent: null,
      max_model_len: maxModelLen,
      permission: [
        {
          id: `modelperm-${randomHex()}`,
          object: 'model_permission',
          created,
          allow_create_engine: false,
          allow_sampling: true,
          allow_logprobs: true,
          allow_search_indices: false,
          allow_view: true,
          allow_fine_tuning: false,
          organization: '*',
          group: null,
          is_blocking: false,
        },
      ],
    })),
  };
}

function baseOf(meta: ResponseMeta, object: string): object {
  return { id: meta.id, object, created: meta.created, model: meta.model };
}

/** Splits by code points, so a fragment never ends inside a surrogate pair. */
function splitIntoFragments(text: string): string[] {
  const codePoints = Array.from(text);
  const fragments: string[] = [];
  for (let start = 0; start < codePoints.length; start += FRAGMENT_LENGTH) {
    fragments.push(codePoints.slice(start, start + FRAGMENT_LENGTH).join(''));
  }
  return fragments;
}
