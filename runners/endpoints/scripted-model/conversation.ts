import { readMessageText, type ChatRequest } from './chat-request.ts';

/** What the scripted model needs to know about a conversation to pick its next move. */
export interface ConversationFacts {
  /** Text of the first user message: the scenario's first turn, possibly wrapped by a prompt template. */
  firstUserText: string | undefined;
  /** How many user messages there are; 1 during the first turn. */
  userMessageCount: number;
  /** Assistant messages with tool calls after the last user message: tool rounds already made this turn. */
  toolRoundsThisTurn: number;
  /** The sandbox path from OpenCode's `<env>` block (`  Working directory: /abs/path`). */
  workingDirectory: string | undefined;
  /**
   * True when the request offers no tools: OpenCode's title generation and compaction calls.
   * Those are answered with plain text whatever the profile.
   */
  isAuxiliary: boolean;
}

const WORKING_DIRECTORY_LINE = /^\s*Working directory: (.+?)\s*$/m;

/** Reads the facts a profile decides on from the request's messages. */
export function readConversation(request: ChatRequest): ConversationFacts {
  const messages = request.messages;
  const userIndexes = messages.flatMap((message, index) => (message.role === 'user' ? [index] : []));
  const firstUser = userIndexes[0];
  const lastUser = userIndexes.at(-1) ?? -1;
  const toolRoundsThisTurn = messages
    .slice(lastUser + 1)
    .filter((message) => message.role === 'assistant' && (message.tool_calls?.length ?? 0) > 0).length;
  return {
    firstUserText: firstUser === undefined ? undefined : readMessageText(messages[firstUser]!),
    userMessageCount: userIndexes.length,
    toolRoundsThisTurn,
    workingDirectory: findWorkingDirectory(request),
    isAuxiliary: (request.tools?.length ?? 0) === 0,
  };
}

/** Names of the tools a request offers (built-ins and MCP tools such as `backend_get_portfolios`): the function names of its tools (`tools[].function.name`); malformed entries are skipped. */
export function listOfferedTools(request: Pick<ChatRequest, 'tools'>): string[] {
  return (request.tools ?? []).flatMap((tool) => {
    if (typeof tool !== 'object' || tool === null || !('function' in tool)) return [];
    const fn: unknown = tool.function;
    return typeof fn === 'object' && fn !== null && 'name' in fn && typeof fn.name === 'string' ? [fn.name] : [];
  });
}

function findWorkingDirectory(request: ChatRequest): string | undefined {
  for (const message of request.messages) {
    if (message.role !== 'system') continue;
    const match = WORKING_DIRECTORY_LINE.exec(readMessageText(message));
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}
