import path from 'node:path';
import type { ReferenceFile, ScenarioScript } from '../scenario-scripts.ts';
import type { ProfileContext, ProfileReply, SandboxView, ToolCallSpec } from './profile-types.ts';

/** A scripted first turn: one tool round per step, then a final text answer. */
export interface StepPlan {
  steps: ToolCallSpec[][];
  finalText: string;
}

/** What a plan is built from: the context with the sandbox path known. */
export interface PlanInput {
  scenario: ScenarioScript | undefined;
  workingDirectory: string;
  sandbox: SandboxView;
}

export const NO_WORKING_DIRECTORY_TEXT =
  'scripted-model: the system prompt has no "Working directory:" line, so I cannot tell where the sandbox is.';

export const NO_SCENARIO_TEXT =
  'scripted-model: the first user message matches no loaded scenario, so I have no reference solution to replay.';

/**
 * Runs a plan: later user turns get a short text, the first turn gets the plan's step for
 * the number of tool rounds already made, and its final text once every step is done.
 * The plan is rebuilt on every request, so it must have the same steps each time.
 */
export function replyFromPlan(context: ProfileContext, buildPlan: (input: PlanInput) => StepPlan): ProfileReply {
  if (context.turnIndex > 0) return replyToLaterTurn(context);
  if (context.workingDirectory === undefined) return { kind: 'text', text: NO_WORKING_DIRECTORY_TEXT };
  const plan = buildPlan({ scenario: context.scenario, workingDirectory: context.workingDirectory, sandbox: context.sandbox });
  const step = plan.steps[context.stepIndex];
  return step === undefined ? { kind: 'text', text: plan.finalText } : { kind: 'tool-calls', calls: step };
}

/**
 * Runs a plan per user turn: the turn's plan step for the number of tool rounds made in the turn,
 * then its final text. A turn without a plan (undefined) is only acknowledged.
 */
export function replyFromTurnPlans(context: ProfileContext, buildPlan: (input: PlanInput, turnIndex: number) => StepPlan | undefined): ProfileReply {
  if (context.workingDirectory === undefined) return { kind: 'text', text: NO_WORKING_DIRECTORY_TEXT };
  if (context.subagent !== undefined) return replyAsSubagent(context, context.workingDirectory);
  const plan = buildPlan({ scenario: context.scenario, workingDirectory: context.workingDirectory, sandbox: context.sandbox }, context.turnIndex);
  if (plan === undefined) return replyToLaterTurn(context);
  const step = plan.steps[context.stepIndex];
  return step === undefined ? { kind: 'text', text: plan.finalText } : { kind: 'tool-calls', calls: step };
}

/**
 * One turn of the reference solution: its declared calls (a question, an MCP lookup), one
 * round each; then a read of a file the turn changes; then one write per file. A declared call
 * whose tool the request does not offer stops the plan with a text saying so, so that a tool
 * missing from the agent (e.g. an MCP server that did not start) fails the attempt visibly.
 */
export function buildReferenceTurnPlan(input: PlanInput, turnIndex: number, offeredTools: readonly string[] | undefined): StepPlan | undefined {
  if (input.scenario === undefined) return turnIndex === 0 ? { steps: [], finalText: NO_SCENARIO_TEXT } : undefined;
  const turns = input.scenario.referenceTurns ?? [{ calls: [], files: input.scenario.referenceFiles }];
  const turn = turns[turnIndex];
  if (turn === undefined) return undefined;
  const missing = offeredTools === undefined ? [] : turn.calls.filter((call) => !offeredTools.includes(call.name)).map((call) => call.name);
  if (missing.length > 0) {
    return { steps: [], finalText: `${NOT_OFFERED_TEXT} ${missing.join(', ')} (offered: ${offeredTools?.join(', ') ?? ''}).` };
  }
  const reads = (turn.read ?? []).flatMap((file) => pageReads(input, file));
  const files = turn.todos === true ? buildTodoPlan(input, turn.files) : buildReferencePlan(input, turn.files);
  return { steps: [...turn.calls.map((call) => [resolvePaths(input.workingDirectory, call)]), ...reads, ...files.steps], finalText: files.finalText };
}

/**
 * Lines per page when the reference reads a file in full: a page stays well under OpenCode's
 * 50 KB read limit, and small enough that the context grows by less than a target's headroom
 * between OpenCode's compaction threshold and the endpoint's own limit.
 */
export const READ_PAGE_LINES = 150;

