import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../pipeline/summary/summary-types.ts';
import { RUN_HOOK_TIMEOUT_MS, onlyRunDir, readSummary, runCli, writeConfig } from '../support/harness-cli.ts';
import { useSuiteWorkspace } from '../support/workspace.ts';

/** Per spec: outcome and each check's status — what a re-check from cassettes must reproduce. */
function verdictsOf(summary: RunSummary): unknown {
  return summary.specs
    .map(({ spec, outcome, attempts }) => ({
      cell: `${spec.scenarioId}/${spec.targetId}/${spec.repeatIndex}`,
      outcome: outcome.kind === 'failed' ? outcome.failedChecks : outcome.kind,
      checks: attempts.at(-1)?.checks.map((check) => `${check.check}:${check.status}`),
      changedFiles: attempts.at(-1)?.changedFiles,
    }))
    .sort((a, b) => a.cell.localeCompare(b.cell));
}

const PROFILES = [
  { id: 'ref', model: 'reference' },
  { id: 'typeerr', model: 'type-error' },
];

describe('harness run --record, then a replay target', () => {
  const workspace = useSuiteWorkspace('harness-e2e-record-');
  let recorded: RunSummary;
  let cassettesDir: string;

  /** A folder of its own in the workspace, for a second config and its runs. */
  function subfolder(name: string): string {
    const dir = path.join(workspace.dir, name);
    mkdirSync(dir);
    return dir;
  }

  beforeAll(async () => {
    const workDir = workspace.dir;
    const config = writeConfig(workDir, {
      outputDir: path.join(workDir, 'recorded'),
      scenarios: ['add-stock-widget'],
      concurrency: 2,
      targets: PROFILES.map(({ id, model }) => ({ kind: 'scripted', id, model })),
    });
    const cli = await runCli(['run', '--config', config, '--record'], workspace);
    expect(cli.exitCode, cli.stderr).toBe(1);
    const runDir = onlyRunDir(path.join(workspace.dir, 'recorded'));
    recorded = readSummary(runDir);
    cassettesDir = path.join(runDir, 'cassettes');
  }, RUN_HOOK_TIMEOUT_MS);

  it('stores one cassette per attempt', () => {
    expect(existsSync(cassettesDir)).toBe(true);
    const cassettes = readdirSync(cassettesDir).filter((name) => name.endsWith('.jsonl'));
    // An attempt retried after an infra error (an OpenCode server that would not start, on a
    // loaded machine) may never have reached the model; every other attempt has its cassette.
    const answered = recorded.specs.flatMap((spec) => spec.attempts.filter((attempt) => attempt.outcome.kind !== 'infra-error').map((attempt) => `${attempt.attemptId}.jsonl`));
    const all = recorded.specs.flatMap((spec) => spec.attempts.map((attempt) => `${attempt.attemptId}.jsonl`));
    expect(answered).toHaveLength(PROFILES.length);
    expect(cassettes).toEqual(expect.arrayContaining(answered));
    for (const cassette of cassettes) expect(all).toContain(cassette);
  });

  it('replays to the same outcomes and check results, without the model', async () => {
    const dir = subfolder('replay');
    const config = writeConfig(dir, {
      scenarios: ['add-stock-widget'],
      concurrency: 2,
      targets: PROFILES.map(({ id, model }) => ({ kind: 'replay', id, model, cassettesDir })),
    });
    const cli = await runCli(['run', '--config', config], workspace);
    expect(cli.exitCode, cli.stderr).toBe(1);
    const replayed = readSummary(onlyRunDir(path.join(dir, 'runs')));
    expect(verdictsOf(replayed)).toEqual(verdictsOf(recorded));
  });

  it('reports a request that does not match the cassette as a replay miss: an infra error, never answered', async () => {
    const dir = subfolder('miss');
    const config = writeConfig(dir, {
      scenarios: ['add-stock-widget'],
      concurrency: 1,
      infraRetries: 0,
      targets: [{ kind: 'replay', id: 'ref', model: 'reference', cassettesDir, sampling: { temperature: 0.7 } }],
    });
    const cli = await runCli(['run', '--config', config], workspace);
    expect(cli.exitCode, cli.stderr).toBe(1);
    const summary = readSummary(onlyRunDir(path.join(dir, 'runs')));
    const outcome = summary.specs[0]?.outcome;
    expect(outcome).toMatchObject({ kind: 'infra-error' });
    expect(JSON.stringify(outcome)).toMatch(/replay miss/i);
  });
});
