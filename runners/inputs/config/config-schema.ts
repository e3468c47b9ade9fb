import { z } from 'zod';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be an id of letters, digits, ".", "_" or "-"');

const limits = z
  .object({
    context: z.number().int().positive('must be the served context length in tokens, e.g. 32768'),
    output: z.number().int().positive('must be the max output tokens per request, e.g. 4096'),
  })
  .strict()
  .refine((value) => value.output < value.context, {
    message: 'output must be smaller than context (vLLM rejects prompt + max_tokens > max_model_len)',
  });

const sampling = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().gt(0).max(1).optional(),
    seed: z.number().int().optional(),
  })
  .strict();

const cost = z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict();

const serve = z
  .object({
    command: z.array(z.string().min(1)).min(1, 'must be an argv such as ["./switch-model.sh", "Qwen/Qwen2.5-Coder-14B-Instruct-AWQ"]'),
    readyTimeoutMs: z.number().int().positive().default(600_000),
    stopCommand: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

const baseURL = z
  .string()
  .url('must be a URL such as http://gpu-host:8000/v1')
  .refine((url) => /^https?:\/\//.test(url), { message: 'must start with http:// or https://' });

/** Replicas of one model: each a base URL, none twice (trailing slashes aside). */
const replicaList = z
  .array(baseURL)
  .min(1, 'must list at least one base URL, e.g. ["http://gpu1:8000/v1", "http://gpu2:8000/v1"] (or give one URL as a string)')
  .superRefine((urls, context) => {
    const seen = new Map<string, number>();
    urls.forEach((url, index) => {
      const key = url.replace(/\/+$/, '');
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else context.addIssue({ code: 'custom', path: [index], message: `repeats replica ${first} (${url}); list each replica's base URL once` });
    });
  });

const targetCommon = {
  id,
  model: z.string().min(1, 'must be the served model name (or the scripted profile)'),
  quantization: z.string().min(1).default('unknown'),
  limits: limits.default({ context: 32768, output: 4096 }),
  sampling: sampling.default({ temperature: 0 }),
  costPerMillionTokens: cost.optional(),
};

/** A replay target (`kind: 'replay'`): answered from a recorded run's cassettes (`run --record`). */
export const replayTargetSchema = z
  .object({
    kind: z.literal('replay'),
    ...targetCommon,
    cassettesDir: z.string().min(1, "must be a recorded run's cassettes folder, e.g. runs/<run id>/cassettes"),
    replayOf: id.optional(),
  })
  .strict();


/**
 * The embedded scripted model serves 32 768 tokens, like vLLM with --max-model-len 32768, which
 * refuses a request whose prompt plus max_tokens is longer. OpenCode compacts at context −
 * output: told the whole window, it would compact exactly where the server starts refusing, so
 * a turn that reads a large file overflows instead. Scripted targets therefore tell OpenCode
 * 8 192 tokens fewer — the headroom README § Targets recommends for vLLM too.
 */
export const SCRIPTED_TARGET_LIMITS = { context: 24_576, output: 4096 };

export const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('scripted'), ...targetCommon, limits: limits.default(SCRIPTED_TARGET_LIMITS) }).strict(),
  z
    .object({
      kind: z.literal('openai-compatible'),
      ...targetCommon,
      /** The server's base URL, or a list of replicas serving the same model (attempts are spread over them). */
      baseURL: z.union([baseURL, replicaList], { error: 'must be a base URL such as http://gpu-host:8000/v1, or a list of replicas such as ["http://gpu1:8000/v1", "http://gpu2:8000/v1"]' }),
      apiKeyEnv: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be the NAME of an environment variable holding the key, not the key itself')
        .optional(),
      serve: serve.optional(),
    })
    .strict()
    .superRefine((target, context) => {
      // `serve` brings one server's model up; it knows nothing of the other replicas.
      if (Array.isArray(target.baseURL) && target.baseURL.length > 1 && target.serve !== undefined) {
        context.addIssue({ code: 'custom', path: ['serve'], message: 'cannot bring up several replicas (baseURL lists more than one); start the replicas yourself and remove serve, or give one baseURL' });
      }
    }),
  replayTargetSchema,
]);

