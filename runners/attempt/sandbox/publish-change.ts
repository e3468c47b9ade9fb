import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PublishedChange } from '../../core/domain/attempt.ts';
import { FIXED_COMMIT_DATES } from './create-sandbox.ts';
import { listChangedBetween, runGit } from './git.ts';

/** Where a run keeps its attempts' changes: a bare repository and one patch per attempt. */
export const CHANGES_REPOSITORY = 'changes.git';
export const PATCHES_DIR = 'patches';

export interface PublishInput {
  sandboxDir: string;
  baselineCommit: string;
  runDir: string;
  scenarioId: string;
  scenarioTitle: string;
  fixtureName: string;
  attemptId: string;
  env: Record<string, string>;
}

/** The branch an attempt's change is published on. */
export function changeBranchOf(scenarioId: string, attemptId: string): string {
  return `harness/${scenarioId}/${attemptId}`;
}

/**
 * Publishes an attempt's change as the platform's Publish button does: a commit `[AI] <scenario
 * title>` on top of the fixture's baseline, on branch `harness/<scenario>/<attempt id>` of the
 * run's bare repository `<run dir>/changes.git`, and as `<run dir>/patches/<attempt id>.patch`
 * (git format-patch). Reads what is staged in the sandbox (collectChange stages everything);
 * an attempt that changed nothing publishes nothing. The commit's date is fixed, so the same change
 * gives the same commit id in a rerun or a replay. Git failures throw (a harness fault).
 */
export async function publishChange(input: PublishInput): Promise<PublishedChange> {
  const { sandboxDir, env } = input;
  const tree = (await runGit(sandboxDir, ['write-tree'], env)).trim();
  const baselineTree = (await runGit(sandboxDir, ['rev-parse', `${input.baselineCommit}^{tree}`], env)).trim();
  if (tree === baselineTree) return { status: 'empty' };
  const message = `[AI] ${input.scenarioTitle}\n\nScenario: ${input.scenarioId}\nAttempt: ${input.attemptId}\n`;
  const commit = (await runGit(sandboxDir, ['commit-tree', tree, '-p', input.baselineCommit, '-m', message], { ...env, ...AGENT_IDENTITY, ...FIXED_COMMIT_DATES })).trim();
  const repository = await ensureChangesRepository(input.runDir, env);
  const branch = changeBranchOf(input.scenarioId, input.attemptId);
  await runGit(sandboxDir, ['push', '--quiet', '--force', repository, `${commit}:refs/heads/${branch}`, `${input.baselineCommit}:refs/heads/baseline/${input.fixtureName}`], env);
  const patch = path.join(PATCHES_DIR, `${input.attemptId}.patch`);
  await mkdir(path.join(input.runDir, PATCHES_DIR), { recursive: true });
  await writeFile(path.join(input.runDir, patch), await runGit(sandboxDir, ['format-patch', '-1', '--stdout', '--binary', '--no-signature', commit], env));
  const files = await listChangedBetween(sandboxDir, input.baselineCommit, commit, env);
  return { status: 'published', branch, commit, patch, files };
}

/** Who the published commit is by: the agent, as the platform's Publish records it. */
const AGENT_IDENTITY = { GIT_AUTHOR_NAME: 'OpenCode agent', GIT_AUTHOR_EMAIL: 'agent@harness.invalid', GIT_COMMITTER_NAME: 'harness', GIT_COMMITTER_EMAIL: 'harness@localhost' };

async function ensureChangesRepository(runDir: string, env: Record<string, string>): Promise<string> {
  const repository = path.join(runDir, CHANGES_REPOSITORY);
  if (!existsSync(path.join(repository, 'HEAD'))) {
    await mkdir(repository, { recursive: true });
    // Two workers may get here at once; `git init` of an existing repository is harmless.
    await runGit(repository, ['init', '--quiet', '--bare', '--initial-branch=main'], env);
  }
  return repository;
}
