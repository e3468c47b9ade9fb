import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptedTarget, writeConfig } from '../../testing/support/harness-cli.ts';
import { useWorkspace } from '../../testing/support/workspace.ts';
import { runAttempts } from './run-attempts.ts';

/** Bad input stops runAttempts before it writes a run folder or starts a process. (Runs themselves: promptfoo.e2e.test.ts.) */
describe('runAttempts: bad input', () => {
  function setUp() {
    const { dir } = useWorkspace('harness-api-');
    const configFile = writeConfig(dir, { targets: [scriptedTarget('reference')] });
    return { configFile, runsDir: path.join(dir, 'runs') };
  }

  it('names an unknown target and the known ones, and writes nothing', async () => {
    const { configFile, runsDir } = setUp();
    const request = { configFile, scenarioIds: ['add-stock-widget'], targetIds: ['scripted-nope'], promptVariantIds: ['default'] };
    await expect(runAttempts(request)).rejects.toThrow('unknown target "scripted-nope" in the filter; known: scripted-reference');
    expect(existsSync(runsDir)).toBe(false);
  });

  it('names an unknown scenario', async () => {
    const { configFile } = setUp();
    const request = { configFile, scenarioIds: ['no-such-scenario'], targetIds: ['scripted-reference'], promptVariantIds: ['default'] };
    await expect(runAttempts(request)).rejects.toThrow(/no-such-scenario/);
  });

  it('refuses a repeat index that is not a whole number from 0', async () => {
    const { configFile, runsDir } = setUp();
    const request = { configFile, scenarioIds: ['add-stock-widget'], targetIds: ['scripted-reference'], promptVariantIds: ['default'], repeatIndexes: [-1] };
    await expect(runAttempts(request)).rejects.toThrow('repeat index -1 must be a whole number from 0 to 999');
    expect(existsSync(runsDir)).toBe(false);
  });
});
