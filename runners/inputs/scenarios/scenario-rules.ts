import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedScenario } from '../../core/domain/scenario.ts';

/**
 * Rules `harness validate` checks beyond the schema: those that need the file's text or the
 * other scenarios. An `error` makes the scenario invalid; a `warning` is printed.
 */
export interface ScenarioFinding {
  level: 'error' | 'warning';
  /** The field it is about, e.g. `turns[0].text`, or `(line 1)`. */
  field: string;
  message: string;
}

/** What an editor's YAML language server reads on line 1 to find the schema. */
const MODELINE = /^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$/;

/** The marker `harness new-scenario` leaves where the author still has to decide. */
export const PLACEHOLDER_MARKER = 'TODO';

type RuleInput = Pick<ResolvedScenario, 'id' | 'file' | 'turns' | 'answers' | 'policy'>;

export function checkScenarioRules(scenario: RuleInput, others: readonly RuleInput[]): ScenarioFinding[] {
  const text = readFileSync(scenario.file, 'utf8');
  return [...checkModeline(scenario.file, text), ...checkPlaceholders(text), ...checkFirstTurn(scenario, others), ...checkAnswersUsable(scenario)];
}

/** Line 1 names the JSON schema, so that editors complete and check the file. */
export function checkModeline(file: string, text: string): ScenarioFinding[] {
  const firstLine = text.split('\n')[0] ?? '';
  const schema = MODELINE.exec(firstLine)?.[1];
  const fix = `make line 1 \`# yaml-language-server: $schema=<path of scenarios/scenario.schema.json relative to this file>\` (\`harness new-scenario\` writes it), so that editors complete and check the file`;
  if (schema === undefined) return [{ level: 'warning', field: '(line 1)', message: `does not name the JSON schema; ${fix}` }];
  if (/^[a-z]+:\/\//i.test(schema) || existsSync(path.resolve(path.dirname(file), schema))) return [];
  return [{ level: 'warning', field: '(line 1)', message: `names the JSON schema at ${schema}, which does not exist; ${fix}` }];
}

/** Placeholders from `harness new-scenario` still in the file (comments aside). */
export function checkPlaceholders(text: string): ScenarioFinding[] {
  const lines = text.split('\n').flatMap((line, index) => (line.includes(PLACEHOLDER_MARKER) && !/^\s*#/.test(line) ? [index + 1] : []));
  if (lines.length === 0) return [];
  return [{ level: 'warning', field: '(file)', message: `still has ${PLACEHOLDER_MARKER} placeholders (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}); replace them with the scenario's own text` }];
}

/** The scripted model recognises a scenario by its first user turn: two equal ones cannot be told apart. */
export function checkFirstTurn(scenario: RuleInput, others: readonly RuleInput[]): ScenarioFinding[] {
  const first = normalize(scenario.turns[0]?.text ?? '');
  const twins = others.filter((other) => other.id !== scenario.id && normalize(other.turns[0]?.text ?? '') === first).map((other) => other.id);
  if (twins.length === 0) return [];
  return [
    {
      level: 'error',
      field: 'turns[0].text',
      message: `is the same request as the first turn of ${twins.join(', ')}; the scripted model recognises a scenario by its first turn, so make this request differ`,
    },
  ];
}

/** Scripted answers that can never be used. */
export function checkAnswersUsable(scenario: RuleInput): ScenarioFinding[] {
  if (scenario.policy.question !== 'deny' || scenario.answers.length === 0) return [];
  return [{ level: 'warning', field: 'answers', message: 'are never used: policy.question is deny, so the agent cannot ask; remove them or allow questions' }];
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
