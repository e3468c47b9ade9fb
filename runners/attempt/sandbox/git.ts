import path from 'node:path';
import { execa } from 'execa';

const IDENTITY = ['-c', 'user.name=harness', '-c', 'user.email=harness@localhost', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false'];

/** Runs git in `cwd` with a minimal environment; throws (a harness fault) when git fails. */
export async function runGit(cwd: string, args: string[], env: Record<string, string>): Promise<string> {
  // The ceiling stops git from climbing into a parent repository if the sandbox's .git is gone.
  const result = await execa('git', [...IDENTITY, ...args], {
    cwd,
    env: { ...env, GIT_CEILING_DIRECTORIES: path.dirname(cwd) },
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
  });
  if (result.exitCode !== 0) {
    throw new Error(`git ${args.join(' ')} failed in ${cwd} (exit ${String(result.exitCode)}): ${String(result.stderr).slice(0, 500)}`);
  }
  return String(result.stdout);
}

/**
 * The working tree as a git tree object, written through a separate index so the sandbox's own
 * index is untouched (ignored files, the linked node_modules, stay out as in a commit).
 */
export async function snapshotTree(cwd: string, env: Record<string, string>): Promise<string> {
  const indexEnv = { ...env, GIT_INDEX_FILE: path.join(cwd, '.git', 'harness-snapshot-index') };
  await runGit(cwd, ['add', '--all'], indexEnv);
  return (await runGit(cwd, ['write-tree'], indexEnv)).trim();
}

/** Files that differ between two trees (or commits). */
export async function listChangedBetween(cwd: string, from: string, to: string, env: Record<string, string>): Promise<string[]> {
  const names = await runGit(cwd, ['diff-tree', '-r', '--no-renames', '--name-only', '-z', from, to], env);
  return names.split('\0').filter((name) => name !== '');
}

export interface WorkingTreeChange {
  /** Unified diff of every change against the baseline, new files included. */
  diff: string;
  changedFiles: string[];
}

/** Stages everything and diffs it against the baseline commit. */
export async function collectChange(cwd: string, baseline: string, env: Record<string, string>): Promise<WorkingTreeChange> {
  await runGit(cwd, ['add', '--all'], env);
  const names = await runGit(cwd, ['diff', '--cached', '--no-renames', '--name-only', '-z', baseline], env);
  const diff = await runGit(cwd, ['diff', '--cached', '--no-renames', '--no-color', baseline], env);
  return { diff, changedFiles: names.split('\0').filter((name) => name !== '') };
}
