import { z } from 'zod';

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
  })
  .strict()
  .meta({ description: 'One tool call, made in a round of its own.', examples: [QUESTION_CALL_EXAMPLE] });

const callsDescription = 'Tool calls the reference makes before writing its files, one round each: a clarifying question, an MCP lookup. `harness validate` checks each completed.';

const referenceTurnSchema = z
  .object({
    dir: relativeFolder('reference/turn-1').meta({
      description: 'The files written in this turn, laid out as in the sandbox; each replaces the whole file at its path.',
      examples: ['reference/turn-1'],
    }),
    calls: z.array(referenceCallSchema).default([]).meta({ description: callsDescription, examples: [[QUESTION_CALL_EXAMPLE]] }),
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
  })
  .strict()
  .refine((reference) => reference.turns === undefined || (reference.dir === undefined && reference.calls === undefined), {
    message: 'give either dir/calls (one turn) or turns (one entry per user turn), not both',
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
