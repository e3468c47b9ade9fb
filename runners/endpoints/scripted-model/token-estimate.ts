import { readMessageText, type ChatRequest } from './chat-request.ts';

/** Characters per token of the deterministic estimate; close to real tokenizers on English and code. */
const CHARS_PER_TOKEN = 4;

/** Tokens a chat template adds around each message (role markers, separators). */
const TOKENS_PER_MESSAGE = 4;

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Prompt tokens of a request: every message's text and tool calls plus the tool definitions. */
export function estimatePromptTokens(request: ChatRequest): number {
  let tokens = 0;
  for (const message of request.messages) {
    tokens += TOKENS_PER_MESSAGE + estimateTextTokens(readMessageText(message));
    for (const call of message.tool_calls ?? []) {
      tokens += estimateTextTokens(call.function.name) + estimateTextTokens(call.function.arguments ?? '');
    }
  }
  if (request.tools !== undefined && request.tools !== null && request.tools.length > 0) {
    tokens += estimateTextTokens(JSON.stringify(request.tools));
  }
  return tokens;
}
