import path from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ApiProvider, CallApiContextParams, ProviderOptions, ProviderResponse } from 'promptfoo';
import { runAttempts, type RunAttemptsRequest, type RunAttemptsResult } from '../api/run-attempts.ts';
import { loadConfig } from '../../inputs/config/load-config.ts';
import { isUserError } from '../../core/errors.ts';
import { checkNodeVersion, parseProviderConfig, type HarnessProviderConfig } from './provider-config.ts';
import { toProviderResponse } from './provider-response.ts';
import { neutralizeControlCharacters } from './safe-text.ts';
import { sessionBudgetOf } from '../../inputs/config/concurrency.ts';

/** What the provider needs from the harness; tests pass their own. */
export interface HarnessProviderDependencies {
  runAttempts: (request: RunAttemptsRequest) => Promise<RunAttemptsResult>;
  /** How many attempts may run at once for a harness config (its `concurrency`). */
  readConcurrency: (configFile: string) => Promise<number>;
}

const DEFAULT_DEPENDENCIES: HarnessProviderDependencies = {
  runAttempts,
  readConcurrency: async (configFile) => sessionBudgetOf(await loadConfig(configFile)),
};

/**
 * Attempts at once per harness config, shared by every provider in the promptfoo process:
 * promptfoo's own concurrency (4 by default) would otherwise start that many OpenCode servers.
 */
const limiters = new Map<string, Promise<LimitFunction>>();

/**
 * A promptfoo provider that runs one scenario attempt through the harness per call: a fresh
 * sandbox, an OpenCode session against the configured target with the chosen prompt variant,
 * and the harness checks. The test's `vars.scenario` names the scenario; promptfoo's repeat
 * index becomes the harness repeat index, and every call is a new, independent attempt.
 *
 *   providers:
 *     - id: file://runners/promptfoo/harness-provider.ts
 *       label: scripted-reference/default
 *       config: { target: scripted-reference, promptVariant: default }
 */
export default class HarnessProvider implements ApiProvider {
  readonly config: HarnessProviderConfig;
  readonly label: string;
  private readonly dependencies: HarnessProviderDependencies;

  constructor(options: ProviderOptions = {}, dependencies: HarnessProviderDependencies = DEFAULT_DEPENDENCIES) {
    const name = options.label ?? options.id ?? 'harness';
    checkNodeVersion(process.version, name);
    this.config = parseProviderConfig(options.config, name);
    this.label = options.label ?? `${this.config.target}/${this.config.promptVariant}`;
    this.dependencies = dependencies;
  }

  id(): string {
    return `harness:${this.config.target}:${this.config.promptVariant}`;
  }

  async callApi(_prompt: string, context?: CallApiContextParams): Promise<ProviderResponse> {
    const scenario = context?.vars.scenario;
    if (typeof scenario !== 'string' || scenario.trim() === '') {
      return { error: `promptfoo provider "${this.label}": the test's vars.scenario must name a harness scenario (a folder under scenarios/), e.g. vars: { scenario: add-stock-widget }` };
    }
    const configFile = path.resolve(this.config.harnessConfig);
    try {
      const limit = await this.limiterFor(configFile);
      const result = await limit(() =>
        this.dependencies.runAttempts({
          configFile,
          scenarioIds: [scenario],
          targetIds: [this.config.target],
          promptVariantIds: [this.config.promptVariant],
          repeatIndexes: [context?.repeatIndex ?? 0],
          outputDir: this.config.outputDir,
          attemptTimeoutMs: this.config.attemptTimeoutMs,
          keepSandboxes: this.config.keepSandboxes,
        }),
      );
      return this.respond(result);
    } catch (error) {
      if (isUserError(error)) return { error: neutralizeControlCharacters(`promptfoo provider "${this.label}": ${error.message}`) };
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      return { error: neutralizeControlCharacters(`harness bug while running ${scenario} on "${this.label}" (please report it): ${detail}`) };
    }
  }

  toJSON(): unknown {
    return { id: this.id(), label: this.label, config: this.config };
  }

  private respond(result: RunAttemptsResult): ProviderResponse {
    const [spec] = result.specs;
    if (spec === undefined || result.specs.length !== 1) throw new Error(`internal: expected one spec, planned ${result.specs.length}`);
    const attempts = result.attempts.filter((attempt) => attempt.specId === spec.id);
    if (attempts.length === 0) throw new Error(`internal: spec ${spec.id} finished without an attempt (run ${result.runDir})`);
    return toProviderResponse({ runId: result.runId, runDir: result.runDir, spec, attempts });
  }

  private limiterFor(configFile: string): Promise<LimitFunction> {
    let limiter = limiters.get(configFile);
    if (limiter === undefined) {
      limiter = this.dependencies.readConcurrency(configFile).then((concurrency) => pLimit(concurrency));
      limiters.set(configFile, limiter);
      limiter.catch(() => limiters.delete(configFile));
    }
    return limiter;
  }
}
