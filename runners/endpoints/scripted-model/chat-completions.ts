import { chatRequestSchema, readRequestedMaxTokens, readToolChoice, wantsStreamUsage, type ChatRequest } from './chat-request.ts';
import { listOfferedTools, readConversation, type ConversationFacts } from './conversation.ts';
import { answerProbeRequest, probeStyleOf } from './probe-replies.ts';
import { isChanceProfileName } from './profiles/chance-profiles.ts';
import { profileFor } from './profiles/profile-registry.ts';
import type { ProfileContext, ProfileReply, SandboxView } from './profiles/profile-types.ts';
import type { ProfileName } from './profiles/profile-registry.ts';
import { formatTextToolCalls } from './profiles/text-tool-call-forms.ts';
import { matchScenario, matchSubagent, type ScenarioScript } from './scenario-scripts.ts';
import { findResumedState, isCompactionRequest, writeCompactionSummary } from './compaction-state.ts';
import { drawForSession } from './session-draw.ts';
import { estimatePromptTokens } from './token-estimate.ts';
import type { FaultyAnswer } from './wire-faults.ts';
import {
  checkContextLength,
  createAutoToolChoiceError,
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

/** What the engine is asked to do: tokens in and out, for the latency model and /metrics. */
export interface GenerationFacts {
  /** The served model name the request asked for. */
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** max_tokens as the client sent it, if any. */
  maxTokens: number | undefined;
}

/** How the server answers one chat-completions request. */
export type ChatAnswer =
  | { kind: 'error'; error: VllmError }
  | { kind: 'hang'; facts: GenerationFacts }
  | { kind: 'stream'; chunks: object[]; facts: GenerationFacts }
  | { kind: 'json'; body: object; facts: GenerationFacts }
  /** A rendered answer served over a broken or slow wire (a `fault` reply). */
  | FaultyAnswer;

export interface ChatAnswerOptions {
  scripts: readonly ScenarioScript[];
  maxModelLen: number;
  /** Served model name → the profile that scripts it. */
  servedModels: ReadonlyMap<string, ProfileName>;
  /** vLLM's `--enable-auto-tool-choice --tool-call-parser …`; without it tool_choice "auto" is a 400. */
  toolCallParser: boolean;
  textToolCallRate: number;
  seed: number;
  /** Identifies the conversation for seeded draws: OpenCode's `x-session-id` header, when sent. */
  sessionKey: string | undefined;
  /** Numbers the sessions per scope (served model × scenario) in the order they first ask; without it every session is number 0. */
  sessionOrdinal?: ((scope: string, sessionKey: string) => number) | undefined;
  /** Also serve any `chance-…` name not in `servedModels` (the server's default, which serves every profile under its own name). */
  servesProfileFamilies?: boolean | undefined;
  /** Seconds since the epoch, for `created`. */
  nowSeconds: number;
  /** Gives the profile a view of the sandbox at the path OpenCode's system prompt names. */
  openSandbox: (workingDirectory: string | undefined) => SandboxView;
  /** The server's own address, for profiles that aim at a host service. */
  serverOrigin?: string | undefined;
}

/**
 * Requests without tools get this, whatever the profile (title generation, when it is on) —
 * except OpenCode's compaction request, which gets a summary (compaction-state.ts).
 */
export const AUXILIARY_REPLY_TEXT = 'Scripted session';

/** Answers a request body in the order vLLM checks it: JSON, schema, model, tool choice, context length. */
export function answerChatRequest(rawBody: string, options: ChatAnswerOptions): ChatAnswer {
  const parsed = parseRequestBody(rawBody);
  if (parsed.status === 'invalid') return { kind: 'error', error: parsed.error };
  const request = parsed.request;
  const profile = options.servedModels.get(request.model) ?? (options.servesProfileFamilies === true && isChanceProfileName(request.model) ? request.model : undefined);
  if (profile === undefined) return { kind: 'error', error: createModelNotFoundError(request.model) };
  if (readToolChoice(request) === 'auto' && !options.toolCallParser) return { kind: 'error', error: createAutoToolChoiceError() };
  const promptTokens = estimatePromptTokens(request);
  const maxTokens = readRequestedMaxTokens(request);
  const overflow = checkContextLength({ promptTokens, maxTokens, maxModelLen: options.maxModelLen });
  if (overflow !== undefined) return { kind: 'error', error: overflow };

  const facts = { model: request.model, promptTokens, completionTokens: 0, maxTokens };
  return answerWithReply(request, decideReply(request, profile, options), facts, options);
}

function answerWithReply(request: ChatRequest, reply: ProfileReply, facts: GenerationFacts, options: ChatAnswerOptions): ChatAnswer {
  switch (reply.kind) {
    case 'server-error':
      return { kind: 'error', error: createInternalServerError() };
    case 'hang':
      return { kind: 'hang', facts };
    case 'text':
      return renderOutput(request, describeTextOutput(reply.text), facts, options);
    case 'tool-calls':
      // Without a tool parser the model's tool call stays the text it wrote (Qwen's hermes tags).
      return options.toolCallParser
        ? renderOutput(request, describeToolCallOutput(reply.calls), facts, options)
        : renderOutput(request, describeTextOutput(formatTextToolCalls(reply.calls, 'hermes')), facts, options);
    case 'fault': {
      // The complete body too, which `malformed-json` cuts off even when a stream was asked for.
      const whole = answerWithReply({ ...request, stream: false }, reply.reply, facts, options);
      if (whole.kind !== 'json') return whole;
      const streamed = request.stream === true ? answerWithReply(request, reply.reply, facts, options) : undefined;
      return { kind: 'faulty', fault: reply.fault, chunks: streamed?.kind === 'stream' ? streamed.chunks : undefined, body: whole.body };
    }
  }
}

function decideReply(request: ChatRequest, profile: ProfileName, options: ChatAnswerOptions): ProfileReply {
  const conversation = readConversation(request);
  if (conversation.isAuxiliary) return { kind: 'text', text: isCompactionRequest(request) ? writeCompactionSummary(request, options.scripts) : AUXILIARY_REPLY_TEXT };
  const sessionKey = options.sessionKey ?? conversation.workingDirectory ?? conversation.firstUserText ?? '';
  const scenario = matchScenario(options.scripts, conversation.firstUserText);
  const scope = `${request.model}\u0000${scenario?.id ?? ''}`;
  const seeded = {
    draw: (salt: string) => drawForSession(options.seed, sessionKey, salt),
    scenarioDraw: (salt: string) => drawForSession(options.seed, `${scope}\u0000${options.sessionOrdinal?.(scope, sessionKey) ?? 0}`, salt),
    textToolCallRate: options.textToolCallRate,
  };
  if (conversation.workingDirectory === undefined) return answerProbeRequest(probeStyleOf(profile), request.tools ?? [], seeded);
  return profileFor(profile)({ ...buildProfileContext(conversation, request, options, seeded), offeredTools: listOfferedTools(request) });
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

/**
 * The profile's view of the conversation. After a compaction the earlier messages are gone: the
 * scenario, turn and step come from the summary the model wrote (compaction-state.ts). A child
 * session started by a reference `task` call is recognised by its first message, the task prompt.
 */
function buildProfileContext(
  conversation: ConversationFacts,
  request: ChatRequest,
  options: ChatAnswerOptions,
  seeded: Pick<ProfileContext, 'draw' | 'scenarioDraw' | 'textToolCallRate'>,
): ProfileContext {
  const resumed = findResumedState(request, options.scripts);
  const common = {
    workingDirectory: conversation.workingDirectory,
    sandbox: options.openSandbox(conversation.workingDirectory),
    firstUserText: conversation.firstUserText,
    subagent: matchSubagent(options.scripts, conversation.firstUserText),
    ...seeded,
  };
  if (resumed !== undefined) {
    return { ...common, scenario: options.scripts.find((script) => script.id === resumed.scenarioId), turnIndex: resumed.turnIndex, stepIndex: resumed.stepsDone };
  }
  return {
    ...common,
    scenario: matchScenario(options.scripts, conversation.firstUserText),
    turnIndex: Math.max(0, conversation.userMessageCount - 1),
    stepIndex: conversation.toolRoundsThisTurn,
  };
}

function renderOutput(request: ChatRequest, output: AssistantOutput, facts: GenerationFacts, options: ChatAnswerOptions): ChatAnswer {
  const meta = { id: createCompletionId(), created: options.nowSeconds, model: request.model };
  const usage = buildUsage(facts.promptTokens, output.completionTokens);
  const withOutput = { ...facts, completionTokens: output.completionTokens };
  if (request.stream === true) {
    return { kind: 'stream', chunks: buildStreamChunks(meta, output, wantsStreamUsage(request) ? usage : undefined), facts: withOutput };
  }
  return { kind: 'json', body: buildCompletion(meta, output, usage), facts: withOutput };
}
