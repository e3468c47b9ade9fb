import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { CASSETTES_DIR } from '../../endpoints/replay/run-recording.ts';
import { NETWORK_TARGETS } from '../../endpoints/scripted-model/profiles/containment-profiles.ts';
import { isInside } from '../../platform/confinement/confinement.ts';
import type { PreparedRun } from '../plan/prepare-run.ts';
import { maskedPathsOf } from './masked-paths.ts';

/** Only what maskedPathsOf reads of a prepared run. */
function preparedRun(rootDir: string): PreparedRun {
  return {
    config: { rootDir, outputDir: path.join(rootDir, 'runs') },
    scenarios: new Map([['s', { dir: path.join(rootDir, 'scenarios', 's'), hiddenTestsDir: '/elsewhere/hidden', referenceDir: path.join(rootDir, 'scenarios', 's', 'reference') }]]),
    targets: new Map([['r', { kind: 'replay', cassettesDir: 'old-run/cassettes' }]]),
    fixtures: new Map([['portfolio-dashboard', { dir: path.join(PROJECT_ROOT, 'fixtures', 'portfolio-dashboard') }]]),
  } as unknown as PreparedRun;
}

describe('what the agent finds empty', () => {
  const masked = maskedPathsOf({ prepared: preparedRun('/srv/evals'), runDir: '/srv/evals/runs/r1', tempDir: '/tmp/harness-x' });

  it('hides the harness’s own code and data — the MCP backend under runners/, reports/, its scenarios and git history', () => {
    expect(masked).toEqual(expect.arrayContaining([path.join(PROJECT_ROOT, 'runners'), path.join(PROJECT_ROOT, 'reports'), path.join(PROJECT_ROOT, 'scenarios')]));
    expect(masked.some((dir) => dir.endsWith('.git'))).toBe(true);
  });

  it('hides every scenario’s folder and hidden tests, the output and run folders, the cassettes and the run’s temporary folder', () => {
    expect(masked).toEqual(expect.arrayContaining(['/srv/evals/scenarios/s', '/elsewhere/hidden', '/srv/evals/runs', '/srv/evals/runs/r1', '/srv/evals/old-run/cassettes', '/tmp/harness-x']));
  });

  it('keeps what the agent and the checks work from: the dependencies and the fixtures', () => {
    expect(masked).not.toContain(path.join(PROJECT_ROOT, 'node_modules'));
    expect(masked).not.toContain(path.join(PROJECT_ROOT, 'fixtures'));
    expect(masked.some((dir) => path.join(PROJECT_ROOT, 'fixtures', 'portfolio-dashboard').startsWith(`${dir}/`))).toBe(false);
  });

  it('hides the host user’s home unless the project lives there', () => {
    const inHome = path.relative(os.homedir(), PROJECT_ROOT).startsWith('..') === false;
    expect(masked.includes(os.homedir())).toBe(!inHome);
  });
});

describe('the harness’s own data, each hidden by a mask of its own', () => {
  // The run folder lies outside the output folder (a run resumed from elsewhere), so that neither
  // mask stands in for the other: dropping either one leaves a folder below uncovered.
  const runDir = '/srv/elsewhere/r1';
  const masked = maskedPathsOf({ prepared: preparedRun('/srv/evals'), runDir, tempDir: '/tmp/harness-x' });
  const hidden = (dir: string) => masked.some((mask) => isInside(mask, dir));

  it('the MCP backend’s data folder (what only the backend knows, under runners/)', () => {
    const backendDataDir = path.dirname(NETWORK_TARGETS.backendData);
    expect(existsSync(NETWORK_TARGETS.backendData), 'the backend’s data moved: point NETWORK_TARGETS.backendData at it').toBe(true);
    expect(hidden(backendDataDir), backendDataDir).toBe(true);
  });

  it('the run’s own cassettes folder (--record writes it under the run folder)', () => {
    const cassettes = path.join(runDir, CASSETTES_DIR);
    expect(hidden(cassettes), cassettes).toBe(true);
  });

  it('other runs’ folders under the output folder', () => {
    const otherRun = '/srv/evals/runs/2024-01-01T00-00-00-other';
    expect(hidden(otherRun), otherRun).toBe(true);
    expect(hidden(path.join(otherRun, CASSETTES_DIR))).toBe(true);
  });
});
