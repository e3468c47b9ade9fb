import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { scenarioFileSchema } from './scenario-schema.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';

/** Where editors find the schema; each scenario.yaml names it in a `yaml-language-server` comment. */
export const SCENARIO_JSON_SCHEMA_FILE = path.join(PROJECT_ROOT, 'scenarios', 'scenario.schema.json');

/** The line that points an editor's YAML language server at the schema, first in each scenario.yaml. */
export const SCHEMA_MODELINE = '# yaml-language-server: $schema=../scenario.schema.json';

/**
 * The scenario file's JSON schema, generated from the zod schema (input side: fields with
 * defaults are optional). Draft 7, which editors' YAML language servers understand.
 */
export function buildScenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioFileSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'scenario.schema.json',
    title: 'Scenario',
    description: 'A customization scenario: scenarios/<id>/scenario.yaml, validated by runners/inputs/scenarios/scenario-schema.ts (this file is generated from it).',
  };
}

export function renderScenarioJsonSchema(): string {
  return `${JSON.stringify(buildScenarioJsonSchema(), null, 2)}\n`;
}

/** Regenerates scenarios/scenario.schema.json: `node runners/inputs/scenarios/scenario-json-schema.ts`. */
if (import.meta.main) {
  writeFileSync(SCENARIO_JSON_SCHEMA_FILE, renderScenarioJsonSchema());
  process.stdout.write(`${path.relative(process.cwd(), SCENARIO_JSON_SCHEMA_FILE)}\n`);
}
