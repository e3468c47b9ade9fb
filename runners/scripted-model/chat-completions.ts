import { chatRequestSchema, readRequestedMaxTokens, wantsStreamUsage, type ChatRequest } from './chat-request.ts';
import { readConversation, type ConversationFacts } from './conversation.ts';
import { PROFILES } from './profiles/profile-registry.ts';
import { isProfileName, type ProfileContext, type ProfileReply, type SandboxView } from './profiles/profile-types.ts';
import { matchScenario, type ScenarioScript } from './scenario-scripts.ts';
import { estimatePromptTokens } from './token-estimate.ts';
import {
  checkContextLength,
  createInternalServerError,
  createInvalidJsonError,
  createModelNotFoundError,
  createRequestValidationError,
  type VllmError,
} from './vllm-errors.ts';
import {
  buildCompletion,
  buildStreamChunks,
  buildUsage,
  createCompletionId,
  describeTextOutput,
  describeToolCallOutput,
  type AssistantOutput,
} from './vllm-wire.ts';

/** How the server answers one chat-completions request. */
export type ChatAnswer =
  | { kind: 'error'; error: VllmError }
  | { kind: 'hang' }
  | { kind: 'stream'; chunks: object[] }
  | { kind: 'json'; body: object };

export interface ChatAnswerOptions {
  scripts: readonly ScenarioScript[];
  maxModelLen: number;
  /** Seconds since the epoch, for `created`. */
  nowSeconds: number;
  /** Gives the profile a view of the sandbox at the path OpenCode's system prompt names. */
  openSandbox: (workingDirectory: string | undefined) => SandboxView;
}

/** Title generation and compaction requests (no tools offered) get this, whatever the profile. */
export const AUXILIARY_REPLY_TEXT = 'Scripted session';

/** Answers a request body in the order vLLM checks it: JSON, schema, model, context length. */
export function answerChatRequest(rawBody: string, options: ChatAnswerOptions): ChatAnswer {
  const parsed = parseRequestBody(rawBody);
  if (parsed.status === 'invalid') return { kind: 'error', error: parsed.error };
  const request = parsed.request;
  if (!isProfileName(request.model)) return { kind: 'error', error: createModelNotFoundError(request.model) };
  const promptTokens = estimatePromptTokens(request);
  const overflow = checkContextLength({ promptTokens, maxTokens: readRequestedMaxTokens(request), maxModelLen: options.maxModelLen });
  if (overflow !== undefined) return { kind: 'error', error: overflow };

  const conversation = readConversation(request);
  const reply: ProfileReply = conversation.isAuxiliary
    ? { kind: 'text', text: AUXILIARY_REPLY_TEXT }
    : PROFILES[request.model](buildProfileContext(conversation, options));
  switch (reply.kind) {
    case 'server-error':
      return { kind: 'error', error: createInternalServerError() };
    case 'hang':
      return { kind: 'hang' };
    case 'text':
      return renderOutput(request, describeTextOutput(reply.text), promptTokens, options);
    case 'tool-calls':
      return renderOutput(request, describeToolCallOutput(reply.calls), promptTokens, options);
  }
}

type ParsedBody = { status: 'valid'; request: ChatRequest } | { status: 'invalid'; error: VllmError };

function parseRequestBody(rawBody: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { status: 'invalid', error: createInvalidJsonError(detail) };
  }
  const result = chatRequestSchema.safeParse(json);
  if (!result.success) return { status: 'invalid', error: createRequestValidationError(result.error.issues) };
  return { status: 'valid', request: result.data };
}

function buildProfileContext(conversation: ConversationFacts, options: ChatAnswerOptions): ProfileContext {
  return {
    scenario: matchScenario(options.scripts, conversation.firstUserText),
    workingDirectory: conversation.workingDirectory,
    turnIndex: Math.max(0, conversation.userMessageCount - 1),
    stepIndex: conversation.toolRoundsThisTurn,
    sandbox: options.openSandbox(conversation.workingDirectory),
  };
}

function renderOutput(request: ChatRequest, output: AssistantOutput, promptTokens: number, options: ChatAnswerOptions): ChatAnswer {
  const meta = { id: createCompletionId(), created: options.nowSeconds, model: request.model };
  const usage = buildUsage(promptTokens, output.completionTokens);
  if (request.stream === true) {
    return { kind: 'stream', chunks: buildStreamChunks(meta, output, wantsStreamUsage(request) ? usage : undefined) };
  }
  return { kind: 'json', body: buildCompletion(meta, output, usage) };
}
