import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBadInputCases } from '../support/bad-input-cases.ts';
import { runCli } from '../support/harness-cli.ts';
import { useWorkspace } from '../support/workspace.ts';

/**
 * A representative few of the bad-input corpus (runners/testing/support/bad-inputs/cases.yaml,
 * `cli: true`) through the real CLI: exit code 2, the message on stderr without a stack trace,
 * and nothing ran — no run folder, and no sandbox or OpenCode server (the harness's private
 * TMPDIR stays empty). The whole corpus runs in-process in runners/testing/support/bad-inputs.test.ts.
 */
const EXIT_USAGE = 2;
const cases = loadBadInputCases().filter((item) => item.cli);

describe('bad input through the real CLI', () => {
  it('covers configs, scenarios, prompt templates and command lines', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases.map((item) => [item.id, item] as const))('%s: exit 2, the file, field and fix on stderr, nothing run', async (_id, item) => {
    const workspace = useWorkspace(`harness-e2e-bad-${item.id}-`);
    const cli = await runCli(['run', '--config', item.configPath, '--out', path.join(workspace.dir, 'runs'), ...item.args], workspace, 60_000);
    expect(cli.exitCode, cli.stderr).toBe(EXIT_USAGE);
    for (const fragment of item.includes) expect(cli.stderr).toContain(fragment);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
    expect(cli.stderr).not.toContain('internal error');
    expect(existsSync(path.join(workspace.dir, 'runs'))).toBe(false);
    expect(existsSync(path.join(path.dirname(item.configPath), 'runs-never-written'))).toBe(false);
    expect(readdirSync(workspace.tmp)).toEqual([]);
  });
});
