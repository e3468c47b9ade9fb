import { diagnoseReplayTarget } from './diagnose-replay-target.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { replicaURLsOf, type EndpointTarget, type ResolvedTarget } from '../../core/domain/target.ts';
import { isProfileName, PROFILE_NAMES } from '../../endpoints/scripted-model/profiles/profile-registry.ts';
import { authHeadersOf, fetchModelList, type ListedModel } from '../../endpoints/serving/fetch-model-list.ts';
import { metricsURLOf, scrapeVllmMetrics } from '../../endpoints/serving/scrape-metrics.ts';
import { error, ok, warning, type Finding, type TargetDiagnosis } from './finding.ts';
import { probeToolCalling, PROBE_TOOL_NAME, type ToolProbeResult } from './probe-tool-calling.ts';

/** OpenCode's first request (system prompt and tool schemas) is about 8–10k tokens. */
export const MIN_PROMPT_BUDGET_TOKENS = 10_000;

export interface DiagnoseOptions {
  /** How fields are named in fixes, e.g. `harness.config.ts: targets[2]`. */
  fieldPrefix: string;
  /** The config file's folder, where a relative serve command is looked up. */
  configDir: string;
  probeTimeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/** Everything `harness doctor` checks about one target, in order; stops early when the server is unreachable. */
export async function diagnoseTarget(target: ResolvedTarget, options: DiagnoseOptions): Promise<TargetDiagnosis> {
  switch (target.kind) {
    case 'scripted':
      return { targetId: target.id, model: target.model, baseURL: undefined, findings: [checkScriptedProfile(target.model, options)] };
    case 'openai-compatible': {
      const replicas = replicaURLsOf(target);
      if (replicas.length === 1) return { targetId: target.id, model: target.model, baseURL: target.baseURL, findings: await diagnoseEndpoint(target, options) };
      return { targetId: target.id, model: target.model, baseURL: target.baseURL, baseURLs: replicas, findings: await diagnoseReplicas(target, replicas, options) };
    }
    case 'replay':
      return diagnoseReplayTarget(target, options);
  }
}

function checkScriptedProfile(model: string, options: DiagnoseOptions): Finding {
  if (isProfileName(model)) return ok('scripted-profile', `served by the embedded scripted model (profile ${model})`);
  return error('scripted-profile', `"${model}" is not a scripted-model profile`, `${options.fieldPrefix}.model: use one of ${PROFILE_NAMES.join(', ')}`);
}

/**
 * Every replica of a replicated target is checked as a server of its own, its findings named by
 * its URL. One that cannot be reached while another can is a warning — a run goes on without it —
 * and an error only when none can.
 */
async function diagnoseReplicas(target: EndpointTarget, replicas: readonly string[], options: DiagnoseOptions): Promise<Finding[]> {
  const perReplica = await Promise.all(replicas.map((baseURL, index) => diagnoseEndpoint({ ...target, baseURL, baseURLs: [baseURL] }, options, `${options.fieldPrefix}.baseURL[${index}]`)));
  const reachable = perReplica.some((findings) => findings.some((finding) => finding.code === 'reachable' && finding.severity === 'ok'));
  return perReplica.flatMap((findings, index) => {
    const replica = replicas[index] ?? '';
    return findings.map((finding): Finding => {
      const message = finding.message.startsWith(replica) ? finding.message : `replica ${replica}: ${finding.message}`;
      if (finding.severity === 'ok') return { ...finding, message };
      if (finding.code === 'reachable' && reachable) return warning('reachable', `${message} (a run goes on with the replicas that answer)`, finding.fix);
      return { ...finding, message };
    });
  });
}

async function diagnoseEndpoint(target: EndpointTarget, options: DiagnoseOptions, baseURLField = `${options.fieldPrefix}.baseURL`): Promise<Finding[]> {
  const findings: Finding[] = [];
  if (target.serve !== undefined) findings.push(checkServeCommand(target.serve.command, options));
  const headers = authHeadersOf(target);
  const listing = await fetchModelList(target.baseURL, { headers, fetch: options.fetch });
  if (listing.status !== 'listed') {
    const bringUp = target.serve === undefined ? 'start the model server' : 'run `harness doctor --bring-up` or start the model server';
    findings.push(error('reachable', listing.message, `${bringUp} (e.g. vllm serve ${target.model} --port ${portOf(target.baseURL)}), or fix ${baseURLField}`));
    return findings;
  }
  findings.push(ok('reachable', `${target.baseURL}/models answers (${listing.models.length} model(s))`));
  const listed = listing.models.find((model) => model.id === target.model);
  if (listed === undefined) {
    const served = listing.models.map((model) => model.id).join(', ') || 'none';
    findings.push(
      error(
        'model-listed',
        `"${target.model}" is not served here; the server lists: ${served}`,
        `set ${options.fieldPrefix}.model to a listed name, or start vLLM with --served-model-name ${target.model}`,
      ),
    );
    return findings;
  }
  findings.push(ok('model-listed', `"${target.model}" is listed`));
  findings.push(...checkLimits(target, listed, options));
  findings.push(...judgeToolProbe(await probeToolCalling(target, { headers, timeoutMs: options.probeTimeoutMs ?? 120_000, fetch: options.fetch })));
  findings.push(await checkServingMetrics(target, headers, options));
  return findings;
}

/** limits.context against vLLM's max_model_len, and room for OpenCode's prompt beside max_tokens. */
export function checkLimits(target: EndpointTarget, listed: ListedModel, options: Pick<DiagnoseOptions, 'fieldPrefix'>): Finding[] {
  const { context, output } = target.limits;
  const findings: Finding[] = [];
  const maxModelLen = listed.maxModelLen;
  if (maxModelLen === undefined) {
    findings.push(warning('context-limit', 'the server does not report max_model_len (not vLLM?), so limits.context cannot be checked', `make sure ${options.fieldPrefix}.limits.context is at most the server's context length`));
  } else if (context > maxModelLen) {
    findings.push(
      error(
        'context-limit',
        `limits.context ${context} exceeds the server's max_model_len ${maxModelLen}: long sessions will be rejected with HTTP 400 instead of being bounded`,
        `set ${options.fieldPrefix}.limits.context to ${maxModelLen} or less, or start vLLM with --max-model-len ${context} (if the KV cache fits)`,
      ),
    );
  } else {
    findings.push(ok('context-limit', `limits.context ${context} ≤ max_model_len ${maxModelLen}`));
  }
  const window = Math.min(context, maxModelLen ?? context);
  const promptBudget = window - output;
  if (promptBudget < MIN_PROMPT_BUDGET_TOKENS) {
    findings.push(
      error(
        'prompt-budget',
        `max_tokens ${output} (limits.output) leaves ${promptBudget} of ${window} tokens for the prompt; OpenCode's first request alone is ~8–10k tokens, so vLLM answers HTTP 400`,
        `lower ${options.fieldPrefix}.limits.output to ${Math.max(1, window - MIN_PROMPT_BUDGET_TOKENS)} or less, or raise vLLM's --max-model-len to ${output + MIN_PROMPT_BUDGET_TOKENS} or more`,
      ),
    );
  } else {
    findings.push(ok('prompt-budget', `max_tokens ${output} leaves ${promptBudget} tokens for the prompt (≥ ${MIN_PROMPT_BUDGET_TOKENS})`));
  }
  if (maxModelLen !== undefined) findings.push(judgeCompactionHeadroom(context, maxModelLen, options.fieldPrefix));
  return findings;
}

/** A tool result (a page of a file, a command's output) the context should absorb between compaction and the server's limit. */
export const MIN_COMPACTION_HEADROOM_TOKENS = 8192;

/**
 * OpenCode 1.18 compacts once a step's tokens reach limits.context − limits.output; vLLM refuses
 * a prompt longer than max_model_len − max_tokens (= limits.output). With limits.context equal to
 * max_model_len both happen at the same size, so compaction almost never gets its turn: the
 * overflow error makes OpenCode compact and replay the turn from its start, losing the turn's
 * progress (a long read overflows again).
 */
export function judgeCompactionHeadroom(context: number, maxModelLen: number, fieldPrefix: string): Finding {
  const headroom = maxModelLen - context;
  if (headroom >= MIN_COMPACTION_HEADROOM_TOKENS) return ok('compaction-headroom', `OpenCode compacts ${headroom} tokens before the server's limit`);
  return warning(
    'compaction-headroom',
    `limits.context ${context} leaves ${headroom} tokens between OpenCode's compaction threshold (context − output) and max_model_len ${maxModelLen}: a turn that reads a large file overflows (HTTP 400) before OpenCode compacts, and OpenCode then replays the turn without its progress`,
    `set ${fieldPrefix}.limits.context to ${maxModelLen - MIN_COMPACTION_HEADROOM_TOKENS} or less (OpenCode is told less than the server serves), or raise vLLM's --max-model-len`,
  );
}

const PARSER_FIX =
  'start vLLM with --enable-auto-tool-choice --tool-call-parser <parser> (hermes for Qwen2.5 and Qwen3, qwen3_coder for Qwen3-Coder); OpenCode always sends tool_choice "auto"';

/** What the tool-calling probe says about tool choice and the format tool calls come back in. */
export function judgeToolProbe(result: ToolProbeResult): Finding[] {
  switch (result.kind) {
    case 'structured':
      if (result.name !== PROBE_TOOL_NAME) {
        return [ok('tool-choice', 'tool_choice "auto" is accepted'), warning('tool-call-format', `the model called "${result.name}", a tool it was not offered`, 'check the chat template and tool parser of the served model')];
      }
      return [
        ok('tool-choice', 'tool_choice "auto" is accepted'),
        result.argumentsValid
          ? ok('tool-call-format', 'tool calls come back as structured tool_calls')
          : warning('tool-call-format', 'the structured tool call has arguments that are not a JSON object', 'check that --tool-call-parser matches the model family (e.g. qwen3_coder for Qwen3-Coder)'),
      ];
    case 'text-tool-call':
      return [
        ok('tool-choice', 'tool_choice "auto" is accepted'),
        error(
          'tool-call-format',
          `the tool call came back as text (${result.pattern}) in the content, not as tool_calls: OpenCode will not run it and every attempt ends after one step. Excerpt: ${result.excerpt}`,
          "vLLM's --tool-call-parser does not recognise this model's output. Qwen2.5-Coder under hermes does this: serve Qwen3-Coder with --tool-call-parser qwen3_coder or Qwen2.5-Instruct with hermes, or load a parser for Qwen2.5-Coder's format with --tool-parser-plugin",
        ),
      ];
    case 'no-tool-call':
      return [
        ok('tool-choice', 'tool_choice "auto" is accepted'),
        warning('tool-call-format', `the model answered in text without calling the offered tool: ${result.excerpt}`, 'check the chat template supports tools (vLLM --chat-template) and that the model is an instruct/coder model trained for tool use'),
      ];
    case 'http-error':
      if (/tool choice requires/i.test(result.message)) return [error('tool-choice', `HTTP ${result.status}: ${result.message}`, PARSER_FIX)];
      return [error('tool-choice', `the tool-calling probe was rejected: HTTP ${result.status}: ${result.message}`, 'read the vLLM server log for this request')];
    case 'failed':
      return [error('tool-call-format', `the tool-calling probe failed: ${result.message}`, 'check the server is healthy and answers chat completions within the probe timeout')];
  }
}

async function checkServingMetrics(target: EndpointTarget, headers: Record<string, string>, options: DiagnoseOptions): Promise<Finding> {
  const url = metricsURLOf(target.baseURL);
  const scraped = await scrapeVllmMetrics(url, { model: target.model, headers, fetch: options.fetch });
  if (scraped.status === 'scraped') return ok('serving-metrics', `${url} exposes vLLM's metrics (throughput and latency will be recorded per target group)`);
  return warning('serving-metrics', `no serving metrics: ${scraped.reason}`, "vLLM serves /metrics at the server root; if a proxy is in front, expose /metrics too (otherwise the report has no throughput or time-to-first-token)");
}

function checkServeCommand(command: readonly string[], options: DiagnoseOptions): Finding {
  const file = command[0] ?? '';
  if (!file.includes('/')) return ok('serve-command', `serve command: ${command.join(' ')}`);
  const resolved = path.resolve(options.configDir, file);
  if (existsSync(resolved)) return ok('serve-command', `serve command: ${command.join(' ')}`);
  return error('serve-command', `the serve command ${file} does not exist (looked for ${resolved})`, `fix ${options.fieldPrefix}.serve.command (relative paths start at the config file's folder)`);
}

function portOf(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  } catch {
    return '8000';
  }
}