/** A file read page by page (OpenCode's read tool with offset and limit), one round per page. */
function pageReads(input: PlanInput, relativePath: string): ToolCallSpec[][] {
  const lines = Math.max(1, input.sandbox.lineCount(relativePath));
  const pages: ToolCallSpec[][] = [];
  for (let offset = 1; offset <= lines; offset += READ_PAGE_LINES) {
    pages.push([{ name: 'read', arguments: { filePath: toSandboxPath(input, relativePath), offset, limit: READ_PAGE_LINES } }]);
  }
  return pages;
}

/**
 * The reference's files planned as a TODO list (OpenCode's todowrite, the whole list each time):
 * the list first, then for each file the write and the list with that item ticked off.
 */
function buildTodoPlan(input: PlanInput, files: readonly ReferenceFile[]): StepPlan {
  const written = buildReferencePlan(input, files);
  const [read, ...writes] = written.steps;
  const todoList = (done: number) =>
    files.map((file, index) => ({ content: `Write ${file.path}`, status: index < done ? 'completed' : index === done ? 'in_progress' : 'pending', priority: index === 0 ? 'high' : 'medium' }));
  const todo = (done: number): ToolCallSpec[] => [{ name: 'todowrite', arguments: { todos: todoList(done) } }];
  return {
    steps: [todo(0), ...(read === undefined ? [] : [read]), ...writes.flatMap((write, index) => [write, todo(index + 1)])],
    finalText: written.finalText,
  };
}

/** A subagent's session: its declared calls, one round each, then its answer. */
function replyAsSubagent(context: ProfileContext, workingDirectory: string): ProfileReply {
  const subagent = context.subagent;
  const call = subagent?.calls[context.stepIndex];
  if (subagent === undefined) return { kind: 'text', text: NO_SCENARIO_TEXT };
  return call === undefined ? { kind: 'text', text: subagent.answer } : { kind: 'tool-calls', calls: [resolvePaths(workingDirectory, call)] };
}

/** A declared call with its `filePath` / `path` made absolute in the sandbox, as a model reads them from its environment. */
function resolvePaths(workingDirectory: string, call: ToolCallSpec): ToolCallSpec {
  const args = { ...call.arguments };
  for (const key of ['filePath', 'path']) {
    const value = args[key];
    if (typeof value === 'string' && !path.isAbsolute(value)) args[key] = path.join(workingDirectory, value);
  }
  return { name: call.name, arguments: args };
}

export const PLAN_ONLY_TEXT = 'Here is my plan: I looked at the relevant files and will make the change when you ask me to.';

export const NOT_OFFERED_TEXT = 'scripted-model: the reference solution calls a tool this request does not offer:';

/** The answer to a follow-up user turn: a short acknowledgement, nothing changed. */
export function replyToLaterTurn(context: ProfileContext): ProfileReply {
  return { kind: 'text', text: `Noted (turn ${context.turnIndex + 1}). The change is already in place; nothing else to do.` };
}

/** Replays the reference solution: read one file it changes, then one write per reference file. */
export function buildReferencePlan(input: PlanInput, files: readonly ReferenceFile[]): StepPlan {
  if (input.scenario === undefined) return { steps: [], finalText: NO_SCENARIO_TEXT };
  // A turn that writes nothing (a planning turn): its declared calls were its work.
  if (files.length === 0) return { steps: [], finalText: PLAN_ONLY_TEXT };
  return {
    steps: [[readCall(input, pickFileToRead(input, files))], ...files.map((file) => [writeCall(input, file)])],
    finalText: `I made the change in ${files.length} file(s): ${files.map((file) => file.path).join(', ')}.`,
  };
}

export function readCall(input: PlanInput, relativePath: string): ToolCallSpec {
  return { name: 'read', arguments: { filePath: toSandboxPath(input, relativePath) } };
}

export function writeCall(input: PlanInput, file: ReferenceFile): ToolCallSpec {
  return { name: 'write', arguments: { filePath: toSandboxPath(input, file.path), content: file.content } };
}

function toSandboxPath(input: PlanInput, relativePath: string): string {
  return relativePath === '' ? input.workingDirectory : path.join(input.workingDirectory, relativePath);
}

/** An existing file the solution changes, as a developer would look at it first; else the sandbox root. */
function pickFileToRead(input: PlanInput, files: readonly ReferenceFile[]): string {
  return files.find((file) => input.sandbox.hasFile(file.path))?.path ?? '';
}