const share = (example: string) => z.number().min(0, `must be a share between 0 and 1, e.g. ${example}`).max(1, `must be a share between 0 and 1, e.g. ${example}`);

export const gateSchema = z
  .object({
    /** Every cohort's pass rate must be at least this (0…1). */
    minPassRate: share('0.8').optional(),
    /** Every cohort's permission-violation rate must be at most this (0…1). */
    maxViolationRate: share('0 for none at all').optional(),
    /** `harness compare`: fail on a significant regression against the baseline (paired over scenarios, Holm over the cohorts). */
    failOnSignificantRegression: z.boolean().default(true),
    /**
     * Which number of the pass rate meets `minPassRate`: 'estimate' (the point estimate), 'lower'
     * (the lower bound of its 95% interval must reach it) or 'upper' (fails only when even the upper
     * bound is below it).
     */
    passRateBound: z.enum(['estimate', 'lower', 'upper'], { message: 'must be "estimate", "lower" or "upper" (which number of the pass rate meets minPassRate)' }).default('estimate'),
    /** Every cohort needs at least this many model-answerable specs (infra errors and pending specs do not count). */
    minAnswerable: z
      .number()
      .int('must be a whole number of specs, e.g. 10')
      .min(1, 'must be at least 1 model-answerable spec per cohort, e.g. 10')
      .default(1),
  })
  .strict();

/** `harness run --until-decided`: the sequential design (see runners/pipeline/statistics/sequential.ts). */
export const untilDecidedSchema = z
  .object({
    /** Repeats of every cell in round 1 (≥ 2, so that disagreement can show). */
    initialRepeats: z.number().int().min(2, 'must be at least 2 repeats, so that round 1 can show disagreement').max(1000).default(4),
    /** Most repeats any cell gets; `--max-repeats` overrides it. Cumulative repeats double per round up to it. */
    maxRepeats: z.number().int().min(2).max(1000).default(32),
    /** Attempt budget over all rounds; `--budget` overrides it. */
    budget: z.number().int().positive().optional(),
    /** Family-wise error rate over all rounds and pairs. */
    alpha: z.number().gt(0, 'must be a probability such as 0.05').max(0.5, 'must be at most 0.5, e.g. 0.05').default(0.05),
    /** ρ of the spending function α·(t/T)^ρ: 1 spends evenly, larger keeps more for the last rounds. */
    spendingExponent: z.number().gt(0).max(10).default(1),
    /** Stop sampling a scenario once every configuration still sampled has this many identical outcomes in it. */
    dropAfterRepeats: z.number().int().min(1).max(1000).default(8),
    /** Give up on a pair whose optimistic projection falls this many standard errors short; larger gives up less often. */
    futilityMargin: z.number().min(0).max(10).default(2),
  })
  .strict();

export const autoConcurrencySchema = z
  .object({
    /** Most attempts at once on one model server; also bounded by this machine's memory and CPU. */
    max: z.number().int().min(1).max(64).default(16),
    /** Attempts at once when a server's first reading comes in. */
    start: z.number().int().min(1).max(64).default(2),
    /** Attempts at once on a server without vLLM /metrics (no signal to follow). */
    fallback: z.number().int().min(1).max(64).default(2),
    /** How often each server's /metrics is read. */
    sampleMs: z.number().int().min(200).max(60_000).default(1000),
    /** Readings per decision (a decision every sampleMs · windowSamples). */
    windowSamples: z.number().int().min(1).max(60).default(3),
  })
  .strict()
  .superRefine((auto, context) => {
    for (const key of ['start', 'fallback'] as const) {
      if (auto[key] > auto.max) context.addIssue({ code: 'custom', path: [key], message: `${auto[key]} is above max (${auto.max}); lower it or raise max` });
    }
  });

