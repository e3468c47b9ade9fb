import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { loadConfig, type ResolvedConfig } from '../config/load-config.ts';
import type { ResolvedTarget } from '../domain.ts';
import { UserError } from '../errors.ts';
import { openEventLog } from '../events/event-log.ts';
import { executePlan } from '../execute/execute-plan.ts';
import { prepareRun, required } from '../execute/prepare-run.ts';
import { resolveOpencodeBinary } from '../opencode/opencode-server.ts';
import { createLineProgress } from './progress.ts';
import { writeRunReports, type WrittenReports } from './write-run-reports.ts';

export interface RunCommandOptions {
  config: string;
  scenario?: string[] | undefined;
  target?: string[] | undefined;
  prompt?: string[] | undefined;
  out?: string | undefined;
  endpoint?: string | undefined;
  model?: string | undefined;
  quantization?: string | undefined;
  apiKeyEnv?: string | undefined;
  repeats?: number | undefined;
  concurrency?: number | undefined;
  attemptTimeout?: number | undefined;
  keepSandboxes?: boolean | undefined;
}

export interface RunCommandResult {
  runDir: string;
  reports: WrittenReports;
}

/** `harness run`: load, plan, execute, log, summarise, report. */
export async function runCommand(options: RunCommandOptions, print: (line: string) => void): Promise<RunCommandResult> {
  const config = applyOverrides(await loadConfig(options.config), options);
  const prepared = prepareRun(config, { scenarioIds: options.scenario, targetIds: options.target, promptVariantIds: options.prompt });
  const secretEnv = collectSecrets(config);
  const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const runDir = path.join(config.outputDir, runId);
  mkdirSync(runDir, { recursive: true });
  const log = openEventLog(runDir);
  const startedMs = Date.now();
  try {
    log.append({
      v: 1,
      type: 'run.started',
      at: new Date().toISOString(),
      runId,
      harnessVersion: readHarnessVersion(),
      opencodeVersion: await readOpencodeVersion(),
      configFile: path.relative(process.cwd(), config.file) || config.file,
      scriptedModel: [...prepared.targets.values()].some((target) => target.kind === 'scripted'),
      targets: [...new Set(prepared.specs.map((spec) => spec.targetId))].map((id) => required(prepared.targets, id)),
      scenarios: [...new Set(prepared.specs.map((spec) => spec.scenarioId))].map((id) => {
        const scenario = required(prepared.scenarios, id);
        return { id, title: scenario.title, fixture: scenario.fixture, tags: scenario.tags, turns: scenario.turns.map((turn) => turn.text) };
      }),
      promptVariants: [...prepared.promptVariants.values()].map(({ id, description }) => ({ id, description })),
      renderedPrompts: prepared.renderedPrompts,
      specs: prepared.specs,
    });
    print(`Run ${runId}: ${prepared.specs.length} attempt(s), concurrency ${config.concurrency}, output ${runDir}`);
    await executePlan({
      prepared,
      specs: prepared.specs,
      log,
      sink: createLineProgress(print),
      attemptTimeoutMs: options.attemptTimeout ?? config.attemptTimeoutMs,
      keepSandboxes: options.keepSandboxes ?? false,
      secretEnv,
    });
    log.append({ v: 1, type: 'run.finished', at: new Date().toISOString(), durationMs: Date.now() - startedMs });
  } finally {
    log.close();
  }
  return { runDir, reports: await writeRunReports(runDir) };
}

function applyOverrides(config: ResolvedConfig, options: RunCommandOptions): ResolvedConfig {
  let targets = config.targets;
  if (options.endpoint !== undefined || options.model !== undefined) {
    if (options.endpoint === undefined || options.model === undefined) {
      throw new UserError('CLI_USAGE', '--endpoint and --model go together: e.g. --endpoint http://gpu:8000/v1 --model Qwen/Qwen2.5-Coder-14B-Instruct');
    }
    if (!/^https?:\/\//.test(options.endpoint)) throw new UserError('CLI_USAGE', `--endpoint ${options.endpoint}: must be an http(s) URL ending in /v1`);
    const adHoc: ResolvedTarget = {
      kind: 'openai-compatible',
      id: `adhoc-${options.model.replace(/[^A-Za-z0-9._-]/g, '_')}`,
      model: options.model,
      baseURL: options.endpoint,
      apiKeyEnv: options.apiKeyEnv,
      quantization: options.quantization ?? 'unknown',
      limits: { context: 32768, output: 4096 },
      sampling: { temperature: 0 },
    };
    targets = [adHoc];
  }
  return {
    ...config,
    targets,
    outputDir: options.out === undefined ? config.outputDir : path.resolve(options.out),
    repeats: options.repeats ?? config.repeats,
    concurrency: options.concurrency ?? config.concurrency,
  };
}

/** API keys named by targets, read from the environment and handed to OpenCode only. */
function collectSecrets(config: ResolvedConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const target of config.targets) {
    if (target.kind !== 'openai-compatible' || target.apiKeyEnv === undefined) continue;
    const value = process.env[target.apiKeyEnv];
    if (value === undefined) {
      throw new UserError('CONFIG_INVALID', `${path.basename(config.file)}: target "${target.id}" names apiKeyEnv ${target.apiKeyEnv}, which is not set. Export it, or remove apiKeyEnv for an endpoint without auth.`);
    }
    env[target.apiKeyEnv] = value;
  }
  return env;
}

function readHarnessVersion(): string {
  const file = path.join(import.meta.dirname, '..', '..', 'package.json');
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed ? String(parsed.version) : 'unknown';
}

async function readOpencodeVersion(): Promise<string> {
  const result = await execa(resolveOpencodeBinary(), ['--version'], { reject: false, timeout: 15_000, env: { HOME: '/nonexistent', PATH: '/usr/bin:/bin' }, extendEnv: false });
  return result.exitCode === 0 ? String(result.stdout).trim() : 'unknown';
}
