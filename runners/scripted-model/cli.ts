#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CODES, isUserError } from '../errors.ts';
import { listScenarioIds, loadScenario } from '../scenarios/load-scenarios.ts';
import { PROFILE_NAMES } from './profiles/profile-types.ts';
import { DEFAULT_MAX_MODEL_LEN, startScriptedModelServer } from './server.ts';

const USAGE = `Usage: scripted-model [--host 127.0.0.1] [--port 8000] [--scenarios scenarios] [--max-model-len ${DEFAULT_MAX_MODEL_LEN}]

Serves the scripted model over vLLM's OpenAI-compatible API. The request's "model" picks the
profile: ${PROFILE_NAMES.join(', ')}.`;

const FLAGS = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8000' },
  scenarios: { type: 'string', default: 'scenarios' },
  'max-model-len': { type: 'string', default: String(DEFAULT_MAX_MODEL_LEN) },
  help: { type: 'boolean', default: false },
} as const;

async function main(): Promise<void> {
  const flags = readFlags();
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const port = parseInteger('--port', flags.port);
  const maxModelLen = parseInteger('--max-model-len', flags['max-model-len']);
  const scenariosDir = path.resolve(flags.scenarios);
  const scenarios = listScenarioIds(scenariosDir).map((id) => loadScenario(scenariosDir, id));

  const server = await startScriptedModelServer({ scenarios, host: flags.host, port, maxModelLen });
  console.log(`scripted model listening on ${server.baseURL} (${scenarios.length} scenario(s) from ${scenariosDir})`);
  console.log(`profiles: ${PROFILE_NAMES.join(', ')}`);

  const stop = (): void => {
    void server.close().then(() => process.exit(EXIT_CODES.ok));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function readFlags(): ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'] {
  try {
    return parseArgs({ options: FLAGS }).values;
  } catch (error) {
    return exitWithUsage(error instanceof Error ? error.message : String(error));
  }
}

function parseInteger(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) return exitWithUsage(`${flag} must be a non-negative integer, got "${value}"`);
  return number;
}

function exitWithUsage(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(EXIT_CODES.usage);
}

main().catch((error: unknown) => {
  if (isUserError(error)) {
    console.error(error.message);
    process.exit(EXIT_CODES.usage);
  }
  console.error(error);
  process.exit(EXIT_CODES.internal);
});
