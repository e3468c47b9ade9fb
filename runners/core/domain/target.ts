/** Targets (where a model is served) and prompt variants: the cohort axes of a run. */

export interface TargetLimits {
  /** Context window of the served model, in tokens. */
  context: number;
  /** Maximum output tokens per request (OpenCode otherwise asks for 32000). */
  output: number;
}

export interface TargetSampling {
  temperature?: number | undefined;
  topP?: number | undefined;
  seed?: number | undefined;
}

interface TargetCommon {
  id: string;
  /** Served model name, sent as `model` in each request. */
  model: string;
  /** Quantization label such as fp16, awq-int4, gptq-int8. */
  quantization: string;
  limits: TargetLimits;
  sampling: TargetSampling;
  /** USD per million tokens, when known. */
  costPerMillionTokens?: { input: number; output: number } | undefined;
}

/** A target served by the embedded scripted model; `model` names its profile. */
export interface ScriptedTarget extends TargetCommon {
  kind: 'scripted';
}

/** A target on any OpenAI-compatible server, e.g. vLLM. */
export interface EndpointTarget extends TargetCommon {
  kind: 'openai-compatible';
  /** The (first) replica's base URL: where `serve`, doctor's tool-calling probe and fingerprints look. */
  baseURL: string;
  /**
   * Every replica of the model (`baseURL: [...]` in the config), first one = `baseURL`; absent
   * or one element for a single server. Read it through `replicaURLsOf`.
   */
  baseURLs?: readonly string[] | undefined;
  /** Name of the environment variable holding the API key; never recorded. */
  apiKeyEnv?: string | undefined;
  /** How to bring the model up on its server (one GPU serves one model at a time). */
  serve?: TargetServe | undefined;
}

/** A command that makes `baseURL` serve the target's model, e.g. a script that (re)starts vLLM. */
export interface TargetServe {
  /** argv, run without a shell in the config file's folder; may run in the foreground or exit once started. */
  command: string[];
  /** How long to wait for `GET {baseURL}/models` to list the model. */
  readyTimeoutMs: number;
  /** argv that stops the model server; without it the harness kills the command's process group. */
  stopCommand?: string[] | undefined;
}

/**
 * A target answered from the cassettes of a recorded run (`--record`), without a GPU. Requests
 * are matched to the recorded exchanges; one that matches none is a replay miss (an infra error).
 */
export interface ReplayTarget extends TargetCommon {
  kind: 'replay';
  /** The recorded run's `cassettes/` folder (relative paths resolve against the config file's folder). */
  cassettesDir: string;
  /** The id of the target that was recorded, when it differs from this target's id. */
  replayOf?: string | undefined;
}

export type ResolvedTarget = ScriptedTarget | EndpointTarget | ReplayTarget;

/** The base URLs of an endpoint target's replicas, in config order (one for a single server). */
export function replicaURLsOf(target: EndpointTarget): string[] {
  return target.baseURLs !== undefined && target.baseURLs.length > 0 ? [...target.baseURLs] : [target.baseURL];
}

/** A base URL as replicas are compared: trailing slashes off (`http://gpu1:8000/v1/` = `http://gpu1:8000/v1`). */
export function normalizeReplicaURL(baseURL: string): string {
  return baseURL.replace(/\/+$/, '');
}

export type { ResolvedPromptVariant } from './variant.ts';
