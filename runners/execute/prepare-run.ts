import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../config/load-config.ts';
import type { ResolvedPromptVariant, ResolvedScenario, ResolvedTarget, RunSpec } from '../domain.ts';
import { loadFixture, type LoadedFixture } from '../fixtures/load-fixture.ts';
import { providerIdOf, type AgentSpec } from '../opencode/opencode-config.ts';
import { scenarioToRules } from '../opencode/permission-rules.ts';
import { planMcpServers, type McpServerLaunch } from '../mcp-backend/mcp-servers.ts';
import { planRuns, type PlanFilters } from '../plan/plan-runs.ts';
import { loadPromptVariant } from '../prompts/load-prompt-variants.ts';
import { buildPromptVariables, renderPrompt } from '../prompts/render-prompt.ts';
import { listScenarioIds, loadScenario } from '../scenarios/load-scenarios.ts';
import { UserError } from '../errors.ts';

/** Everything a run needs, loaded and validated before anything starts. */
export interface PreparedRun {
  config: ResolvedConfig;
  scenarios: Map<string, ResolvedScenario>;
  fixtures: Map<string, LoadedFixture>;
  targets: Map<string, ResolvedTarget>;
  promptVariants: Map<string, ResolvedPromptVariant>;
  /** Rendered system prompt per `scenario/variant`. */
  renderedPrompts: Record<string, string>;
  /** The OpenCode agent each spec runs with. */
  agentBySpec: Map<string, AgentSpec>;
  agents: AgentSpec[];
  specs: RunSpec[];
  /** MCP servers the planned scenarios ask for, declared in every OpenCode server's config. */
  mcpServers: McpServerLaunch[];
}

/**
 * Loads scenarios, fixtures and prompt variants, renders every prompt and plans the run.
 * All user errors surface here, before a process starts or a file is written.
 */
export function prepareRun(config: ResolvedConfig, filters: PlanFilters): PreparedRun {
  const scenarioIds = config.scenarios ?? listScenarioIds(config.scenariosDir);
  if (scenarioIds.length === 0) {
    throw new UserError('SCENARIO_NOT_FOUND', `${config.scenariosDir}: no scenarios found (each is a folder with a scenario.yaml)`);
  }
  const scenarios = new Map(scenarioIds.map((id) => [id, loadScenario(config.scenariosDir, id)]));
  const fixtures = new Map<string, LoadedFixture>();
  for (const scenario of scenarios.values()) {
    if (!fixtures.has(scenario.fixture)) fixtures.set(scenario.fixture, loadFixture(config.fixturesDir, scenario.fixture, `${scenario.file}: fixture`));
  }
  const promptVariants = new Map(config.promptVariants.map((id) => [id, loadPromptVariant(config.promptsDir, id)]));
  const targets = new Map(config.targets.map((target) => [target.id, target]));
  const specs = planRuns(
    { scenarios: [...scenarios.values()], targets: config.targets, promptVariants: [...promptVariants.values()], repeats: config.repeats },
    filters,
  );
  const renderedPrompts: Record<string, string> = {};
  const agents = new Map<string, AgentSpec>();
  const agentBySpec = new Map<string, AgentSpec>();
  for (const spec of specs) {
    const scenario = required(scenarios, spec.scenarioId);
    const variant = required(promptVariants, spec.promptVariantId);
    const target = required(targets, spec.targetId);
    const key = `${scenario.id}/${variant.id}`;
    const prompt = (renderedPrompts[key] ??= renderPrompt(variant, buildPromptVariables(scenario, required(fixtures, scenario.fixture))));
    const rules = scenarioToRules(scenario);
    const name = `eval-${hash([prompt, providerIdOf(target), rules, target.sampling])}`;
    const agent = agents.get(name) ?? { name, prompt, target, rules, steps: config.maxStepsPerTurn };
    agents.set(name, agent);
    agentBySpec.set(spec.id, agent);
  }
  const plannedScenarios = [...new Set(specs.map((spec) => spec.scenarioId))].map((id) => required(scenarios, id));
  const mcpUsers = plannedScenarios.map((scenario) => ({ ...scenario, fixtureDir: required(fixtures, scenario.fixture).dir }));
  const mcpServers = planMcpServers(mcpUsers, process.execPath);
  return { config, scenarios, fixtures, targets, promptVariants, renderedPrompts, agentBySpec, agents: [...agents.values()], specs, mcpServers };
}

export function required<V>(map: ReadonlyMap<string, V>, key: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`internal: "${key}" missing from a prepared map`);
  return value;
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 10);
}
