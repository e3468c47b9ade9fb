import { z } from 'zod';

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
        allow: z.array(glob).default([]),
        deny: z.array(glob).default([]),
      })
      .strict(),
    read: z.object({ deny: z.array(glob).default([]) }).strict().default({ deny: [] }),
    bash: z
      .object({ default: action.default('deny'), allow: z.array(z.string().min(1)).default([]) })
      .strict()
      .default({ default: 'deny', allow: [] }),
    webfetch: action.default('deny'),
    question: action.default('allow'),
  })
  .strict();

/** The shape of `scenarios/<id>/scenario.yaml`. */
export const scenarioFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case (a-z, 0-9, -) and match the folder name'),
    title: z.string().min(1),
    description: z.string().default(''),
    fixture: z.string().min(1, 'must name a folder under fixtures/'),
    tags: z.array(z.string().min(1)).default([]),
    timeoutMs: z.number().int().positive().max(3_600_000).default(300_000),
    turns: z
      .array(z.object({ text: z.string().min(1, 'must be the user request text') }).strict())
      .min(1, 'must list at least one user turn'),
    answers: z.array(z.object({ match: regex, answer: z.string().min(1) }).strict()).default([]),
    defaultAnswer: z.string().min(1).default('Use your best judgement and keep to the allowed folders.'),
    policy: scenarioPolicySchema,
    hiddenTests: z
      .object({
        dir: z.string().min(1).default('hidden-tests'),
        target: z.string().min(1).default('acceptance'),
      })
      .strict()
      .default({ dir: 'hidden-tests', target: 'acceptance' }),
    reference: z.object({ dir: z.string().min(1).default('reference') }).strict().default({ dir: 'reference' }),
  })
  .strict();

export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
