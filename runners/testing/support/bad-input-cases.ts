import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { RunCommandOptions } from '../../commands/cli/run-command.ts';

/** The corpus of malformed inputs (runners/testing/support/bad-inputs/cases.yaml). */
export const BAD_INPUTS_DIR = path.join(import.meta.dirname, 'bad-inputs');

const caseSchema = z
  .object({
    id: z.string().min(1),
    config: z.string().min(1),
    args: z.array(z.string()).default([]),
    /** The UserError code, or `CLI` for arguments commander rejects. */
    code: z.string().min(1),
    includes: z.array(z.string().min(1)).min(1),
    cli: z.boolean().default(false),
    cliOnly: z.boolean().default(false),
  })
  .strict();

export type BadInputCase = z.infer<typeof caseSchema> & { configPath: string };

export function loadBadInputCases(): BadInputCase[] {
  const raw: unknown = parseYaml(readFileSync(path.join(BAD_INPUTS_DIR, 'cases.yaml'), 'utf8'));
  const cases = z.array(caseSchema).parse(raw);
  const ids = new Set<string>();
  for (const item of cases) {
    if (ids.has(item.id)) throw new Error(`bad-inputs/cases.yaml: case id "${item.id}" is listed twice`);
    ids.add(item.id);
  }
  return cases.map((item) => ({ ...item, configPath: path.join(BAD_INPUTS_DIR, item.config) }));
}

/** The `harness run` options a case's arguments stand for (the few flags the corpus uses). */
export function toRunOptions(item: BadInputCase): RunCommandOptions {
  const options: RunCommandOptions = { config: item.configPath };
  const list = (key: 'scenario' | 'target' | 'prompt' | 'filter', value: string) => {
    options[key] = [...(options[key] ?? []), ...value.split(',')];
  };
  for (let index = 0; index < item.args.length; index += 2) {
    const flag = item.args[index] ?? '';
    const value = item.args[index + 1] ?? '';
    switch (flag) {
      case '--scenario':
      case '--target':
      case '--prompt':
      case '--filter':
        list(flag.slice(2) as 'scenario' | 'target' | 'prompt' | 'filter', value);
        break;
      case '--endpoint':
      case '--model':
      case '--shard':
        options[flag.slice(2) as 'endpoint' | 'model' | 'shard'] = value;
        break;
      default:
        throw new Error(`bad-inputs case ${item.id}: toRunOptions does not know ${flag}; run it with cliOnly: true`);
    }
  }
  return options;
}
