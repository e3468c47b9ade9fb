/**
 * vLLM's OpenAI-server error responses. Current vLLM (`ErrorResponse{error: ErrorInfo}` in
 * `vllm/entrypoints/openai/engine/protocol.py`) nests the fields under `error`, as OpenAI does:
 * `{"error": {"message", "type", "param", "code"}}`, with `code` the HTTP status as a number.
 */
export interface VllmErrorBody {
  error: { message: string; type: string; param: string | null; code: number };
}

export interface VllmError {
  status: number;
  body: VllmErrorBody;
}

function createVllmError(status: number, type: string, message: string, param: string | null = null): VllmError {
  return { status, body: { error: { message, type, param, code: status } } };
}

/** `_check_model`: the requested model is not served. */
export function createModelNotFoundError(model: string): VllmError {
  return createVllmError(404, 'NotFoundError', `The model \`${model}\` does not exist.`, 'model');
}

/** FastAPI's request validation, which vLLM turns into a 400 with type "Bad Request". */
export function createInvalidJsonError(detail: string): VllmError {
  return createVllmError(
    400,
    'Bad Request',
    `[{'type': 'json_invalid', 'loc': ('body', 0), 'msg': 'JSON decode error', 'input': {}, 'ctx': {'error': '${detail}'}}]`,
  );
}

export function createRequestValidationError(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): VllmError {
  const errors = issues.map((issue) => {
    const location = ['body', ...issue.path.map((key) => String(key))].map((key) => `'${key}'`).join(', ');
    return `{'type': 'value_error', 'loc': (${location}), 'msg': '${issue.message}'}`;
  });
  return createVllmError(400, 'Bad Request', `[${errors.join(', ')}]`);
}

/** A generation failure: what `GenerationError` becomes. */
export function createInternalServerError(): VllmError {
  return createVllmError(500, 'InternalServerError', 'Internal server error');
}

/**
 * vLLM's context-length checks (current wording, `serving_engine.py` / `get_max_tokens`): a
 * prompt that alone reaches max_model_len, then a prompt plus requested output beyond it.
 * OpenCode recognises both as a context overflow (`/maximum context length is \d+ tokens/i`).
 */
export function checkContextLength(options: {
  promptTokens: number;
  maxTokens: number | undefined;
  maxModelLen: number;
}): VllmError | undefined {
  const { promptTokens, maxTokens, maxModelLen } = options;
  if (promptTokens >= maxModelLen) {
    return createVllmError(
      400,
      'BadRequestError',
      `This model's maximum context length is ${maxModelLen} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`,
    );
  }
  if (maxTokens === undefined || promptTokens + maxTokens <= maxModelLen) return undefined;
  return createVllmError(
    400,
    'BadRequestError',
    `'max_tokens' or 'max_completion_tokens' is too large: ${maxTokens}. This model's maximum context length is ${maxModelLen} tokens and your request has ${promptTokens} input tokens (${maxTokens} > ${maxModelLen} - ${promptTokens}).`,
  );
}

/** The message vLLM answers `tool_choice: "auto"` with when started without a tool parser. */
export const AUTO_TOOL_CHOICE_MESSAGE = '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set';

/** vLLM started without `--enable-auto-tool-choice --tool-call-parser …` and asked for tool_choice "auto". */
export function createAutoToolChoiceError(): VllmError {
  return createVllmError(400, 'BadRequestError', AUTO_TOOL_CHOICE_MESSAGE);
}
