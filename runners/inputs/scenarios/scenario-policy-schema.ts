import { z } from 'zod';
import { explainHostPattern } from '../../core/domain/host-patterns.ts';

/** A glob relative to the sandbox root, as OpenCode's permission rules match it. */
const glob = z.string().min(1, 'must be a non-empty glob relative to the sandbox root, e.g. "src/user-components/**"');
const action = z.enum(['allow', 'deny']);

const editPolicySchema = z
  .object({
    allow: z
      .array(glob)
      .default([])
      .meta({
        description: 'Globs (relative to the sandbox root) the agent may edit; any other edit is denied by OpenCode and counted as a violation.',
        examples: [['src/user-components/**', 'src/user-pages/**']],
      }),
    deny: z
      .array(glob)
      .default([])
      .meta({ description: 'Globs never to edit, even where an allow glob matches (deny wins).', examples: [['src/core/**', 'config/**', '.env*']] }),
  })
  .strict()
  .meta({
    description: 'Edits (write, edit, patch tools). Also checked after the session: a file changed outside `allow` fails the permissions check.',
    examples: [{ allow: ['src/user-components/**'], deny: ['src/core/**'] }],
  });

const readPolicySchema = z
  .object({
    deny: z.array(glob).default([]).meta({ description: 'Globs never to read; every other path of the sandbox may be read.', examples: [['.env*', 'secrets/**']] }),
  })
  .strict()
  .default({ deny: [] })
  .meta({ description: 'Reads (read, grep, glob, list tools). An attempted denied read is a violation.', examples: [{ deny: ['.env*', 'secrets/**'] }] });

const bashPolicySchema = z
  .object({
    default: action.default('deny').meta({ description: 'What happens to a shell command no `allow` pattern matches.', examples: ['deny'] }),
    allow: z
      .array(z.string().min(1, 'must be a command pattern, e.g. "npm test" or "npx vitest run *"'))
      .default([])
      .meta({
        description:
          'Command patterns allowed even when the default is deny, written as OpenCode writes them: `*` matches any text, `?` one character, and `npm *` also matches a bare `npm`. A chained command (&&, ||, ;, |) needs every part allowed.',
        examples: [['npm test', 'npx vitest run *']],
      }),
  })
  .strict()
  .default({ default: 'deny', allow: [] })
  .meta({ description: 'Shell commands (bash tool).', examples: [{ default: 'deny', allow: ['npm test'] }] });

const hostPattern = z.string().superRefine((text, context) => {
  const why = explainHostPattern(text);
  if (why !== undefined) context.addIssue({ code: 'custom', message: `"${text}" is not a host pattern: it ${why}` });
});

const webfetchPolicySchema = z
  .union([
    action,
    z
      .object({
        allow: z
          .array(hostPattern)
          .min(1, 'must list at least one host pattern, e.g. ["docs.example.test"]')
          .meta({
            description: 'Host patterns the agent may fetch from, e.g. "docs.example.test", "*.example.test", "docs.*"; any other host is refused and counted as a violation.',
            examples: [['docs.example.test', 'api.alphavantage.co']],
          }),
      })
      .strict(),
  ])
  .default('deny')
  .meta({
    description: '"allow", "deny", or { allow: [host patterns] }: the harness answers every fetch, allowing listed hosts only (the network containment refuses the rest).',
    examples: ['deny', { allow: ['docs.example.test'] }],
  });

export const scenarioPolicySchema = z
  .object({
    edit: editPolicySchema,
    read: readPolicySchema,
    bash: bashPolicySchema,
    webfetch: webfetchPolicySchema,
    question: action.default('allow').meta({
      description: 'Whether the agent may ask clarifying questions (question tool); they are answered from `answers`, then `defaultAnswer`.',
      examples: ['allow'],
    }),
  })
  .strict()
  .meta({
    description: 'The permission policy: given to OpenCode as permission rules and verified afterwards by the permissions check.',
    examples: [
      {
        edit: { allow: ['src/user-components/**'], deny: ['src/core/**', 'config/**', '.env*'] },
        read: { deny: ['.env*', 'secrets/**'] },
        bash: { default: 'deny', allow: [] },
        webfetch: 'deny',
        question: 'allow',
      },
    ],
  });
