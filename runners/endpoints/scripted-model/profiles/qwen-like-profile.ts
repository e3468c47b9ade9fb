import type { Profile } from './profile-types.ts';
import { referenceProfile } from './replay-profiles.ts';
import { formatTextToolCalls, pickTextToolCallForm } from './text-tool-call-forms.ts';

/**
 * Behaves like Qwen2.5-Coder under vLLM's hermes parser: it works towards the reference
 * solution, but at each tool round, with probability `textToolCallRate`, it writes the
 * round's calls as text (hermes tags, bare JSON or a fenced block) instead of structured
 * calls. OpenCode then ends the turn with that text as the answer. The decisions are drawn
 * per session and round, so the same session always takes the same path.
 */
export const qwenLikeProfile: Profile = (context) => {
  const reply = referenceProfile(context);
  if (reply.kind !== 'tool-calls') return reply;
  const round = `${context.turnIndex}/${context.stepIndex}`;
  if (context.draw(`text-tool-call:${round}`) >= context.textToolCallRate) return reply;
  return { kind: 'text', text: formatTextToolCalls(reply.calls, pickTextToolCallForm(context.draw(`form:${round}`))) };
};
