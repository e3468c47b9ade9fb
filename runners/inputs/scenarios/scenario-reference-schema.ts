import { z } from 'zod';
import { EXERCISED_FEATURES, type ExercisedFeature } from '../../core/domain/scenario.ts';

/** A folder of the scenario, given relative to the scenario folder. */
export const relativeFolder = (example: string) => z.string().min(1, `must be a folder relative to the scenario folder, e.g. "${example}"`);

const QUESTION_CALL_EXAMPLE = {
  tool: 'question',
  arguments: {
    questions: [{ question: 'Which currency should the net worth be shown in?', header: 'Currency', options: [{ label: 'CHF', description: 'Swiss franc' }] }],
  },
};

/** A tool call the scripted `reference` profile makes before it writes a turn's files. */
const referenceCallSchema = z
  .object({
    tool: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'must be a tool name as the model sees it, e.g. "question" or "backend_get_portfolios"')
      .meta({ description: 'OpenCode tool name: a built-in ("question", "read", …) or an MCP tool ("<server>_<tool>").', examples: ['question', 'backend_get_portfolios'] }),
    arguments: z
      .record(z.string(), z.unknown())
      .default({})
      .meta({
        description: 'The call’s arguments, as the model would send them (the question tool: questions[{question, header, options[{label, description}]}]).',
        examples: [QUESTION_CALL_EXAMPLE.arguments],
      }),
    subagent: z
      .object({
        calls: z
          .array(
            z
              .object({
                tool: z
                  .string()
                  .regex(/^[A-Za-z0-9_-]+$/, 'must be a tool name as the model sees it, e.g. "read"')
                  .meta({ description: 'The tool the subagent calls, as the model sees it.', examples: ['read'] }),
                arguments: z
                  .record(z.string(), z.unknown())
                  .default({})
                  .meta({ description: 'The call’s arguments, as the model would send them.', examples: [{ filePath: 'src/core/quotes.ts' }] }),
              })
              .strict(),
          )
          .default([])
          .meta({ description: 'Tool calls the subagent makes, one round each (paths relative to the sandbox are made absolute).', examples: [[{ tool: 'read', arguments: { filePath: 'src/core/quotes.ts' } }]] }),
        answer: z.string().min(1, "must be the subagent's final answer").meta({ description: 'What the subagent answers when done.', examples: ['The quotes client exports getQuote(symbol).'] }),
      })
      .strict()
      .optional()
      .meta({ description: '`task` calls only: what the subagent the call starts does.', examples: [{ calls: [], answer: 'Done.' }] }),
  })
  .strict()
  .refine((call) => call.subagent === undefined || call.tool === 'task', { message: 'subagent is only for a "task" call', path: ['subagent'] })
  .meta({ description: 'One tool call, made in a round of its own.', examples: [QUESTION_CALL_EXAMPLE] });

const referenceTodos = z
  .boolean()
  .optional()
  .meta({ description: 'Plan the work as a TODO list (todowrite: one item per file) and tick each item off as its file is written.', examples: [true] });
const referenceRead = z
  .array(z.string().min(1))
  .optional()
  .meta({ description: 'Files (relative to the sandbox) read in full, page by page, before writing: a large file fills the context and makes OpenCode compact.', examples: [['src/core/fees.ts']] });

const callsDescription = 'Tool calls the reference makes before writing its files, one round each: a clarifying question, an MCP lookup. `harness validate` checks each completed.';

const referenceTurnSchema = z
  .object({
    dir: relativeFolder('reference/turn-1')
      .optional()
      .meta({
        description: 'The files written in this turn, laid out as in the sandbox; each replaces the whole file at its path (none when absent, e.g. a planning turn).',
        examples: ['reference/turn-1'],
      }),
    calls: z.array(referenceCallSchema).default([]).meta({ description: callsDescription, examples: [[QUESTION_CALL_EXAMPLE]] }),
    todos: referenceTodos,
    read: referenceRead,
  })
  .strict()
  .meta({ description: 'What the reference does in one user turn.', examples: [{ dir: 'reference/turn-1' }] });

export const referenceSchema = z
  .object({
    dir: relativeFolder('reference')
      .optional()
      .meta({
        description: 'Single-turn scenarios: the reference solution, laid out as in the sandbox (default "reference"). Each file replaces the whole file at its path, so a registry file (e.g. src/user-components/index.ts) is given whole.',
        examples: ['reference'],
      }),
    calls: z
      .array(referenceCallSchema)
      .optional()
      .meta({ description: `Single-turn scenarios: ${callsDescription} Default: none.`, examples: [[QUESTION_CALL_EXAMPLE]] }),
    turns: z
      .array(referenceTurnSchema)
      .min(1)
      .optional()
      .meta({
        description: 'Multi-turn scenarios: one entry per user turn; the files of later turns overwrite earlier ones.',
        examples: [[{ dir: 'reference/turn-1' }, { dir: 'reference/turn-2' }]],
      }),
    todos: referenceTodos,
    read: referenceRead,
    exercises: z
      .array(z.enum(EXERCISED_FEATURES as readonly [ExercisedFeature, ...ExercisedFeature[]]))
      .default([])
      .meta({
        description: 'OpenCode features the reference must exercise through the real OpenCode (todos, subagents, compaction, webfetch, plan); `harness validate` proves it did.',
        examples: [['todos']],
      }),
  })
  .strict()
  .refine((reference) => reference.turns === undefined || (reference.dir === undefined && reference.calls === undefined && reference.todos === undefined && reference.read === undefined), {
    message: 'give either dir/calls/todos/read (one turn) or turns (one entry per user turn), not both',
  });

export const counterexampleSchema = z
  .object({
    dir: relativeFolder('counterexamples/guess-eur').meta({
      description: 'A wrong solution, laid out as in the sandbox like the reference (whole files); applied to the untouched fixture.',
      examples: ['counterexamples/guess-eur'],
    }),
    why: z
      .string()
      .min(1, 'must say what is wrong with it, e.g. "guessed the currency instead of asking"')
      .meta({ description: 'What is wrong with it, printed when the hidden tests accept it.', examples: ['guessed euros instead of asking'] }),
  })
  .strict()
  .meta({ description: 'A wrong solution the hidden tests must reject by a failed assertion.', examples: [{ dir: 'counterexamples/guess-eur', why: 'guessed euros instead of asking' }] });
