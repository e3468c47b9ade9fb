import { readMessageText, type ChatRequest } from './chat-request.ts';
import type { ScenarioScript } from './scenario-scripts.ts';

/**
 * How the scripted model survives OpenCode's compaction, as a real model would: asked to
 * summarise the conversation (a request without tools whose system prompt is OpenCode's
 * summariser's), it writes the structured summary OpenCode's template asks for, and states in it
 * where its work stands — which scenario, which turn, how many tool rounds of the turn are done.
 * After the compaction the conversation starts from that summary (the earlier messages are
 * gone), and the model reads its progress back from it to carry on where it was.
 */

/** The start of OpenCode 1.18.33's summariser system prompt. */
const SUMMARISER_PROMPT = 'You are a context summarization agent';

/** The line of the summary that carries the model's progress. */
const STATE_LINE = /scripted-model state: scenario=(\S+) turn=(\d+) steps=(\d+)/;

export interface WorkState {
  scenarioId: string;
  turnIndex: number;
  /** Tool rounds already made in the turn. */
  stepsDone: number;
}

export function isCompactionRequest(request: ChatRequest): boolean {
  return request.messages.some((message) => message.role === 'system' && readMessageText(message).startsWith(SUMMARISER_PROMPT));
}

export function readStateLine(text: string): WorkState | undefined {
  const matches = [...text.matchAll(new RegExp(STATE_LINE.source, 'g'))];
  const last = matches.at(-1);
  if (last === undefined) return undefined;
  return { scenarioId: last[1] ?? '', turnIndex: Number(last[2]), stepsDone: Number(last[3]) };
}

/** A user turn of a known scenario, found by its text. */
export interface TurnMatch {
  script: ScenarioScript;
  turnIndex: number;
}

/** The scenario turn a user message is (its text contains the turn's, whitespace aside); the latest turn when several match. */
export function matchTurn(scripts: readonly ScenarioScript[], text: string, only?: string): TurnMatch | undefined {
  const message = normalize(text);
  let best: (TurnMatch & { length: number }) | undefined;
  for (const script of scripts) {
    if (only !== undefined && script.id !== only) continue;
    script.turns.forEach((turn, turnIndex) => {
      const wanted = normalize(turn);
      if (wanted === '' || !message.includes(wanted)) return;
      if (best === undefined || wanted.length > best.length || (wanted.length === best.length && turnIndex > best.turnIndex)) best = { script, turnIndex, length: wanted.length };
    });
  }
  return best === undefined ? undefined : { script: best.script, turnIndex: best.turnIndex };
}

/**
 * Where the work stands in a conversation that was compacted: the last summary's state, moved on
 * by what followed it. A user turn after the summary is a new turn — or the same turn replayed,
 * which OpenCode does after compacting on an overflow error: then the count goes on.
 */
export function resumeState(summary: WorkState, laterTurn: number | undefined, roundsAfter: number): WorkState {
  if (laterTurn === undefined || laterTurn === summary.turnIndex) return { ...summary, stepsDone: summary.stepsDone + roundsAfter };
  return { ...summary, turnIndex: laterTurn, stepsDone: roundsAfter };
}

/**
 * Where the work stands in a normal request after a compaction: the last summary's state line
 * (in an assistant message), moved on by the turns and tool rounds after it. Undefined when the
 * conversation was never compacted.
 */
export function findResumedState(request: ChatRequest, scripts: readonly ScenarioScript[]): WorkState | undefined {
  const messages = request.messages;
  let summaryIndex = -1;
  let summary: WorkState | undefined;
  messages.forEach((message, index) => {
    if (message.role !== 'assistant') return;
    const state = readStateLine(readMessageText(message));
    if (state !== undefined) {
      summaryIndex = index;
      summary = state;
    }
  });
  if (summary === undefined) return undefined;
  let laterTurn: number | undefined;
  let turnIndex = summaryIndex;
  messages.forEach((message, index) => {
    if (index <= summaryIndex || message.role !== 'user') return;
    const match = matchTurn(scripts, readMessageText(message), summary?.scenarioId);
    if (match !== undefined) {
      laterTurn = match.turnIndex;
      turnIndex = index;
    }
  });
  const rounds = messages.slice(turnIndex + 1).filter((message) => message.role === 'assistant' && (message.tool_calls?.length ?? 0) > 0).length;
  return resumeState(summary, laterTurn, rounds);
}

