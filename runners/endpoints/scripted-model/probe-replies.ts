import { z } from 'zod';
import type { ProfileContext, ProfileReply, ToolCallSpec } from './profiles/profile-types.ts';
import { isFixedProfileName, type FixedProfileName, type ProfileName } from './profiles/profile-registry.ts';
import { formatTextToolCalls, pickTextToolCallForm } from './profiles/text-tool-call-forms.ts';

/**
 * How a profile answers a request that offers tools but is not an OpenCode session (no
 * `Working directory:` line), such as `harness doctor`'s tool-calling probe: with a
 * structured call of the first offered tool, with that call written as text, or as the
 * profile's endpoint fault.
 */
export type ProbeStyle = 'structured' | 'text' | 'plain-answer' | 'seeded' | 'server-error' | 'hang';

/** A family profile (`chance-…`) answers probes with a structured call, as the reference does. */
export function probeStyleOf(profile: ProfileName): ProbeStyle {
  return isFixedProfileName(profile) ? PROBE_STYLES[profile] : 'structured';
}

export const PROBE_STYLES: Record<FixedProfileName, ProbeStyle> = {
  reference: 'structured',
  'ask-question': 'structured',
  'answers-probe': 'structured',
  'core-write': 'structured',
  'env-read': 'structured',
  'type-error': 'structured',
  noop: 'plain-answer',
  'text-tool-call': 'text',
  'qwen-like': 'seeded',
  'http-500': 'server-error',
  hang: 'hang',
  // Endpoint faults: the probe sees a failing server; a slow one still answers.
  'drop-mid-stream': 'server-error',
  'malformed-sse': 'server-error',
  'malformed-json': 'server-error',
  'slow-stream': 'hang',
  'slow-reference': 'structured',
  'garbage-tool-call': 'structured',
  // Adversarial agents call tools like any capable model.
  'escape-write': 'structured',
  'escape-symlink': 'structured',
  'tamper-checks': 'structured',
  'delete-hidden-tests': 'structured',
  'secrets-read': 'structured',
  'tool-loop': 'structured',
  'huge-output': 'structured',
  'html-payload': 'structured',
  'test-file-escape': 'structured',
  'env-dump': 'structured',
  'network-reach': 'structured',
  'subagent-escape': 'structured',
};

const offeredToolSchema = z.object({
  type: z.string().optional(),
  function: z.object({
    name: z.string(),
    parameters: z
      .object({ properties: z.record(z.string(), z.object({ type: z.unknown().optional() }).passthrough()).optional(), required: z.array(z.string()).optional() })
      .passthrough()
      .optional(),
  }),
});

export const PLAIN_PROBE_ANSWER = 'I can answer that without calling a tool.';

/** The reply of a profile to a tool-offering request outside an OpenCode session. */
export function answerProbeRequest(style: ProbeStyle, tools: readonly unknown[], context: Pick<ProfileContext, 'draw' | 'textToolCallRate'>): ProfileReply {
  const call = buildProbeCall(tools);
  if (call === undefined) return { kind: 'text', text: PLAIN_PROBE_ANSWER };
  switch (style) {
    case 'structured':
      return { kind: 'tool-calls', calls: [call] };
    case 'text':
      return { kind: 'text', text: formatTextToolCalls([call], 'hermes') };
    case 'plain-answer':
      return { kind: 'text', text: PLAIN_PROBE_ANSWER };
    case 'seeded':
      return context.draw('probe') < context.textToolCallRate
        ? { kind: 'text', text: formatTextToolCalls([call], pickTextToolCallForm(context.draw('probe-form'))) }
        : { kind: 'tool-calls', calls: [call] };
    case 'server-error':
      return { kind: 'server-error' };
    case 'hang':
      return { kind: 'hang' };
  }
}

/** A call of the first offered tool with a value for each required parameter, by its JSON type. */
function buildProbeCall(tools: readonly unknown[]): ToolCallSpec | undefined {
  const parsed = offeredToolSchema.safeParse(tools[0]);
  if (!parsed.success) return undefined;
  const { name, parameters } = parsed.data.function;
  const properties = parameters?.properties ?? {};
  const argumentsByName: Record<string, unknown> = {};
  for (const key of parameters?.required ?? []) argumentsByName[key] = sampleValue(properties[key]?.type);
  return { name, arguments: argumentsByName };
}

function sampleValue(type: unknown): unknown {
  switch (type) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return 'probe';
  }
}
