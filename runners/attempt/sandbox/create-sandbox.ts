import { cp, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import { runGit } from './git.ts';

export interface Sandbox {
  /** The agent's working directory: the fixture copy, a git repo at its baseline. */
  dir: string;
  /** The attempt's folder; the sandbox is its only child, so anything else there escaped. */
  attemptDir: string;
  baselineCommit: string;
}

/**
 * Builds a fresh sandbox under `attemptDir`: the fixture's files copied (node_modules linked,
 * never installed), then a git baseline committed so the agent's change can be diffed exactly.
 */
export async function createSandbox(fixture: LoadedFixture, attemptDir: string, env: Record<string, string>): Promise<Sandbox> {
  const dir = path.join(attemptDir, 'repo');
  await mkdir(attemptDir, { recursive: true });
  const excluded = new Set(fixture.exclude.map((entry) => path.join(fixture.dir, entry)));
  await cp(fixture.dir, dir, {
    recursive: true,
    filter: (source) => !excluded.has(source),
  });
  await symlink(path.join(fixture.dir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  await runGit(dir, ['init', '--quiet', '--initial-branch=main'], env);
  // The linked node_modules is a symlink, which "node_modules/" would not match. The search
  // exclusions (see writeSearchExclusions) are the harness's, not part of the agent's change.
  await writeFile(path.join(dir, '.git', 'info', 'exclude'), `node_modules\n/${SEARCH_EXCLUSIONS_FILE}\n`);
  await runGit(dir, ['add', '--all'], env);
  // A fixed date makes the baseline commit the same in every sandbox of the fixture, so every
  // attempt's published change branches off one commit (see publish-change.ts).
  await runGit(dir, ['commit', '--quiet', '--no-verify', '-m', `${fixture.name} baseline`], { ...env, ...FIXED_COMMIT_DATES });
  const baselineCommit = (await runGit(dir, ['rev-parse', 'HEAD'], env)).trim();
  return { dir, attemptDir, baselineCommit };
}

/** The date of every commit the harness makes: a commit's id then depends on its content only. */
export const FIXED_COMMIT_DATES = { GIT_AUTHOR_DATE: '2000-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2000-01-01T00:00:00Z' };

/** ripgrep's own ignore file, which git does not read. */
export const SEARCH_EXCLUSIONS_FILE = '.ignore';

/**
 * OpenCode's grep and glob tools run ripgrep with `--no-config --hidden`, and OpenCode's read
 * rules do not apply to them, so a grep would print a denied file's contents (e.g. `.env`).
 * ripgrep still honours a `.ignore` file: the scenario's denied-read globs go there.
 */
export async function writeSearchExclusions(sandboxDir: string, deniedReads: readonly string[]): Promise<void> {
  const lines = deniedReads.map((glob) => (glob.startsWith('/') || glob.startsWith('**/') ? glob : `/${glob}`));
  await writeFile(path.join(sandboxDir, SEARCH_EXCLUSIONS_FILE), lines.length === 0 ? '' : `${lines.join('\n')}\n`);
}

/** Entries written beside the sandbox: evidence of writes outside it. */
export async function findWritesBesideSandbox(sandbox: Sandbox): Promise<string[]> {
  const entries = await readdir(sandbox.attemptDir);
  return entries.filter((name) => name !== path.basename(sandbox.dir)).map((name) => path.join(sandbox.attemptDir, name));
}

/** Copies the scenario's hidden acceptance tests into the sandbox, after the agent finished. */
export async function copyHiddenTests(hiddenTestsDir: string, sandboxDir: string, target: string): Promise<string> {
  const destination = path.join(sandboxDir, target);
  // Replace whatever the agent may have put there: the hidden tests are the harness's, not the agent's.
  await rm(destination, { recursive: true, force: true });
  await cp(hiddenTestsDir, destination, { recursive: true, force: true });
  return destination;
}
