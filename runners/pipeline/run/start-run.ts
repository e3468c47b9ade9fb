import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ResolvedConfig } from '../../inputs/config/load-config.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import { UserError } from '../../core/errors.ts';
import { collectKnownSecrets, createRedactor, type Redactor } from '../../core/redact.ts';
import { PASSED_THROUGH_VARIABLES } from '../../attempt/opencode/opencode-env.ts';
import type { Invocation, RunStartedEvent } from '../events/event-types.ts';
import type { RunFingerprints } from '../plan/fingerprints.ts';
import type { Isolation } from '../../core/domain/isolation.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import { required, type PreparedRun } from '../plan/prepare-run.ts';
import { buildRunAgentCatalog } from '../execute/run-agents.ts';
import { describeEffectiveConfigs } from './effective-configs.ts';

/** A sortable, unique run id: the start time plus a few random hex digits. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
}

export interface RunStartedParts {
  prepared: PreparedRun;
  specs: RunSpec[];
  runId: string;
  versions: { opencode: string; harness: string };
  invocation: Invocation;
  configFile: string;
  fingerprints: RunFingerprints;
  isolation: Isolation;
  shard?: RunStartedEvent['shard'];
  adaptive?: RunStartedEvent['adaptive'];
}

/** The first event of every run log: what was planned, from which inputs, with which versions. */
export function buildRunStartedEvent(parts: RunStartedParts): RunStartedEvent {
  const { prepared, specs, versions } = parts;
  return {
    v: 1,
    type: 'run.started',
    at: new Date().toISOString(),
    runId: parts.runId,
    harnessVersion: versions.harness,
    opencodeVersion: versions.opencode,
    configFile: parts.configFile,
    scriptedModel: specs.some((spec) => required(prepared.targets, spec.targetId).kind === 'scripted'),
    targets: [...new Set(specs.map((spec) => spec.targetId))].map((id) => required(prepared.targets, id)),
    scenarios: [...new Set(specs.map((spec) => spec.scenarioId))].map((id) => {
      const scenario = required(prepared.scenarios, id);
      return { id, title: scenario.title, fixture: scenario.fixture, tags: scenario.tags, turns: scenario.turns.map((turn) => turn.text) };
    }),
    promptVariants: [...prepared.promptVariants.values()].map(({ id, description }) => ({ id, description })),
    renderedPrompts: prepared.renderedPrompts,
    renderedInstructions: prepared.renderedInstructions,
    effectiveConfigs: describeEffectiveConfigs(prepared, buildRunAgentCatalog(prepared)),
    specs,
    fingerprints: parts.fingerprints,
    shard: parts.shard,
    invocation: parts.invocation,
    isolation: parts.isolation,
    adaptive: parts.adaptive,
  };
}

/**
 * The run's redactor: every key named by a target, and every host variable the agent's scrubbed
 * environment removes whose name looks secret (see collectKnownSecrets).
 */
export function buildRunRedactor(secretEnv: Readonly<Record<string, string>>, env: Readonly<Record<string, string | undefined>> = process.env): Redactor {
  return createRedactor(collectKnownSecrets({ named: secretEnv, env, passedThrough: PASSED_THROUGH_VARIABLES }));
}

/**
 * The redactor of a run's reports and exports, rebuilt wherever they are written (`harness
 * report` may run later, elsewhere): the keys its targets name, as this environment holds them,
 * and this environment's secret-looking variables.
 */
export function buildReportRedactor(targets: readonly ResolvedTarget[], env: Readonly<Record<string, string | undefined>> = process.env): Redactor {
  const named: Record<string, string> = {};
  for (const target of targets) {
    if (target.kind !== 'openai-compatible' || target.apiKeyEnv === undefined) continue;
    const value = env[target.apiKeyEnv];
    if (value !== undefined) named[target.apiKeyEnv] = value;
  }
  return buildRunRedactor(named, env);
}

/** API keys named by targets, read from the environment and handed to the model proxy only. */
export function collectSecrets(config: ResolvedConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const target of config.targets) {
    if (target.kind !== 'openai-compatible' || target.apiKeyEnv === undefined) continue;
    const value = process.env[target.apiKeyEnv];
    if (value === undefined) {
      throw new UserError(
        'CONFIG_INVALID',
        `${path.basename(config.file)}: target "${target.id}" names apiKeyEnv ${target.apiKeyEnv}, which is not set. Export it, or remove apiKeyEnv for an endpoint without auth.`,
      );
    }
    env[target.apiKeyEnv] = value;
  }
  return env;
}
