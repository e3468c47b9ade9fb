import { z } from 'zod';
import { UserError } from '../../core/errors.ts';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const id = z.string().regex(idPattern, 'must be an id of letters, digits, ".", "_" or "-"');

/** The `config:` block of a harness provider in a promptfoo config. */
const providerConfigSchema = z
  .object({
    /** The harness config, relative to the folder promptfoo runs in (like `harness run --config`). */
    harnessConfig: z.string().min(1).default('harness.config.ts'),
    target: z
      .string({ error: 'is required: the id of a target in the harness config, e.g. scripted-reference' })
      .regex(idPattern, 'must be a target id of letters, digits, ".", "_" or "-"'),
    promptVariant: id.default('default'),
    /** Where run folders go (default: the harness config's outputDir). */
    outputDir: z.string().min(1).optional(),
    /** Overrides the scenario's own timeout. */
    attemptTimeoutMs: z.number().int().positive().optional(),
    keepSandboxes: z.boolean().default(false),
    /** Added by promptfoo: the folder of the promptfoo config. */
    basePath: z.string().optional(),
  })
  .strict();

export type HarnessProviderConfig = z.output<typeof providerConfigSchema>;

/**
 * Validates a provider's config when promptfoo loads it, so a typo stops the eval before any
 * attempt runs. The error names the provider and the field.
 */
export function parseProviderConfig(value: unknown, providerName: string): HarnessProviderConfig {
  const parsed = providerConfigSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `promptfoo provider "${providerName}": ${['config', ...issue.path.map(String)].join('.')} ${issue.message}`);
    throw new UserError(
      'CONFIG_INVALID',
      `${lines.join('\n')}\n` +
        'A harness provider needs config: { target: <target id in harness.config.ts>, promptVariant: <variant id>, harnessConfig: <path, default harness.config.ts> }.',
    );
  }
  return parsed.data;
}

/**
 * The harness runs its checks with the Node that runs it, and needs Node 24 (package.json
 * engines). A promptfoo installed elsewhere may run on an older one; say how to fix that.
 */
export function checkNodeVersion(version: string, providerName: string): void {
  const major = Number.parseInt(version.replace(/^v/, ''), 10);
  if (Number.isFinite(major) && major >= 24) return;
  throw new UserError(
    'CONFIG_INVALID',
    `promptfoo provider "${providerName}": the harness needs Node 24 or newer, but promptfoo runs on Node ${version}. ` +
      'Run promptfoo from the project with `npx promptfoo …` (it uses the project’s Node 24 from node_modules).',
  );
}
