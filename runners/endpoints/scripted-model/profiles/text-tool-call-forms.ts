import { formatJsonLikePython } from '../python-json.ts';
import type { ToolCallSpec } from './profile-types.ts';

/**
 * The ways a model writes a tool call as text that vLLM's parser did not turn into a
 * structured call: hermes tags (the parser failed or is absent), bare JSON and a fenced
 * JSON block (what Qwen2.5-Coder does under the hermes parser).
 */
export const TEXT_TOOL_CALL_FORMS = ['hermes', 'bare-json', 'fenced-json'] as const;

export type TextToolCallForm = (typeof TEXT_TOOL_CALL_FORMS)[number];

const RENDER: Record<TextToolCallForm, (json: string) => string> = {
  hermes: (json) => `<tool_call>\n${json}\n</tool_call>`,
  'bare-json': (json) => json,
  'fenced-json': (json) => `\`\`\`json\n${json}\n\`\`\``,
};

/** The calls as one assistant text, in the given form. */
export function formatTextToolCalls(calls: readonly ToolCallSpec[], form: TextToolCallForm): string {
  return calls.map((call) => RENDER[form](formatJsonLikePython({ name: call.name, arguments: call.arguments }))).join('\n');
}

/** Picks a form from a draw in [0, 1). */
export function pickTextToolCallForm(draw: number): TextToolCallForm {
  const index = Math.min(TEXT_TOOL_CALL_FORMS.length - 1, Math.floor(draw * TEXT_TOOL_CALL_FORMS.length));
  return TEXT_TOOL_CALL_FORMS[index] ?? 'hermes';
}
