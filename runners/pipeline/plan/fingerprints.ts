import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { normalizeReplicaURL, replicaURLsOf, type EndpointTarget, type ResolvedTarget } from '../../core/domain/target.ts';
import { renderedPromptKey, type PreparedRun } from './prepare-run.ts';

/** Hashes of what a run's results depend on, recorded in `run.started`. */
export interface RunFingerprints {
  /** The resolved config (targets, repeats, variants, limits), without output paths. */
  config: string;
  scenarios: Record<string, string>;
  fixtures: Record<string, string>;
  promptVariants: Record<string, string>;
  opencodeVersion: string;
  /** Per spec: every input its result depends on (for incremental reuse). */
  specInputs: Record<string, string>;
}

export function hashValue(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Content hash of a folder: sorted relative paths and bytes; `exclude` names top-level entries. */
export function hashDirectory(dir: string, exclude: readonly string[] = []): string {
  const hash = createHash('sha256');
  const skip = new Set(exclude);
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .filter((relative) => !skip.has(relative.split(path.sep)[0] ?? ''))
    .sort();
  for (const relative of entries) {
    hash.update(relative).update('\0').update(readFileSync(path.join(dir, relative))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The parts of a target that change results (its id is the cell's name, so it counts too). */
function targetInputs(target: ResolvedTarget): unknown {
  const { id, kind, model, quantization, limits, sampling } = target;
  const served = target.kind === 'openai-compatible' ? servedAt(target) : target.kind === 'replay' ? `replay:${target.cassettesDir}` : 'scripted';
  return { id, kind, model, quantization, limits, sampling, baseURL: served };
}

/** An endpoint's base URL; a replicated one's replicas, sorted (their order changes nothing served). */
function servedAt(target: EndpointTarget): string {
  const replicas = replicaURLsOf(target);
  return replicas.length === 1 ? target.baseURL : replicas.map(normalizeReplicaURL).sort().join(' ');
}

/**
 * Everything a run's results depend on, hashed: resume refuses to continue when any of it
 * changed, and incremental runs reuse a spec's earlier result only when its inputs match.
 */
export function computeFingerprints(prepared: PreparedRun, versions: { opencode: string; harness: string }): RunFingerprints {
  const scenarios: Record<string, string> = {};
  for (const [id, scenario] of prepared.scenarios) scenarios[id] = hashDirectory(scenario.dir);
  const fixtures: Record<string, string> = {};
  for (const [name, fixture] of prepared.fixtures) fixtures[name] = hashDirectory(fixture.dir, fixture.exclude);
  const promptVariants: Record<string, string> = {};
  // Every file of the variant folder: prompt, AGENTS.md, settings, agent definition, extra instructions.
  for (const [id, variant] of prepared.promptVariants) promptVariants[id] = hashDirectory(variant.dir);
  const { config } = prepared;
  const configHash = hashValue({
    targets: [...prepared.targets.values()].map(targetInputs),
    repeats: config.repeats,
    promptVariants: config.promptVariants,
    scenarios: [...prepared.scenarios.keys()],
    attemptTimeoutMs: config.attemptTimeoutMs ?? null,
    checkTimeoutMs: config.checkTimeoutMs,
    maxStepsPerTurn: config.maxStepsPerTurn,
  });
  const specInputs: Record<string, string> = {};
  for (const spec of prepared.specs) {
    const scenario = prepared.scenarios.get(spec.scenarioId);
    const target = prepared.targets.get(spec.targetId);
    specInputs[spec.id] = hashValue({
      scenario: scenarios[spec.scenarioId],
      fixture: scenario === undefined ? null : fixtures[scenario.fixture],
      prompt: prepared.renderedPrompts[renderedPromptKey(spec)] ?? null,
      instructions: prepared.renderedInstructions[renderedPromptKey(spec)] ?? null,
      variant: promptVariants[spec.promptVariantId] ?? null,
      target: target === undefined ? null : targetInputs(target),
      repeatIndex: spec.repeatIndex,
      opencode: versions.opencode,
      harness: versions.harness,
    });
  }
  return { config: configHash, scenarios, fixtures, promptVariants, opencodeVersion: versions.opencode, specInputs };
}

/** Names what differs between two fingerprints, for a resume refusal. */
export function describeFingerprintChanges(recorded: RunFingerprints, current: RunFingerprints): string[] {
  const changes: string[] = [];
  if (recorded.config !== current.config) changes.push('the config (targets, repeats, prompt variants, scenarios or timeouts)');
  if (recorded.opencodeVersion !== current.opencodeVersion) changes.push(`the OpenCode version (${recorded.opencodeVersion} → ${current.opencodeVersion})`);
  for (const [kind, before, after] of [
    ['scenario', recorded.scenarios, current.scenarios],
    ['fixture', recorded.fixtures, current.fixtures],
    ['prompt variant', recorded.promptVariants, current.promptVariants],
  ] as const) {
    for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (before[id] !== after[id]) changes.push(`${kind} "${id}"`);
    }
  }
  return changes;
}
