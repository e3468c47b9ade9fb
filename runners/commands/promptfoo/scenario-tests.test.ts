import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeConfig } from '../../testing/support/harness-cli.ts';
import { useSuiteWorkspace } from '../../testing/support/workspace.ts';
import { listScenarioIds } from '../../inputs/scenarios/load-scenarios.ts';
import generateScenarioTests from './scenario-tests.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';

const PROJECT_SCENARIOS = path.join(PROJECT_ROOT, 'scenarios');

const workspace = useSuiteWorkspace('harness-pf-tests-');
let configs = 0;

/** A config file of its own each time (an imported config module is cached by its path). */
function harnessConfig(body: Record<string, unknown> = {}): string {
  configs += 1;
  return writeConfig(workspace.dir, { targets: [{ kind: 'scripted', id: 'r', model: 'reference' }], ...body }, `harness-${configs}.config.ts`);
}

describe('the scenario test generator', () => {
  it('makes one promptfoo test per scenario folder, described by its id, with vars.scenario', async () => {
    const tests = await generateScenarioTests({ harnessConfig: harnessConfig() });
    expect(tests.map((test) => test.description)).toEqual(listScenarioIds(PROJECT_SCENARIOS));
    expect(tests).toContainEqual(expect.objectContaining({
      description: 'add-stock-widget',
      vars: { scenario: 'add-stock-widget' },
      metadata: expect.objectContaining({ fixture: 'portfolio-dashboard', title: 'Add a stock watchlist widget' }),
    }));
  });

  it('follows the harness config’s scenario list and the generator’s own filters', async () => {
    const restricted = await generateScenarioTests({ harnessConfig: harnessConfig({ scenarios: ['add-stock-widget'] }) });
    expect(restricted.map((test) => test.description)).toEqual(['add-stock-widget']);
    const tagged = await generateScenarioTests({ harnessConfig: harnessConfig(), tags: ['widget'] });
    expect(tagged.map((test) => test.description)).toContain('add-stock-widget');
  });

  it('reports bad options and unknown scenarios with the field and the file', async () => {
    await expect(generateScenarioTests({ harnessConfig: harnessConfig(), scenario: ['x'] })).rejects.toThrow(/scenario-tests.ts\): config Unrecognized key: "scenario"/);
    await expect(generateScenarioTests({ harnessConfig: harnessConfig(), scenarios: ['no-such'] })).rejects.toThrow(/no such scenario "no-such"/);
    await expect(generateScenarioTests({ harnessConfig: '/nonexistent/harness.config.ts' })).rejects.toThrow(/config file not found/);
    await expect(generateScenarioTests({ harnessConfig: harnessConfig(), tags: ['no-such-tag'] })).rejects.toThrow(/no scenario in .* matches/);
  });
});
