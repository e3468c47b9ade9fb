import { z } from 'zod';
import { MCP_SERVERS, type McpServerName } from '../mcp/mcp-servers.ts';
import { scenarioPolicySchema } from './scenario-policy-schema.ts';
import { counterexampleSchema, referenceSchema } from './scenario-reference-schema.ts';

export { scenarioPolicySchema } from './scenario-policy-schema.ts';

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
/** Tags besides the difficulty a scenario must carry, so that `--filter tag=…` can select it by skill. */
export const MIN_SKILL_TAGS = 2;
const DIFFICULTY_PREFIX = 'difficulty:';
/** A scenario id: also its folder's name. */
export const SCENARIO_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** How a question is answered: exactly what runners/attempt/opencode/answer-questions.ts does. */
export const ANSWER_MATCHING =
  'Each question is matched on its header and its text, joined by a newline ("<header>\\n<question>"); the first entry whose `match` finds a match there (a case-insensitive regular expression, searched anywhere, not anchored) answers, and a question no entry matches gets `defaultAnswer`. When the question offers options, the answer is sent as the option whose label equals it (ignoring case and surrounding spaces), else as the first option whose label (of 3 characters or more) it contains, else as free text.';

const regex = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'i');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a valid regular expression (it is searched, case-insensitively, in the question’s header and text)' },
);

const tagsSchema = z
  .array(z.string().min(1))
  .superRefine((tags, context) => {
    const difficulties = tags.filter((tag) => tag.startsWith(DIFFICULTY_PREFIX));
    const allowed = DIFFICULTIES.map((level) => `${DIFFICULTY_PREFIX}${level}`);
    const fix = `e.g. [${DIFFICULTY_PREFIX}medium, widget, table]`;
    if (difficulties.length !== 1) {
      context.addIssue({ code: 'custom', message: `must hold exactly one difficulty tag (${allowed.join(', ')}), found ${difficulties.length === 0 ? 'none' : difficulties.join(', ')}; ${fix}` });
    } else if (!allowed.includes(difficulties[0] ?? '')) {
      context.addIssue({ code: 'custom', message: `has "${difficulties[0] ?? ''}"; the difficulty tag must be one of ${allowed.join(', ')}` });
    }
    if (tags.length - difficulties.length < MIN_SKILL_TAGS) {
      context.addIssue({ code: 'custom', message: `must hold at least ${MIN_SKILL_TAGS} skill tags besides the difficulty (what the scenario exercises, for --filter tag=…); ${fix}` });
    }
  })
  .meta({
    description: `Exactly one difficulty tag (${DIFFICULTIES.map((level) => `${DIFFICULTY_PREFIX}${level}`).join(', ')}) and at least ${MIN_SKILL_TAGS} skill tags; select with --filter tag=…`,
    examples: [['difficulty:easy', 'widget', 'table', 'formatting']],
  });

const answerSchema = z
  .object({
    match: regex.meta({ description: `Case-insensitive regular expression. ${ANSWER_MATCHING}`, examples: ['currenc|country|where .*live'] }),
    answer: z
      .string()
      .min(1, 'must be the answer text, e.g. "Swiss francs (CHF), please."')
      .meta({ description: 'The reply: sent as an option label when the question offers an option it equals or names, else as free text.', examples: ['Swiss francs (CHF), please — I live in Zurich now.'] }),
  })
  .strict()
  .meta({ description: 'One scripted answer.', examples: [{ match: 'currenc|country', answer: 'Swiss francs (CHF), please.' }] });

const hiddenTestsSchema = z
  .object({
    dir: z
      .string()
      .min(1)
      .default('hidden-tests')
      .meta({ description: 'The folder of the scenario holding the hidden acceptance tests; never visible to the agent.', examples: ['hidden-tests'] }),
    target: z
      .string()
      .min(1)
      .default('acceptance')
      .meta({
        description:
          'Where, relative to the sandbox root, the tests are copied after the agent finished; the fixture’s test command must pick them up (portfolio-dashboard’s vitest.config.ts includes acceptance/**). Imports in the tests are relative to this folder: from acceptance/, the app is ../src/….',
        examples: ['acceptance'],
      }),
  })
  .strict()
  .default({ dir: 'hidden-tests', target: 'acceptance' })
  .meta({ description: 'The hidden acceptance tests.', examples: [{ dir: 'hidden-tests', target: 'acceptance' }] });

const mcpServerSchema = z.object({ enabled: z.boolean().default(true).meta({ description: 'Whether the agent gets this server.', examples: [true] }) }).strict();

/** One optional entry per server the harness knows (runners/inputs/mcp/mcp-servers.ts). */
const mcpSchema = z
  .object(
    Object.fromEntries(
      Object.entries(MCP_SERVERS).map(([name, entry]) => [
        name,
        mcpServerSchema.optional().meta({ description: `MCP server "${name}": ${entry.description}. Its tools are named ${name}_<tool>.`, examples: [{ enabled: true }] }),
      ]),
    ) as Record<McpServerName, z.ZodOptional<typeof mcpServerSchema>>,
  )
  .strict()
  .default({})
  .meta({ description: 'Local MCP servers the agent gets in this scenario (default none).', examples: [{ backend: { enabled: true } }] });

