import type { ResolvedConfig } from '../../inputs/config/load-config.ts';
import type { ResolvedPromptVariant, ResolvedTarget } from '../../core/domain/target.ts';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { loadFixture, type LoadedFixture } from '../../inputs/fixtures/load-fixture.ts';
import { planMcpServers, type McpServerLaunch } from '../../inputs/mcp/mcp-servers.ts';
import { planRuns, type PlanFilters } from './plan-runs.ts';
import { loadPromptVariant } from '../../inputs/prompts/load-prompt-variants.ts';
import { buildPromptVariables, renderInstructions, renderPrompt } from '../../inputs/prompts/render-prompt.ts';
import { listTurnAgents } from '../../core/domain/variant.ts';
import { listScenarioIds, loadScenario } from '../../inputs/scenarios/load-scenarios.ts';
import { UserError } from '../../core/errors.ts';

/** Everything a run needs, loaded and validated before anything starts. */
export interface PreparedRun {
  config: ResolvedConfig;
  scenarios: Map<string, ResolvedScenario>;
  fixtures: Map<string, LoadedFixture>;
  targets: Map<string, ResolvedTarget>;
  promptVariants: Map<string, ResolvedPromptVariant>;
  /** Rendered prompt of the variant's agent per `scenario/variant`; absent where the variant keeps OpenCode's own prompt. */
  renderedPrompts: Record<string, string>;
  /** Rendered AGENTS.md per `scenario/variant`, for variants that have one. */
  renderedInstructions: Record<string, string>;
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
  const renderedInstructions: Record<string, string> = {};
  for (const spec of specs) {
    const key = renderedPromptKey(spec);
    if (key in renderedPrompts || key in renderedInstructions) continue;
    const scenario = required(scenarios, spec.scenarioId);
    const variant = required(promptVariants, spec.promptVariantId);
    requireKnownTurnAgents(scenario, variant);
    const variables = buildPromptVariables(scenario, required(fixtures, scenario.fixture));
    const prompt = renderPrompt(variant, variables);
    const instructions = renderInstructions(variant, variables);
    if (prompt !== undefined) renderedPrompts[key] = prompt;
    if (instructions !== undefined) renderedInstructions[key] = instructions;
  }
  const plannedScenarios = [...new Set(specs.map((spec) => spec.scenarioId))].map((id) => required(scenarios, id));
  const mcpUsers = plannedScenarios.map((scenario) => ({ ...scenario, fixtureDir: required(fixtures, scenario.fixture).dir }));
  const mcpServers = planMcpServers(mcpUsers, process.execPath);
  return { config, scenarios, fixtures, targets, promptVariants, renderedPrompts, renderedInstructions, specs, mcpServers };
}

/** Every turn must name an agent the variant has: build, plan, or one of its primary agents. */
function requireKnownTurnAgents(scenario: ResolvedScenario, variant: ResolvedPromptVariant): void {
  const known = listTurnAgents(variant);
  scenario.turns.forEach((turn, index) => {
    if (known.includes(turn.agent)) return;
    throw new UserError(
      'SCENARIO_INVALID',
      `${scenario.file}: turns[${index}].agent "${turn.agent}" is not an agent of prompt variant "${variant.id}" (known: ${known.join(', ')}); name one of those, or define it in ${variant.dir}/opencode.json under agent.${turn.agent} with "mode": "primary"`,
      { file: scenario.file },
    );
  });
}

export function required<V>(map: ReadonlyMap<string, V>, key: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`internal: "${key}" missing from a prepared map`);
  return value;
}

/** A planned spec's rendered prompt; undefined where its variant keeps OpenCode's own prompt. */
export function renderedPromptOf(prepared: Pick<PreparedRun, 'renderedPrompts'>, spec: Pick<RunSpec, 'scenarioId' | 'promptVariantId'>): string | undefined {
  return prepared.renderedPrompts[renderedPromptKey(spec)];
}

/** A planned spec's rendered AGENTS.md, if its variant has one. */
export function renderedInstructionsOf(prepared: Pick<PreparedRun, 'renderedInstructions'>, spec: Pick<RunSpec, 'scenarioId' | 'promptVariantId'>): string | undefined {
  return prepared.renderedInstructions[renderedPromptKey(spec)];
}

/** The key of a spec's rendered system prompt in `renderedPrompts`: `scenario/variant`. */
export function renderedPromptKey(spec: Pick<RunSpec, 'scenarioId' | 'promptVariantId'>): string {
  return `${spec.scenarioId}/${spec.promptVariantId}`;
}
