#!/usr/bin/env node
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CODES, isUserError } from '../../core/errors.ts';
import { listScenarioIds, loadScenario } from '../../inputs/scenarios/load-scenarios.ts';
import { capacityLatency, INSTANT_LATENCY, type LatencyModel } from './engine-scheduler.ts';
import { PROFILE_FAMILIES, PROFILE_NAMES } from './profiles/profile-registry.ts';
import { parseServedModels } from './served-models.ts';
import { DEFAULT_MAX_MODEL_LEN, DEFAULT_TEXT_TOOL_CALL_RATE, startScriptedModelServer, type ScriptedModelServerOptions } from './scripted-model-server.ts';
import { stopWithParent } from './stop-with-parent.ts';

const USAGE = `Usage: scripted-model [options]

Serves the scripted model over vLLM's OpenAI-compatible API (/v1/chat/completions, /v1/models,
/metrics). The served model name picks the profile: ${PROFILE_NAMES.join(', ')}, or ${PROFILE_FAMILIES.join(', ')} (passes with that probability, seeded).

  --host 127.0.0.1 --port 8000 --scenarios scenarios
  --max-model-len ${DEFAULT_MAX_MODEL_LEN}          vLLM's --max-model-len
  --served-model-name NAME[=PROFILE]  serve only these names (repeatable); default every profile
  --without-tool-call-parser          as vLLM without --enable-auto-tool-choice --tool-call-parser
  --ttft-ms 0 --tokens-per-second 0   latency model (0 = instant)
  --max-num-seqs ${INSTANT_LATENCY.maxNumSeqs}                  running requests at once; the rest queue
  --concurrency-slowdown ${INSTANT_LATENCY.concurrencySlowdown}          per extra running stream
  --capacity N                        a batch of N streams at full speed, queueing beyond
                                      (= --max-num-seqs N --concurrency-slowdown 0)
  --text-tool-call-rate ${DEFAULT_TEXT_TOOL_CALL_RATE}          qwen-like: share of tool rounds written as text
  --seed 0                            seed of qwen-like's per-session draws
  --log-requests FILE                 append every request (headers, body) as a JSON line`;

const FLAGS = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8000' },
  scenarios: { type: 'string', default: 'scenarios' },
  'max-model-len': { type: 'string', default: String(DEFAULT_MAX_MODEL_LEN) },
  'served-model-name': { type: 'string', multiple: true },
  'without-tool-call-parser': { type: 'boolean', default: false },
  'ttft-ms': { type: 'string', default: String(INSTANT_LATENCY.ttftMs) },
  'tokens-per-second': { type: 'string', default: String(INSTANT_LATENCY.tokensPerSecond) },
  'max-num-seqs': { type: 'string', default: String(INSTANT_LATENCY.maxNumSeqs) },
  'concurrency-slowdown': { type: 'string', default: String(INSTANT_LATENCY.concurrencySlowdown) },
  capacity: { type: 'string' },
  'text-tool-call-rate': { type: 'string', default: String(DEFAULT_TEXT_TOOL_CALL_RATE) },
  seed: { type: 'string', default: '0' },
  'log-requests': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];

async function main(): Promise<void> {
  const flags = readFlags();
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const options = buildOptions(flags);
  const server = await startScriptedModelServer(options);
  console.log(`scripted model listening on ${server.baseURL} (${options.scenarios.length} scenario(s) from ${path.resolve(flags.scenarios)})`);
  console.log(`served models: ${Object.entries(options.servedModels ?? {}).map(([name, profile]) => (name === profile ? name : `${name} (${profile})`)).join(', ') || PROFILE_NAMES.join(', ')}`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(EXIT_CODES.ok));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  // Under `npm run scripted-model`, stopping npm (even with SIGKILL) must not leave the server on its port.
  stopWithParent(stop);
}

function buildOptions(flags: Flags): ScriptedModelServerOptions & { scenarios: unknown[] } {
  const scenariosDir = path.resolve(flags.scenarios);
  const served = parseServedModels(flags['served-model-name'] ?? []);
  if (served.status === 'invalid') return exitWithUsage(served.message);
  const logFile = flags['log-requests'];
  return {
    scenarios: listScenarioIds(scenariosDir).map((id) => loadScenario(scenariosDir, id)),
    host: flags.host,
    port: parseNumber('--port', flags.port, { integer: true }),
    maxModelLen: parseNumber('--max-model-len', flags['max-model-len'], { integer: true }),
    ...(Object.keys(served.servedModels).length > 0 ? { servedModels: served.servedModels } : {}),
    toolCallParser: !flags['without-tool-call-parser'],
    latency: readLatency(flags),
    textToolCallRate: Math.min(1, parseNumber('--text-tool-call-rate', flags['text-tool-call-rate'])),
    seed: parseNumber('--seed', flags.seed, { integer: true }),
    ...(logFile === undefined ? {} : { onRequest: (request) => appendFileSync(logFile, `${JSON.stringify(request)}\n`) }),
  };
}

function readLatency(flags: Flags): LatencyModel {
  const speed = { ttftMs: parseNumber('--ttft-ms', flags['ttft-ms']), tokensPerSecond: parseNumber('--tokens-per-second', flags['tokens-per-second']) };
  if (flags.capacity !== undefined) {
    const capacity = parseNumber('--capacity', flags.capacity, { integer: true });
    if (capacity < 1) return exitWithUsage('--capacity must be at least 1');
    return capacityLatency(capacity, speed);
  }
  return {
    ...speed,
    maxNumSeqs: Math.max(1, parseNumber('--max-num-seqs', flags['max-num-seqs'], { integer: true })),
    concurrencySlowdown: parseNumber('--concurrency-slowdown', flags['concurrency-slowdown']),
  };
}

function readFlags(): Flags {
  try {
    return parseArgs({ options: FLAGS }).values;
  } catch (error) {
    return exitWithUsage(error instanceof Error ? error.message : String(error));
  }
}

function parseNumber(flag: string, value: string, { integer = false } = {}): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || (integer && !Number.isInteger(number))) {
    return exitWithUsage(`${flag} must be a non-negative ${integer ? 'integer' : 'number'}, got "${value}"`);
  }
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