/** The shape of `scenarios/<id>/scenario.yaml`. */
export const scenarioFileSchema = z
  .object({
    id: z
      .string()
      .regex(SCENARIO_ID_PATTERN, 'must be kebab-case (a-z, 0-9, -) and match the folder name')
      .meta({ description: 'The scenario’s name: kebab-case, equal to its folder name.', examples: ['add-stock-widget'] }),
    title: z.string().min(1, 'must be one line naming the task').meta({ description: 'One line naming the task, shown in the report and the README’s suite table.', examples: ['Add a stock watchlist widget'] }),
    description: z
      .string()
      .default('')
      .meta({ description: 'What the scenario asks and what it tells apart, for the report and for readers.', examples: ['The user asks for a watchlist widget fed by the core quotes client; tests building on src/core without editing it.'] }),
    fixture: z
      .string()
      .min(1, 'must name a folder under fixtures/')
      .meta({ description: 'The app each sandbox is copied from: a folder under fixtures/.', examples: ['portfolio-dashboard'] }),
    tags: tagsSchema,
    timeoutMs: z
      .number()
      .int()
      .positive()
      .max(3_600_000)
      .default(300_000)
      .meta({ description: 'Time allowed to the agent for all turns, in milliseconds (default 300000).', examples: [300000] }),
    turns: z
      .array(
        z
          .object({
            text: z.string().min(1, 'must be the user request text').meta({
              description: 'One user message, sent to the agent as is. State the exact contract the hidden tests check (file paths, export names, ids, formats), except what the scenario is about asking.',
              examples: ['Please add a watchlist widget… Export the component as `StockQuotesWidget` from `src/user-components/StockQuotesWidget.tsx`.'],
            }),
            agent: z
              .string()
              .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be an agent name: "build", "plan" or a primary agent of the prompt variant')
              .default('build')
              .meta({
                description: 'The agent the turn goes to, as the platform UI switches: "build" (default), "plan" (read-only; a change made in it is a violation) or a primary agent the variant defines.',
                examples: ['build', 'plan'],
              }),
          })
          .strict(),
      )
      .min(1, 'must list at least one user turn')
      .meta({
        description: 'The user messages, sent one after another in one session. The first must differ from every other scenario’s: the scripted model recognises a scenario by it.',
        examples: [[{ text: 'Please add a watchlist widget to my dashboard…' }]],
      }),
    checks: z
      .object({
        afterEachTurn: z
          .boolean()
          .default(true)
          .meta({ description: "Typecheck, lint and the fixture's own tests after every turn but the last (shown per turn; the final checks decide the outcome).", examples: [true] }),
      })
      .strict()
      .default({ afterEachTurn: true })
      .meta({ description: 'Checks between turns of a multi-turn scenario.', examples: [{ afterEachTurn: true }] }),
    answers: z
      .array(answerSchema)
      .default([])
      .meta({ description: `Scripted answers to the agent’s clarifying questions. ${ANSWER_MATCHING} \`harness validate\` shows which entry answers typical questions.`, examples: [[{ match: 'currenc|country', answer: 'Swiss francs (CHF), please.' }]] }),
    defaultAnswer: z
      .string()
      .min(1)
      .default('Use your best judgement and keep to the allowed folders.')
      .meta({ description: 'Given to a question no entry of `answers` matches.', examples: ['Please just follow the details in my request.'] }),
    policy: scenarioPolicySchema,
    hiddenTests: hiddenTestsSchema,
    reference: referenceSchema.default({ exercises: [] }).meta({
      description: 'The reference solution, replayed by the scripted `reference` profile; `harness validate` proves it passes every check.',
      examples: [{ dir: 'reference' }, { turns: [{ dir: 'reference/turn-1' }, { dir: 'reference/turn-2' }] }],
    }),
    counterexamples: z
      .array(counterexampleSchema)
      .default([])
      .meta({
        description: 'Wrong solutions the hidden tests must reject by a failed assertion; `harness validate` applies each to the untouched fixture and names the test that rejected it.',
        examples: [[{ dir: 'counterexamples/guess-eur', why: 'guessed euros instead of asking' }]],
      }),
    mcp: mcpSchema,
  })
  .strict()
  .superRefine((scenario, context) => {
    const turns = scenario.reference.turns;
    if (turns !== undefined && turns.length !== scenario.turns.length) {
      const message = `has ${turns.length} entr${turns.length === 1 ? 'y' : 'ies'} but the scenario has ${scenario.turns.length} user turn(s); give one entry per turn`;
      context.addIssue({ code: 'custom', path: ['reference', 'turns'], message });
    }
  });

export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
