/**
 * The size of what OpenCode sends the model, read from a recorded chat-completions request body:
 * the system prompt (every system message), the tool definitions, and how many tools are offered.
 * Tokens are estimated at 4 characters each (the scripted model's own rule), for comparison only.
 */
export interface RequestSize {
  systemChars: number;
  toolChars: number;
  tools: number;
  approxTokens: number;
}

interface ChatRequest {
  messages?: Array<{ role?: string; content?: unknown }>;
  tools?: unknown[];
}

export function measureRequest(body: string): RequestSize {
  const request = JSON.parse(body) as ChatRequest;
  const systemChars = (request.messages ?? []).filter((message) => message.role === 'system').reduce((sum, message) => sum + textOf(message.content).length, 0);
  const tools = request.tools ?? [];
  const toolChars = tools.length === 0 ? 0 : JSON.stringify(tools).length;
  return { systemChars, toolChars, tools: tools.length, approxTokens: Math.round((systemChars + toolChars) / 4) };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: unknown) => (typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : '')).join('');
  return '';
}
