import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';
import { loadConfig } from '../../inputs/config/load-config.ts';
import { listScenarioIds, loadScenario } from '../../inputs/scenarios/load-scenarios.ts';
import { DIFFICULTIES } from '../../inputs/scenarios/scenario-schema.ts';

/**
 * What is written about the suite outside the scenarios — the README's suite table, the default
 * config's count of attempts — generated from the scenarios, so that adding one leaves nothing
 * stale: `npm run docs:scenarios` rewrites both, and a unit test fails while they differ.
 */
export const REGENERATE_COMMAND = 'npm run docs:scenarios';

export const SUITE_TABLE_START = `<!-- scenario-suite:start — generated from scenarios/ by \`${REGENERATE_COMMAND}\`; edit the scenarios, not this block -->`;
export const SUITE_TABLE_END = '<!-- scenario-suite:end -->';

/** The phrase in harness.config.ts's comment that counts the default run. */
const ATTEMPT_COUNT = /\d+ scenarios? × \d+ targets? = \d+ attempts?/;

type SuiteScenario = Pick<ResolvedScenario, 'id' | 'title' | 'fixture' | 'tags'>;

/** The generated README block: a count per difficulty, then one row per scenario, easiest first. */
export function renderSuiteTable(scenarios: readonly SuiteScenario[]): string {
  const difficultyOf = (scenario: SuiteScenario) => scenario.tags.find((tag) => tag.startsWith('difficulty:'))?.slice('difficulty:'.length) ?? '';
  const rank = (scenario: SuiteScenario) => (DIFFICULTIES as readonly string[]).indexOf(difficultyOf(scenario));
  const sorted = [...scenarios].sort((left, right) => rank(left) - rank(right) || left.id.localeCompare(right.id));
  const fixtures = [...new Set(scenarios.map((scenario) => `\`fixtures/${scenario.fixture}\``))].join(', ');
  const counts = DIFFICULTIES.map((level) => [level, scenarios.filter((scenario) => difficultyOf(scenario) === level).length] as const)
    .filter(([, count]) => count > 0)
    .map(([level, count]) => `${count} ${level}`)
    .join(', ');
  const cell = (text: string) => text.replaceAll('|', '\\|').replace(/\s+/g, ' ');
  return [
    SUITE_TABLE_START,
    `${pluralize(scenarios.length, 'scenario')} over ${fixtures || 'no fixture'}: ${counts || 'none'}.`,
    '',
    '| scenario | difficulty | title | tags |',
    '|---|---|---|---|',
    ...sorted.map((scenario) => `| \`${scenario.id}\` | ${difficultyOf(scenario)} | ${cell(scenario.title)} | ${cell(scenario.tags.filter((tag) => !tag.startsWith('difficulty:')).join(', '))} |`),
    SUITE_TABLE_END,
  ].join('\n');
}

/** The config comment's phrase for this many scenarios and targets. */
export function renderAttemptCount(scenarioCount: number, targetCount: number): string {
  return `${pluralize(scenarioCount, 'scenario')} × ${pluralize(targetCount, 'target')} = ${pluralize(scenarioCount * targetCount, 'attempt')}`;
}

export interface SuiteDocs {
  readme: string;
  config: string;
}

/** The README and config texts with the generated parts replaced; a problem when a marker or the phrase is missing. */
export function updateSuiteDocs(docs: SuiteDocs, scenarios: readonly SuiteScenario[], targetCount: number): { status: 'ok'; docs: SuiteDocs } | { status: 'unmarked'; problem: string } {
  const start = docs.readme.indexOf(SUITE_TABLE_START);
  const end = docs.readme.indexOf(SUITE_TABLE_END);
  if (start < 0 || end < start) return { status: 'unmarked', problem: `README.md: the suite table must sit between the lines ${SUITE_TABLE_START} and ${SUITE_TABLE_END}` };
  if (!ATTEMPT_COUNT.test(docs.config)) return { status: 'unmarked', problem: 'harness.config.ts: its comment must count the default run as "N scenarios × T targets = A attempts"' };
  const readme = `${docs.readme.slice(0, start)}${renderSuiteTable(scenarios)}${docs.readme.slice(end + SUITE_TABLE_END.length)}`;
  const config = docs.config.replace(ATTEMPT_COUNT, renderAttemptCount(scenarios.length, targetCount));
  return { status: 'ok', docs: { readme, config } };
}

/** What differs between the docs and the scenarios, with the command that fixes it; [] when in sync. */
export function findStaleSuiteDocs(docs: SuiteDocs, scenarios: readonly SuiteScenario[], targetCount: number): string[] {
  const updated = updateSuiteDocs(docs, scenarios, targetCount);
  if (updated.status === 'unmarked') return [updated.problem];
  const problems: string[] = [];
  if (updated.docs.readme !== docs.readme) problems.push(`README.md: the suite table does not match scenarios/ (regenerate: ${REGENERATE_COMMAND})`);
  if (updated.docs.config !== docs.config) problems.push(`harness.config.ts: the comment's count of attempts does not match scenarios/ and the targets (regenerate: ${REGENERATE_COMMAND})`);
  return problems;
}

export const PROJECT_README = path.join(PROJECT_ROOT, 'README.md');
export const PROJECT_CONFIG = path.join(PROJECT_ROOT, 'harness.config.ts');

/** The project's own docs, scenarios and default targets. */
export async function readProjectSuite(): Promise<{ docs: SuiteDocs; scenarios: ResolvedScenario[]; targetCount: number }> {
  const scenariosDir = path.join(PROJECT_ROOT, 'scenarios');
  const config = await loadConfig(PROJECT_CONFIG);
  return {
    docs: { readme: readFileSync(PROJECT_README, 'utf8'), config: readFileSync(PROJECT_CONFIG, 'utf8') },
    scenarios: listScenarioIds(scenariosDir).map((id) => loadScenario(scenariosDir, id)),
    targetCount: config.targets.length,
  };
}

function pluralize(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `npm run docs:scenarios`: rewrites the README's suite table and the config comment's count. */
if (import.meta.main) {
  const { docs, scenarios, targetCount } = await readProjectSuite();
  const updated = updateSuiteDocs(docs, scenarios, targetCount);
  if (updated.status === 'unmarked') {
    process.stderr.write(`${updated.problem}\n`);
    process.exit(2);
  }
  for (const [file, before, after] of [
    [PROJECT_README, docs.readme, updated.docs.readme],
    [PROJECT_CONFIG, docs.config, updated.docs.config],
  ] as const) {
    if (before !== after) writeFileSync(file, after);
    process.stdout.write(`${path.relative(process.cwd(), file)}: ${before === after ? 'up to date' : 'updated'}\n`);
  }
}