export const configSchema = z
  .object({
    /** Where runs are written; each run gets a sub-folder. */
    outputDir: z.string().min(1).default('runs'),
    scenariosDir: z.string().min(1).default('scenarios'),
    fixturesDir: z.string().min(1).default('fixtures'),
    promptsDir: z.string().min(1).default('prompts'),
    /** Scenario ids to run; default: every scenario under scenariosDir. */
    scenarios: z.array(id).min(1).optional(),
    promptVariants: z.array(id).min(1).default(['default']),
    targets: z.array(targetSchema).min(1, 'must list at least one target'),
    repeats: z.number().int().min(1).max(1000).default(1),
    /**
     * Attempts at once (one OpenCode server each), or `auto`: as many as the model server has
     * room for, read from its vLLM /metrics (see `autoConcurrency`).
     */
    concurrency: z.union([z.number().int().min(1).max(64), z.literal('auto')], { error: 'must be a whole number from 1 to 64, or "auto"' }).default(2),
    /** How `concurrency: auto` adapts; ignored for a fixed concurrency. */
    autoConcurrency: autoConcurrencySchema.prefault({}),
    /** Overrides each scenario's own timeout when set. */
    attemptTimeoutMs: z.number().int().positive().optional(),
    /** Per check subprocess. */
    checkTimeoutMs: z.number().int().positive().default(120_000),
    /** Most model calls (agent steps) per user turn; at the limit OpenCode asks for a text-only answer, and agent health fails. */
    maxStepsPerTurn: z.number().int().min(1).max(1000).default(100),
    /**
     * A model request that gets no response byte for this long (from sending it, or since the
     * last byte) is a hung endpoint: the harness's model proxy ends it, and the attempt is an
     * endpoint infra error (retried) rather than a time-out. A slow endpoint that keeps streaming
     * is never a stall.
     */
    endpointStallMs: z.number().int().min(1000).default(60_000),
    /** OpenCode retries a failing endpoint for ~74 s; give up after this many retries and call it infra. */
    endpointRetryLimit: z.number().int().min(0).max(10).default(1),
    /** Recycle an OpenCode server after this many attempts (it never frees per-directory state). */
    attemptsPerServer: z.number().int().min(1).default(50),
    /** …or as soon as its resident memory passes this many MB. */
    serverMemoryLimitMb: z.number().int().min(200).default(1000),
    /** Infra errors (endpoint down, OpenCode crash) are retried as new attempts; model failures never. */
    infraRetries: z.number().int().min(0).max(10).default(2),
    /** Backoff before the n-th retry: retryBackoffMs · 2^(n-1). */
    retryBackoffMs: z.number().int().min(0).default(2000),
    /** Confine OpenCode (and so the agent's tools) with bubblewrap: `auto` uses it where it works. */
    isolation: z.enum(['auto', 'bubblewrap', 'none']).default('auto'),
    /** CI gate for `harness compare` and, when present, the exit code of `harness run` (see runners/pipeline/compare/gate.ts). */
    gate: gateSchema.optional(),
    /** Parameters of `harness run --until-decided` (adaptive repeats); defaults apply when absent. */
    untilDecided: untilDecidedSchema.prefault({}),
  })
  .strict()
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.targets.forEach((target, index) => {
      if (seen.has(target.id)) {
        context.addIssue({ code: 'custom', path: ['targets', index, 'id'], message: `duplicates target id "${target.id}"; ids must be unique` });
      }
      seen.add(target.id);
    });
    // A repeated id would plan every one of its specs twice, under the same spec ids.
    for (const field of ['scenarios', 'promptVariants'] as const) {
      (config[field] ?? []).forEach((id, index, ids) => {
        if (ids.indexOf(id) !== index) context.addIssue({ code: 'custom', path: [field, index], message: `repeats "${id}"; list each id once` });
      });
    }
  });

/** What a user writes in harness.config.ts (defaults filled in on load). */
export type HarnessConfigInput = z.input<typeof configSchema>;
/** The validated config, every field present. */
export type ResolvedConfigData = z.output<typeof configSchema>;
export type TargetInput = z.input<typeof targetSchema>;
