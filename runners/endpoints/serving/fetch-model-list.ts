import { z } from 'zod';

/** A served model as `/v1/models` describes it; vLLM adds `max_model_len`. */
export interface ListedModel {
  id: string;
  maxModelLen: number | undefined;
}

export type ModelListResult =
  | { status: 'listed'; models: ListedModel[] }
  | { status: 'unreachable'; message: string }
  | { status: 'bad-response'; message: string };

const modelListSchema = z.object({
  data: z.array(z.object({ id: z.string(), max_model_len: z.number().int().positive().nullish() }).passthrough()),
});

export interface FetchModelListOptions {
  headers?: Record<string, string> | undefined;
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/** `GET {baseURL}/models`, validated; failures are values, never thrown. */
export async function fetchModelList(baseURL: string, options: FetchModelListOptions = {}): Promise<ModelListResult> {
  const url = `${baseURL.replace(/\/+$/, '')}/models`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { headers: options.headers ?? {}, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { status: 'unreachable', message: `${url} could not be reached (${error instanceof Error ? error.message : String(error)}${cause})` };
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) return { status: 'bad-response', message: `${url} answered HTTP ${response.status}: ${text.slice(0, 300)}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: 'bad-response', message: `${url} did not answer JSON: ${text.slice(0, 300)}` };
  }
  const parsed = modelListSchema.safeParse(json);
  if (!parsed.success) return { status: 'bad-response', message: `${url} did not answer an OpenAI model list: ${parsed.error.issues[0]?.message ?? ''}` };
  return { status: 'listed', models: parsed.data.data.map((model) => ({ id: model.id, maxModelLen: model.max_model_len ?? undefined })) };
}

/** The Authorization header for a target whose API key is named by `apiKeyEnv`. */
export function authHeadersOf(target: { kind: string; apiKeyEnv?: string | undefined }): Record<string, string> {
  if (target.apiKeyEnv === undefined) return {};
  const key = process.env[target.apiKeyEnv];
  return key === undefined ? {} : { authorization: `Bearer ${key}` };
}
