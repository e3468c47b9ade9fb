import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { isInside } from '../../platform/confinement/confinement.ts';
import type { PreparedRun } from '../plan/prepare-run.ts';

/** What the confinement needs beyond the prepared run to know what to hide. */
export interface MaskInputs {
  prepared: PreparedRun;
  /** This run's folder (events, reports, cassettes). */
  runDir: string;
  /** The run's temporary folder: other workers' roots, the harness's sockets. */
  tempDir: string;
}

/** What the agent and the checks need from the harness's own folder: OpenCode and the tools, and the fixtures' dependencies. */
const PROJECT_ENTRIES_KEPT = new Set(['node_modules', 'fixtures']);

/**
 * What the agent must never see, even read-only:
 * - every scenario's folder (its scripted answers, hidden tests, reference solution and
 *   counterexamples), wherever it lives;
 * - the harness's own folder but its dependencies and fixtures: its code (`runners/`, `reports/`,
 *   the MCP backend and its data), its git history (which holds every hidden test), prompts, and
 *   any run folder kept there;
 * - the config's output folder and this run's folder (other runs, this run's log and cassettes),
 *   and the cassettes replay targets read;
 * - the config's git history;
 * - the run's temporary folder (other workers' homes and sandboxes, the harness's sockets; each
 *   worker's own folder is bound back writable);
 * - the host user's home (unless the project itself lives there).
 */
export function maskedPathsOf(inputs: MaskInputs): string[] {
  const { prepared } = inputs;
  const scenarioPaths = [...prepared.scenarios.values()].flatMap((scenario) => [
    scenario.dir,
    ...[scenario.hiddenTestsDir, scenario.referenceDir].filter((dir) => !isInside(scenario.dir, dir)),
  ]);
  const cassettes = [...prepared.targets.values()].flatMap((target) => (target.kind === 'replay' ? [path.resolve(prepared.config.rootDir, target.cassettesDir)] : []));
  const harness = listDirectories(PROJECT_ROOT).filter((dir) => !PROJECT_ENTRIES_KEPT.has(path.basename(dir)));
  const gitDirs = [...new Set([PROJECT_ROOT, prepared.config.rootDir].flatMap(gitDirsOf))];
  const home = os.homedir();
  const projectInHome = isInside(home, prepared.config.rootDir) || isInside(home, PROJECT_ROOT) || [...prepared.fixtures.values()].some((fixture) => isInside(home, fixture.dir));
  const fixtureDirs = [...prepared.fixtures.values()].map((fixture) => fixture.dir);
  const masked = [...scenarioPaths, ...harness, ...gitDirs, prepared.config.outputDir, inputs.runDir, ...cassettes, inputs.tempDir, ...(projectInHome ? [] : [home])];
  // A mask must not hide what the agent works from: a fixture, or the project's dependencies.
  return [...new Set(masked.map((dir) => path.resolve(dir)))].filter((dir) => !fixtureDirs.some((fixture) => isInside(dir, fixture)));
}

function listDirectories(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(root, entry.name));
  } catch {
    return [];
  }
}

/** A repository's git folder, and for a worktree (`.git` a file) the common folder it points into. */
function gitDirsOf(root: string): string[] {
  const dotGit = path.join(root, '.git');
  if (!existsSync(dotGit)) return [];
  if (statSync(dotGit).isDirectory()) return [dotGit];
  const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
  if (pointer === undefined) return [];
  const worktreeGitDir = path.resolve(root, pointer);
  const common = path.resolve(worktreeGitDir, '..', '..');
  return [path.basename(path.dirname(worktreeGitDir)) === 'worktrees' ? common : worktreeGitDir];
}
