import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../commands/cli/run-command.ts';
import { isUserError } from '../../core/errors.ts';
import { BAD_INPUTS_DIR, loadBadInputCases, toRunOptions } from './bad-input-cases.ts';

/**
 * Every malformed input of the corpus stops `harness run` before anything runs, with a UserError
 * (exit 2) naming the file, the field and the fix. In-process, as a dry run, so a case that
 * wrongly passed would only plan, never run.
 */
const cases = loadBadInputCases();
const io = {
  print: () => undefined,
  createProgress: () => {
    throw new Error('a bad input reached execution');
  },
};

describe('the bad-input corpus', () => {
  it('has at least 20 cases and every config it names exists (but the missing one)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const item of cases) expect(existsSync(item.configPath) || item.code === 'CONFIG_NOT_FOUND', item.id).toBe(true);
  });

  it('plans the valid base config the cases are made from (so each case fails for its own reason)', async () => {
    const result = await runCommand({ config: path.join(BAD_INPUTS_DIR, 'configs', 'valid.config.ts'), dryRun: true }, io);
    expect(result).toEqual({ kind: 'dry-run', specs: 1 });
  });

  it.each(cases.filter((item) => !item.cliOnly).map((item) => [item.id, item] as const))('%s: a UserError naming the file, the field and the fix', async (_id, item) => {
    const error: unknown = await runCommand({ ...toRunOptions(item), dryRun: true }, io).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isUserError(error), `expected a UserError, got ${String(error)}`).toBe(true);
    if (!isUserError(error)) return;
    expect(error.code).toBe(item.code);
    for (const fragment of item.includes) expect(error.message).toContain(fragment);
    expect(error.stack === undefined || !error.message.includes('    at ')).toBe(true);
    expect(existsSync(path.join(path.dirname(item.configPath), 'runs-never-written'))).toBe(false);
  });
});
