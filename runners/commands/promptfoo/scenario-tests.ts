import path from 'node:path';
import type { TestCase } from 'promptfoo';
import { z } from 'zod';
import { loadConfig } from '../../inputs/config/load-config.ts';
import { UserError } from '../../core/errors.ts';
import { listScenarioIds, loadScenario } from '../../inputs/scenarios/load-scenarios.ts';

const optionsSchema = z
  .object({
    harnessConfig: z.string().min(1).default('harness.config.ts'),
    /** Only these scenarios (default: the harness config's `scenarios`, else every scenario folder). */
    scenarios: z.array(z.string().min(1)).min(1).optional(),
    /** Only scenarios carrying one of these tags. */
    tags: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

/**
 * A promptfoo test generator: one test per harness scenario, so the promptfoo suite follows the
 * scenario folders. Each test's description is the scenario id (for `--filter-pattern`) and
 * `vars.scenario` tells the harness provider what to run.
 *
 *   tests:
 *     - path: file://runners/promptfoo/scenario-tests.ts
 *       config: { harnessConfig: harness.config.ts }
 */
export default async function generateScenarioTests(options: unknown = {}): Promise<TestCase[]> {
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['config', ...(issue?.path.map(String) ?? [])].join('.');
    throw new UserError('CONFIG_INVALID', `promptfoo tests (scenario-tests.ts): ${field} ${issue?.message ?? 'is invalid'}; expected { harnessConfig?, scenarios?, tags? }`);
  }
  const config = await loadConfig(path.resolve(parsed.data.harnessConfig));
  const ids = parsed.data.scenarios ?? config.scenarios ?? listScenarioIds(config.scenariosDir);
  const wantedTags = parsed.data.tags;
  const tests = ids
    .map((id) => loadScenario(config.scenariosDir, id))
    .filter((scenario) => wantedTags === undefined || scenario.tags.some((tag) => wantedTags.includes(tag)))
    .map((scenario): TestCase => ({
      description: scenario.id,
      vars: { scenario: scenario.id },
      metadata: { title: scenario.title, fixture: scenario.fixture, tags: scenario.tags.join(',') },
    }));
  if (tests.length === 0) {
    throw new UserError('SCENARIO_NOT_FOUND', `promptfoo tests (scenario-tests.ts): no scenario in ${config.scenariosDir} matches ${JSON.stringify(parsed.data)}`);
  }
  return tests;
}