/** The work state of a compaction request, from the `<conversation>` OpenCode renders (and an earlier summary). */
export function readConversationState(conversation: string, scripts: readonly ScenarioScript[]): WorkState | undefined {
  const lines = priorSummaryFirst(conversation).split('\n');
  let state: WorkState | undefined;
  let roundsSince = 0;
  let userText: string[] | undefined;
  const closeUser = () => {
    if (userText === undefined) return;
    const match = matchTurn(scripts, userText.join('\n'), state?.scenarioId);
    userText = undefined;
    if (match === undefined) return;
    if (state !== undefined && state.scenarioId === match.script.id && state.turnIndex === match.turnIndex) return;
    state = { scenarioId: match.script.id, turnIndex: match.turnIndex, stepsDone: 0 };
    roundsSince = 0;
  };
  for (const line of lines) {
    const summary = readStateLine(line);
    if (summary !== undefined) {
      closeUser();
      state = summary;
      roundsSince = 0;
      continue;
    }
    if (line.startsWith('[User]: ')) {
      closeUser();
      userText = [line.slice('[User]: '.length)];
    } else if (/^\[(Assistant|Tool)/.test(line)) {
      closeUser();
      if (line.startsWith('[Assistant tool call]: ')) roundsSince += 1;
    } else if (userText !== undefined) {
      userText.push(line);
    }
  }
  closeUser();
  return state === undefined ? undefined : { ...state, stepsDone: state.stepsDone + roundsSince };
}

/**
 * OpenCode 1.18.33 puts the summary of an earlier compaction after the `<conversation>` it came
 * before (`<prior-summary>…</prior-summary>`); moved to the front, the prompt reads in the order
 * things happened, so the rounds of the conversation count on from the earlier summary's state.
 */
function priorSummaryFirst(prompt: string): string {
  const prior = /<prior-summary>[\s\S]*?<\/prior-summary>/.exec(prompt);
  if (prior === null) return prompt;
  return `${prior[0]}\n${prompt.slice(0, prior.index)}${prompt.slice(prior.index + prior[0].length)}`;
}

/** The summary the scripted model writes when OpenCode compacts: OpenCode's template, with its progress. */
export function writeCompactionSummary(request: ChatRequest, scripts: readonly ScenarioScript[]): string {
  // The whole prompt: a repeated compaction also carries the earlier summary, with its state line.
  const prompt = request.messages.filter((message) => message.role === 'user').map(readMessageText).join('\n');
  const state = readConversationState(prompt, scripts);
  const script = state === undefined ? undefined : scripts.find((candidate) => candidate.id === state.scenarioId);
  const objective = script === undefined ? 'Continue the task the user gave.' : truncate(script.turns[state?.turnIndex ?? 0] ?? '', 300);
  return [
    '## Objective',
    `- ${objective}`,
    '',
    '## Important Details',
    state === undefined ? '- (none)' : `- scripted-model state: scenario=${state.scenarioId} turn=${state.turnIndex} steps=${state.stepsDone}`,
    '',
    '## Work State',
    '### Completed',
    state === undefined ? '- (none)' : `- ${state.stepsDone} tool round(s) of turn ${state.turnIndex + 1}`,
    '',
    '### Active',
    '- Carrying on with the next step of the plan.',
    '',
    '### Blocked',
    '- (none)',
    '',
    '## Next Move',
    '1. Continue with the next tool round.',
    '2. (none)',
    '',
    '## Relevant Files',
    ...(script === undefined ? ['- (none)'] : script.referenceFiles.slice(0, 10).map((file) => `- ${file.path}: part of the change`)),
  ].join('\n');
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function truncate(text: string, limit: number): string {
  const flat = normalize(text);
  return flat.length <= limit ? flat : `${flat.slice(0, limit)}…`;
}
