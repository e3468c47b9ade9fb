import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import { SEARCH_EXCLUSIONS_FILE, createSandbox, type Sandbox } from './create-sandbox.ts';
import { runGit } from './git.ts';

export type SandboxReuse = { kind: 'reset'; sandbox: Sandbox } | { kind: 'created'; sandbox: Sandbox; reason: string };

/**
 * Gives an attempt a sandbox identical to a fresh fixture copy. An earlier sandbox of the same
 * fixture (same worker, so the same OpenCode instance, whose boot is the expensive part) is
 * reset to its baseline — tracked files restored, everything else removed — and then verified:
 * HEAD at the baseline, nothing modified, untracked or ignored but the linked node_modules,
 * nothing beside it. Anything less, and it is thrown away and built afresh.
 */
export async function acquireSandbox(
  previous: Sandbox | undefined,
  fixture: LoadedFixture,
  attemptDir: string,
  env: Record<string, string>,
): Promise<SandboxReuse> {
  if (previous === undefined) return { kind: 'created', sandbox: await createSandbox(fixture, attemptDir, env), reason: 'first attempt of this fixture on this worker' };
  const problem = await resetToBaseline(previous, env).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  if (problem === undefined) return { kind: 'reset', sandbox: previous };
  await rm(previous.attemptDir, { recursive: true, force: true });
  return { kind: 'created', sandbox: await createSandbox(fixture, attemptDir, env), reason: `reset failed: ${problem}` };
}

/** Returns undefined when the sandbox is back at its baseline, else what is wrong. */
async function resetToBaseline(sandbox: Sandbox, env: Record<string, string>): Promise<string | undefined> {
  for (const entry of await readdir(sandbox.attemptDir)) {
    if (entry !== path.basename(sandbox.dir)) await rm(path.join(sandbox.attemptDir, entry), { recursive: true, force: true });
  }
  await runGit(sandbox.dir, ['checkout', '--quiet', '--force', '--detach', sandbox.baselineCommit], env);
  await runGit(sandbox.dir, ['reset', '--quiet', '--hard', sandbox.baselineCommit], env);
  await runGit(sandbox.dir, ['clean', '-ffdxq', '-e', '/node_modules', '-e', `/${SEARCH_EXCLUSIONS_FILE}`], env);
  const head = (await runGit(sandbox.dir, ['rev-parse', 'HEAD'], env)).trim();
  if (head !== sandbox.baselineCommit) return `HEAD is ${head}, not the baseline`;
  const status = (await runGit(sandbox.dir, ['status', '--porcelain', '--ignored', '--untracked-files=all'], env))
    .split('\n')
    .filter((line) => line !== '' && line !== '!! node_modules' && line !== `!! ${SEARCH_EXCLUSIONS_FILE}`);
  if (status.length > 0) return `not clean after reset: ${status.slice(0, 3).join('; ')}`;
  return undefined;
}
