import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import { useWorkspace, type Workspace } from '../../testing/support/workspace.ts';
import { runGit } from './git.ts';
import { acquireSandbox } from './reset-sandbox.ts';

function gitEnv(workspace: Workspace): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workspace.dir, GIT_CONFIG_NOSYSTEM: '1' };
}

/** A tiny fixture in the test's workspace, and the folder its sandboxes go to. */
function setUp(): { fixture: LoadedFixture; root: string; env: Record<string, string> } {
  const workspace = useWorkspace('reset-sandbox-');
  return { fixture: makeFixture(path.join(workspace.dir, 'fixture')), root: path.join(workspace.dir, 'sandboxes', 'w0'), env: gitEnv(workspace) };
}

function makeFixture(dir: string): LoadedFixture {
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(dir, '.gitignore'), 'dist\n');
  writeFileSync(path.join(dir, 'node_modules', 'dep', 'index.js'), '');
  return { name: 'tiny', dir, description: '', commands: { typecheck: ['x'], lint: ['x'], tests: ['x'] }, exclude: ['node_modules'] };
}

describe('acquireSandbox', () => {
  it('resets a used sandbox to exactly the baseline, keeping the linked node_modules', async () => {
    const { fixture, root, env } = setUp();
    const first = await acquireSandbox(undefined, fixture, root, env);
    expect(first.kind).toBe('created');
    const { sandbox } = first;
    writeFileSync(path.join(sandbox.dir, 'src', 'a.ts'), 'changed');
    writeFileSync(path.join(sandbox.dir, 'src', 'new.ts'), 'new');
    mkdirSync(path.join(sandbox.dir, 'dist'));
    writeFileSync(path.join(sandbox.dir, 'dist', 'ignored.js'), 'ignored');
    rmSync(path.join(sandbox.dir, '.gitignore'));
    writeFileSync(path.join(sandbox.attemptDir, 'escaped.txt'), 'outside');
    await runGit(sandbox.dir, ['add', '--all'], env);
    await runGit(sandbox.dir, ['-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-qm', 'agent commit'], env);

    const second = await acquireSandbox(sandbox, fixture, root, env);
    expect(second.kind).toBe('reset');
    expect(readFileSync(path.join(sandbox.dir, 'src', 'a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(existsSync(path.join(sandbox.dir, 'src', 'new.ts'))).toBe(false);
    expect(existsSync(path.join(sandbox.dir, 'dist'))).toBe(false);
    expect(existsSync(path.join(sandbox.dir, '.gitignore'))).toBe(true);
    expect(existsSync(path.join(sandbox.attemptDir, 'escaped.txt'))).toBe(false);
    expect(existsSync(path.join(sandbox.dir, 'node_modules', 'dep', 'index.js'))).toBe(true);
    expect((await runGit(sandbox.dir, ['rev-parse', 'HEAD'], env)).trim()).toBe(sandbox.baselineCommit);
  });

  it('builds a new sandbox when the old one cannot be reset', async () => {
    const { fixture, root, env } = setUp();
    const { sandbox } = await acquireSandbox(undefined, fixture, root, env);
    rmSync(path.join(sandbox.dir, '.git'), { recursive: true, force: true });
    const again = await acquireSandbox(sandbox, fixture, root, env);
    expect(again.kind).toBe('created');
    if (again.kind === 'created') expect(again.reason).toMatch(/reset failed/);
    expect(readFileSync(path.join(again.sandbox.dir, 'src', 'a.ts'), 'utf8')).toBe('export const a = 1;\n');
  });
});

describe('git in a sandbox', () => {
  it('never reaches a parent repository when the sandbox lost its .git', async () => {
    const workspace = useWorkspace('parent-repo-');
    const parent = workspace.dir;
    const env = gitEnv(workspace);
    await runGit(parent, ['init', '-q'], env);
    const child = path.join(parent, 'sandboxes', 'repo');
    mkdirSync(child, { recursive: true });
    await expect(runGit(child, ['status', '--porcelain'], env)).rejects.toThrow(/not a git repository/);
  });
});
