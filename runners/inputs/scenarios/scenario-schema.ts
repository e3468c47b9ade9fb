import { z } from 'zod';
import { EXERCISED_FEATURES, type ExercisedFeature } from '../../core/domain/scenario.ts';
import { explainHostPattern } from '../../core/domain/host-patterns.ts';
import { MCP_SERVERS, type McpServerName } from '../mcp/mcp-servers.ts';

const glob = z.string().min(1, 'must be a non-empty glob relative to the sandbox root, e.g. "src/user-components/**"');
const action = z.enum(['allow', 'deny']);

const hostPattern = z.string().superRefine((text, context) => {
  const why = explainHostPattern(text);
  if (why !== undefined) context.addIssue({ code: 'custom', message: `"${text}" is not a host pattern: it ${why}` });
});

const webfetchPolicy = z
  .union([
    action,
    z
      .object({
        allow: z
          .array(hostPattern)
          .min(1, 'must list at least one host pattern, e.g. ["docs.example.test"]')
          .describe('Host patterns the agent may fetch from, e.g. "docs.example.test", "*.example.test", "docs.*"; any other host is refused and counted as a violation.'),
      })
      .strict(),
  ])
  .default('deny')
  .describe('"allow", "deny", or { allow: [host patterns] }: the harness answers every fetch, allowing listed hosts only.');

const regex = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'i');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a valid regular expression (it is matched case-insensitively against the question text)' },
);

export const scenarioPolicySchema = z
  .object({
    edit: z
      .object({
        allow: z.array(glob).default([]).describe('Globs the agent may edit, e.g. "src/user-components/**"; anything else is denied.'),
        deny: z.array(glob).default([]).describe('Globs never to edit, even when an allow glob matches.'),
      })
      .strict()
      .describe('Edits (write, edit, patch).'),
    read: z
      .object({ deny: z.array(glob).default([]).describe('Globs never to read, e.g. ".env*", "secrets/**".') })
      .strict()
      .default({ deny: [] }),
    bash: z
      .object({ default: action.default('deny'), allow: z.array(z.string().min(1)).default([]) })
      .strict()
      .default({ default: 'deny', allow: [] }),
    webfetch: webfetchPolicy,
    question: action.default('allow').describe('Whether the agent may ask clarifying questions (answered from `answers`).'),
  })
  .strict()
  .describe('The permission policy: enforced by OpenCode and verified by the permissions check.');

const relativeFolder = (example: string) =>
  z.string().min(1, `must be a folder relative to the scenario folder, e.g. "${example}"`);

/** A tool call the scripted `reference` profile makes before it writes a turn's files. */
const referenceCallSchema = z
  .object({
    tool: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'must be a tool name as the model sees it, e.g. "question" or "backend_get_portfolios"')
      .describe('OpenCode tool name: a built-in ("question", "read", …) or an MCP tool ("<server>_<tool>").'),
    arguments: z.record(z.string(), z.unknown()).default({}).describe('The call’s arguments, as the model would send them.'),
    subagent: z
      .object({
        calls: z
          .array(
            z
              .object({
                tool: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a tool name as the model sees it, e.g. "read"'),
                arguments: z.record(z.string(), z.unknown()).default({}),
              })
              .strict(),
          )
          .default([])
          .describe('Tool calls the subagent makes, one round each (paths relative to the sandbox are made absolute).'),
        answer: z.string().min(1, 'must be the subagent\'s final answer').describe('What the subagent answers when done.'),
      })
      .strict()
      .optional()
      .describe('`task` calls only: what the subagent the call starts does.'),
  })
  .strict()
  .refine((call) => call.subagent === undefined || call.tool === 'task', { message: 'subagent is only for a "task" call', path: ['subagent'] });

const referenceTodos = z
  .boolean()
  .optional()
  .describe('Plan the work as a TODO list (todowrite: one item per file) and tick each item off as its file is written.');
const referenceRead = z
  .array(z.string().min(1))
  .optional()
  .describe('Files (relative to the sandbox) read in full, page by page, before writing: a large file fills the context and makes OpenCode compact.');

const referenceTurnSchema = z
  .object({
    dir: relativeFolder('reference/turn-1').optional().describe('Files written in this turn, laid out as in the sandbox (none when absent, e.g. a planning turn).'),
    calls: z.array(referenceCallSchema).default([]).describe('Tool calls made first, one round each (e.g. a question, an MCP lookup).'),
    todos: referenceTodos,
    read: referenceRead,
  })
  .strict();

