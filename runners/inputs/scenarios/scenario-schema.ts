import { z } from 'zod';
import { MCP_SERVERS, type McpServerName } from '../mcp/mcp-servers.ts';

const glob = z.string().min(1, 'must be a non-empty glob relative to the sandbox root, e.g. "src/user-components/**"');
const action = z.enum(['allow', 'deny']);

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
    webfetch: action.default('deny'),
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
  })
  .strict();

const referenceTurnSchema = z
  .object({
    dir: relativeFolder('reference/turn-1').describe('Files written in this turn, laid out as in the sandbox.'),
    calls: z.array(referenceCallSchema).default([]).describe('Tool calls made first, one round each (e.g. a question, an MCP lookup).'),
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
  })
  .strict()
  .refine((reference) => reference.turns === undefined || (reference.dir === undefined && reference.calls === undefined), {
    message: 'give either dir/calls (one turn) or turns (one entry per user turn), not both',
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
      .array(z.object({ text: z.string().min(1, 'must be the user request text') }).strict())
      .min(1, 'must list at least one user turn')
      .describe('The user messages, sent one after another in one session.'),
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
    reference: referenceSchema.default({}).describe('The reference solution, replayed by the scripted `reference` profile; `harness validate` proves it passes.'),
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
