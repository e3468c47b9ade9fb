import type { OpencodeClient } from '@opencode-ai/sdk/v2';
import { findAllowingPattern, hostOfUrl } from '../../core/domain/host-patterns.ts';
import type { ResolvedScenario, ScenarioPolicy } from '../../core/domain/scenario.ts';
import type { TranscriptEntry } from '../../core/domain/transcript.ts';
import { truncateText } from '../../core/text.ts';
import { answerQuestions, type QuestionAsked } from './answer-questions.ts';

/** What answering an ask needs: the server, the scenario's script and policy, and where to record. */
export interface AskContext {
  client: OpencodeClient;
  directory: string;
  scenario: Pick<ResolvedScenario, 'answers' | 'defaultAnswer' | 'policy'>;
  recorded: TranscriptEntry[];
  /** The session the user talks to; asks from its subagents' sessions are tagged with theirs. */
  rootSessionId: string;
}

/** A clarifying question, from the session or one of its subagents: answered from the scenario's script. */
export async function replyToQuestion(properties: Record<string, unknown>, context: AskContext): Promise<void> {
  const requestId = String(properties.id);
  const questions = (Array.isArray(properties.questions) ? properties.questions : []) as QuestionAsked[];
  const { answers, matchedBy } = answerQuestions(context.scenario, questions);
  context.recorded.push({
    type: 'question',
    questions: questions.map((asked) => ({
      question: truncateText(asked.question, 2000),
      ...(asked.header === undefined || asked.header === '' ? {} : { header: truncateText(asked.header, 200) }),
      options: asked.options.map((option) => option.label),
    })),
    answers,
    matchedBy,
    atMs: Date.now(),
    ...sessionTag(properties, context),
  });
  await context.client.question.reply({ requestID: requestId, directory: context.directory, answers });
}

export interface PermissionDecision {
  decision: 'once' | 'reject';
  reason: string;
}

/**
 * How the harness answers a permission ask. A webfetch under an allow-list is allowed once when
 * the URL's host matches a pattern (never "always": that would approve every later URL), and
 * refused otherwise. Every other ask reaching the harness is outside the policy's allow rules
 * (e.g. a path outside the sandbox, a repeated tool call): refused. Refusals carry a message, so
 * the agent is told and its loop goes on.
 */
export function decidePermission(policy: Pick<ScenarioPolicy, 'webfetch'>, permission: string, patterns: readonly string[], url: string | undefined): PermissionDecision {
  if (permission === 'webfetch' && typeof policy.webfetch === 'object') {
    const allow = policy.webfetch.allow;
    const target = url ?? patterns[0] ?? '';
    const pattern = findAllowingPattern(allow, target);
    if (pattern !== undefined) return { decision: 'once', reason: `${hostOfUrl(target) ?? target} is on the webfetch allow-list (${pattern})` };
    return {
      decision: 'reject',
      reason: `Refused by the platform policy: ${hostOfUrl(target) ?? target} is not on the webfetch allow-list (allowed: ${allow.join(', ')}). Fetch only from those hosts.`,
    };
  }
  return {
    decision: 'reject',
    reason: `Refused by the platform policy: ${permission} ${patterns.join(', ')} is not allowed. Stay inside the project and its allowed folders.`,
  };
}

export async function answerPermission(properties: Record<string, unknown>, context: AskContext): Promise<void> {
  const permission = String(properties.permission);
  const patterns = Array.isArray(properties.patterns) ? properties.patterns.map(String) : [];
  const metadata = properties.metadata;
  const url = typeof metadata === 'object' && metadata !== null && 'url' in metadata && typeof metadata.url === 'string' ? metadata.url : undefined;
  const { decision, reason } = decidePermission(context.scenario.policy, permission, patterns, url);
  context.recorded.push({ type: 'permission', permission, patterns, decision, reason, atMs: Date.now(), ...sessionTag(properties, context) });
  await context.client.permission.reply({ requestID: String(properties.id), directory: context.directory, reply: decision, ...(decision === 'reject' ? { message: reason } : {}) });
}

/** `{ session }` for an event of a subagent's session; nothing for the root session's. */
export function sessionTag(properties: Record<string, unknown>, context: Pick<AskContext, 'rootSessionId'>): { session?: string } {
  const session = typeof properties.sessionID === 'string' ? properties.sessionID : undefined;
  return session === undefined || session === context.rootSessionId ? {} : { session };
}
