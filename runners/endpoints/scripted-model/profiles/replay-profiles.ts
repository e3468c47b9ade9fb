import type { Profile, ToolCallSpec } from './profile-types.ts';
import { buildProbeCalls } from './probe-questions.ts';
import { buildReferenceTurnPlan, replyFromTurnPlans } from './step-plan.ts';

/**
 * Replays the scenario's reference solution turn by turn: each turn's declared tool calls (a
 * clarifying question, an MCP lookup) first, then OpenCode's read and write tools.
 */
export const referenceProfile: Profile = (context) =>
  replyFromTurnPlans(context, (input, turnIndex) => buildReferenceTurnPlan(input, turnIndex, context.offeredTools));

/** Asks which data source to use with OpenCode's question tool, then proceeds like `reference`. */
export const askQuestionProfile: Profile = (context) =>
  replyFromTurnPlans(context, (input, turnIndex) => {
    const plan = buildReferenceTurnPlan(input, turnIndex, context.offeredTools);
    if (plan === undefined || input.scenario === undefined || turnIndex > 0) return plan;
    return { steps: [[DATA_SOURCE_QUESTION], ...plan.steps], finalText: plan.finalText };
  });

/**
 * `harness validate`'s answers probe: in every turn, first asks the questions a model typically
 * asks about that turn's request (runners/endpoints/scripted-model/profiles/probe-questions.ts),
 * each as free text, with options and with a header, through OpenCode's question tool; then
 * proceeds like `reference`. When the request does not offer the question tool (the policy
 * denies questions), it asks nothing.
 */
export const answersProbeProfile: Profile = (context) =>
  replyFromTurnPlans(context, (input, turnIndex) => {
    const plan = buildReferenceTurnPlan(input, turnIndex, context.offeredTools);
    const turnText = input.scenario?.turns[turnIndex];
    const canAsk = context.offeredTools === undefined || context.offeredTools.includes('question');
    const probe = turnText === undefined || !canAsk ? [] : buildProbeCalls(turnText, turnIndex).map((call) => [call]);
    if (plan === undefined) return probe.length === 0 ? undefined : { steps: probe, finalText: `Noted (turn ${turnIndex + 1}); nothing else to change.` };
    return { steps: [...probe, ...plan.steps], finalText: plan.finalText };
  });

/** Arguments in the shape of OpenCode 1.18.33's `question` tool: questions[{question, header, options[{label, description}]}]. */
const DATA_SOURCE_QUESTION: ToolCallSpec = {
  name: 'question',
  arguments: {
    questions: [
      {
        question: 'Which data source should the new code use?',
        header: 'Data source',
        options: [
          { label: 'Existing mock data', description: 'Reuse the data the project already ships with' },
          { label: 'Live API', description: 'Fetch the data from the backend API' },
        ],
      },
    ],
  },
};
