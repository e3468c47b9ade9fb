import type { TranscriptEntry } from './transcript.ts';

/**
 * What an attempt did with the OpenCode features the platform chose it for — TODO planning,
 * subagents, compaction, web fetches, Plan turns — read from its transcript. Shared by the
 * summary, the reports and `harness validate` (which proves a scenario's reference uses them).
 */
export interface FeatureUse {
  todos: {
    /** Distinct TODO items the agent ever wrote. */
    created: number;
    /** Items of the final list marked completed. */
    completed: number;
    /** Items of the final list still pending or in progress. */
    open: number;
    cancelled: number;
    /** How often the list was (re)written. */
    updates: number;
  };
  subagents: {
    started: number;
    /** Model calls the subagents made, all together. */
    steps: number;
    toolCalls: number;
    agents: string[];
  };
  compactions: {
    count: number;
    /** Of which triggered by an overflow error rather than the token count. */
    afterOverflow: number;
    /** When each happened (transcript time) and the context before and after it, in order. */
    each: Array<{ atMs: number; tokensBefore: number | null; tokensAfter: number | null }>;
  };
  webfetch: {
    /** Fetches that went through. */
    completed: number;
    /** Fetches the harness refused (a host off the allow-list). */
    refused: number;
  };
  /** Turns sent to OpenCode's Plan agent. */
  planTurns: number;
}

export function describeFeatureUse(transcript: readonly TranscriptEntry[]): FeatureUse {
  const lists = transcript.flatMap((entry) => (entry.type === 'todos' && entry.session === undefined ? [entry.todos] : []));
  const final = lists.at(-1) ?? [];
  const subagents = transcript.flatMap((entry) => (entry.type === 'subagent' ? [entry] : []));
  const compactions = transcript.flatMap((entry) => (entry.type === 'compaction' ? [entry] : []));
  const fetches = new Map<string, string>();
  for (const entry of transcript) if (entry.type === 'tool' && entry.tool === 'webfetch') fetches.set(`${entry.session ?? ''}:${entry.callId}`, entry.status);
  return {
    todos: {
      created: new Set(lists.flatMap((list) => list.map((todo) => todo.content))).size,
      completed: final.filter((todo) => todo.status === 'completed').length,
      open: final.filter((todo) => todo.status === 'pending' || todo.status === 'in_progress').length,
      cancelled: final.filter((todo) => todo.status === 'cancelled').length,
      updates: lists.length,
    },
    subagents: {
      started: subagents.length,
      steps: subagents.reduce((sum, entry) => sum + entry.steps, 0),
      toolCalls: subagents.reduce((sum, entry) => sum + entry.toolCalls, 0),
      agents: [...new Set(subagents.map((entry) => entry.agent))],
    },
    compactions: {
      count: compactions.length,
      afterOverflow: compactions.filter((entry) => entry.overflow).length,
      each: compactions.map((entry) => ({ atMs: entry.atMs, tokensBefore: entry.tokensBefore, tokensAfter: entry.tokensAfter })),
    },
    webfetch: {
      completed: [...fetches.values()].filter((status) => status === 'completed').length,
      refused: transcript.filter((entry) => entry.type === 'permission' && entry.permission === 'webfetch' && entry.decision === 'reject').length,
    },
    planTurns: transcript.filter((entry) => entry.type === 'user' && entry.agent === 'plan').length,
  };
}

/** Whether the feature a scenario's reference declares it exercises shows in the attempt. */
export function hasExercised(use: FeatureUse, feature: 'todos' | 'subagents' | 'compaction' | 'webfetch' | 'plan'): boolean {
  switch (feature) {
    case 'todos':
      return use.todos.created > 0;
    case 'subagents':
      return use.subagents.started > 0;
    case 'compaction':
      return use.compactions.count > 0;
    case 'webfetch':
      return use.webfetch.completed > 0;
    case 'plan':
      return use.planTurns > 0;
  }
}