const referenceSchema = z
  .object({
    dir: relativeFolder('reference')
      .optional()
      .describe('Single-turn scenarios: the reference solution, laid out as in the sandbox (default "reference").'),
    calls: z
      .array(referenceCallSchema)
      .optional()
      .describe('Single-turn scenarios: tool calls the reference makes before writing (default none).'),
    turns: z
      .array(referenceTurnSchema)
      .min(1)
      .optional()
      .describe('Multi-turn scenarios: one entry per user turn; the files of later turns overwrite earlier ones.'),
    todos: referenceTodos.describe('Single-turn scenarios: plan the work as a TODO list (one item per file) and tick each off as its file is written.'),
    read: referenceRead.describe('Single-turn scenarios: files (relative to the sandbox) read in full, page by page, before writing.'),
    exercises: z
      .array(z.enum(EXERCISED_FEATURES as readonly [ExercisedFeature, ...ExercisedFeature[]]))
      .default([])
      .describe('OpenCode features the reference must exercise through the real OpenCode (todos, subagents, compaction, webfetch, plan); `harness validate` proves it did.'),
  })
  .strict()
  .refine((reference) => reference.turns === undefined || (reference.dir === undefined && reference.calls === undefined && reference.todos === undefined && reference.read === undefined), {
    message: 'give either dir/calls/todos/read (one turn) or turns (one entry per user turn), not both',
  });

const mcpServerSchema = z.object({ enabled: z.boolean().default(true) }).strict();

/** One optional entry per server the harness knows (runners/inputs/mcp/mcp-servers.ts). */
const mcpSchema = z
  .object(
    Object.fromEntries(
      Object.entries(MCP_SERVERS).map(([name, entry]) => [name, mcpServerSchema.optional().describe(`MCP server "${name}": ${entry.description}. Its tools are named ${name}_<tool>.`)]),
    ) as Record<McpServerName, z.ZodOptional<typeof mcpServerSchema>>,
  )
  .strict()
  .default({});

/** The shape of `scenarios/<id>/scenario.yaml`. */
export const scenarioFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case (a-z, 0-9, -) and match the folder name').describe('Equal to the folder name.'),
    title: z.string().min(1),
    description: z.string().default('').describe('What the scenario tests, for the report.'),
    fixture: z.string().min(1, 'must name a folder under fixtures/').describe('The app each sandbox is copied from: a folder under fixtures/.'),
    tags: z.array(z.string().min(1)).default([]).describe('Difficulty ("difficulty:easy|medium|hard") and skills; select with --filter tag=…'),
    timeoutMs: z.number().int().positive().max(3_600_000).default(300_000).describe('Time allowed to the agent for all turns.'),
    turns: z
      .array(
        z
          .object({
            text: z.string().min(1, 'must be the user request text'),
            agent: z
              .string()
              .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be an agent name: "build", "plan" or a primary agent of the prompt variant')
              .default('build')
              .describe('The agent the turn goes to, as the platform UI switches: "build" (default), "plan" (read-only; a change made in it is a violation) or a primary agent the variant defines.'),
          })
          .strict(),
      )
      .min(1, 'must list at least one user turn')
      .describe('The user messages, sent one after another in one session.'),
    checks: z
      .object({
        afterEachTurn: z
          .boolean()
          .default(true)
          .describe('Typecheck, lint and the fixture\'s own tests after every turn but the last (shown per turn; the final checks decide the outcome).'),
      })
      .strict()
      .default({ afterEachTurn: true }),
    answers: z
      .array(
        z
          .object({
            match: regex.describe('Case-insensitive regular expression matched against the question.'),
            answer: z.string().min(1).describe('The answer: an option label when one is named, else free text.'),
          })
          .strict(),
      )
      .default([])
      .describe('Scripted answers to clarifying questions; the first match wins.'),
    defaultAnswer: z.string().min(1).default('Use your best judgement and keep to the allowed folders.').describe('Given to a question no answer matches.'),
    policy: scenarioPolicySchema,
    hiddenTests: z
      .object({
        dir: z.string().min(1).default('hidden-tests').describe('Folder (in the scenario) of the hidden acceptance tests.'),
        target: z.string().min(1).default('acceptance').describe('Where, in the sandbox, they are copied after the agent finished.'),
      })
      .strict()
      .default({ dir: 'hidden-tests', target: 'acceptance' }),
    reference: referenceSchema.default({ exercises: [] }).describe('The reference solution, replayed by the scripted `reference` profile; `harness validate` proves it passes.'),
    counterexamples: z
      .array(
        z
          .object({
            dir: relativeFolder('counterexamples/guess-eur').describe('A wrong solution, laid out as in the sandbox.'),
            why: z.string().min(1, 'must say what is wrong with it, e.g. "guessed the currency instead of asking"'),
          })
          .strict(),
      )
      .default([])
      .describe('Wrong solutions the hidden tests must reject; `harness validate` applies each to the untouched fixture.'),
    mcp: mcpSchema.describe('Local MCP servers the agent gets in this scenario, e.g. { backend: { enabled: true } }.'),
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
