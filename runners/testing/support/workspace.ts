import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { stopWorkspaceProcesses } from './processes.ts';

/**
 * A test's own folder under the system's temporary folder, removed when the test (or suite) is
 * done. `tmp` is the TMPDIR the test gives what it starts: the harness puts its run folder,
 * workers, OpenCode homes and sandboxes there, so the test can tell its processes and files from
 * everyone else's (see processes.ts). Set HARNESS_KEEP_FAILED_WORKSPACES=1 to keep the folder of
 * a test that failed; its path is printed. Whatever still runs in a workspace (a harness run
 * outliving a timed-out test) is killed before the workspace goes.
 */
export interface Workspace {
  /** The test's folder: config, runs, anything it writes. */
  readonly dir: string;
  /** The TMPDIR for what the test starts (inside `dir`). */
  readonly tmp: string;
  /** `{ TMPDIR: tmp }`, to pass to a child's environment. */
  readonly env: Readonly<Record<string, string>>;
}

const KEEP_FAILED = process.env.HARNESS_KEEP_FAILED_WORKSPACES === '1';

/** A workspace the caller removes with `removeWorkspace`; prefer `useWorkspace` or `useSuiteWorkspace`. */
export function createWorkspace(prefix: string): Workspace {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp);
  return { dir, tmp, env: { TMPDIR: tmp } };
}

export function removeWorkspace(workspace: Workspace): void {
  rmSync(workspace.dir, { recursive: true, force: true, maxRetries: 3 });
}

/** A workspace for the running test, removed when it finishes (kept on failure if asked). */
export function useWorkspace(prefix: string): Workspace {
  const workspace = createWorkspace(prefix);
  onTestFinished(({ task }) => settle(workspace, task.result?.state === 'fail'));
  return workspace;
}

/**
 * A workspace for every test of the enclosing `describe` (or file): created before the first
 * test, removed after the last. Its fields can be read once the suite's `beforeAll` hooks run.
 */
export function useSuiteWorkspace(prefix: string): Workspace {
  let current: Workspace | undefined;
  const required = (): Workspace => {
    if (current === undefined) throw new Error(`the ${prefix} workspace exists only while its suite runs`);
    return current;
  };
  beforeAll(() => {
    current = createWorkspace(prefix);
  });
  // vitest reads a hook's first parameter as the fixtures it uses (an object pattern); the suite comes second.
  // eslint-disable-next-line no-empty-pattern
  afterAll(({}, suite) => {
    if (current !== undefined) settle(current, hasFailure(suite));
    current = undefined;
  });
  return {
    get dir() {
      return required().dir;
    },
    get tmp() {
      return required().tmp;
    },
    get env() {
      return required().env;
    },
  };
}

/** Stops what the test left running in the workspace, then removes it (or keeps it, when it failed and that was asked for). */
function settle(workspace: Workspace, failed: boolean): void {
  stopWorkspaceProcesses(workspace);
  if (failed && KEEP_FAILED) {
    process.stderr.write(`kept the workspace of a failed test: ${workspace.dir}\n`);
    return;
  }
  removeWorkspace(workspace);
}

interface TaskLike {
  result?: { state?: string } | undefined;
  tasks?: readonly TaskLike[] | undefined;
}

function hasFailure(task: TaskLike): boolean {
  return task.result?.state === 'fail' || (task.tasks ?? []).some(hasFailure);
}
