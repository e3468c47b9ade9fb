import { z } from 'zod';

/** One part of a multi-part message content; only text parts carry words we read. */
const contentPartSchema = z.object({ type: z.string(), text: z.string().optional() });

const messageContentSchema = z.union([z.string(), z.array(contentPartSchema), z.null()]).optional();

const toolCallSchema = z.object({
  id: z.string().optional(),
  type: z.string().optional(),
  function: z.object({ name: z.string(), arguments: z.string().optional() }),
});

const messageSchema = z.object({
  role: z.string(),
  content: messageContentSchema,
  tool_calls: z.array(toolCallSchema).optional(),
  tool_call_id: z.string().optional(),
});

/**
 * The part of an OpenAI chat-completions request the scripted model reads. Unknown fields
 * (temperature, tool_choice, seed, …) are accepted and ignored, as vLLM ignores fields it
 * does not use.
 */
export const chatRequestSchema = z.object({
  model: z.string(),
  messages: z.array(messageSchema),
  max_tokens: z.number().int().nullish(),
  max_completion_tokens: z.number().int().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  tools: z.array(z.unknown()).nullish(),
  tool_choice: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatMessage = ChatRequest['messages'][number];

/** The text of a message: its string content, or its text parts joined. */
export function readMessageText(message: ChatMessage): string {
  const content = message.content;
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('\n');
}

/** Output tokens the client asked for, as vLLM reads them (max_completion_tokens first). */
export function readRequestedMaxTokens(request: ChatRequest): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens ?? undefined;
}

/** Whether a final usage chunk is wanted: vLLM defaults include_usage to true once stream_options is given. */
export function wantsStreamUsage(request: ChatRequest): boolean {
  if (request.stream_options === undefined || request.stream_options === null) return false;
  return request.stream_options.include_usage ?? true;
}

/**
 * The tool choice vLLM acts on: the request's, or "auto" when tools are offered without one
 * (vLLM's request validator fills it in), else "none".
 */
export function readToolChoice(request: ChatRequest): string {
  const choice = request.tool_choice;
  if (typeof choice === 'string') return choice;
  if (choice !== undefined && choice !== null) return 'named';
  return (request.tools?.length ?? 0) > 0 ? 'auto' : 'none';
}
