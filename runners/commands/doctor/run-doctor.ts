import path from 'node:path';
import type { ResolvedConfig } from '../../inputs/config/load-config.ts';
import type { ResolvedTarget } from '../../core/domain/target.ts';
import { UserError } from '../../core/errors.ts';
import { orderTargetsByServedModel } from '../../pipeline/plan/served-model-groups.ts';
import { createModelSwitcher } from '../../endpoints/serving/model-switcher.ts';
import { diagnoseTarget } from './diagnose-target.ts';
import { error, type TargetDiagnosis } from './finding.ts';

export interface RunDoctorOptions {
  /** Only these targets; default every target of the config. */
  targetIds?: string[] | undefined;
  /** Run each target's `serve` command first (one model at a time, as a run would). */
  bringUp: boolean;
  log: (line: string) => void;
  probeTimeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/** Diagnoses the chosen targets one served model at a time; an unknown target id is a user error. */
export async function runDoctor(config: ResolvedConfig, options: RunDoctorOptions): Promise<TargetDiagnosis[]> {
  const targets = orderTargetsByServedModel(selectTargets(config, options.targetIds));
  const switcher = options.bringUp ? createModelSwitcher({ configDir: config.rootDir, log: options.log, fetch: options.fetch }) : undefined;
  const diagnoses: TargetDiagnosis[] = [];
  try {
    for (const target of targets) {
      const fieldPrefix = `${path.basename(config.file)}: targets[${config.targets.indexOf(target)}]`;
      const brought = await switcher?.switchTo(target);
      if (brought?.status === 'failed') {
        diagnoses.push({ targetId: target.id, model: target.model, baseURL: baseURLOf(target), findings: [error('serve-command', brought.message, `fix ${fieldPrefix}.serve or the model server's own configuration`)] });
        continue;
      }
      options.log(`checking ${target.id} …`);
      diagnoses.push(await diagnoseTarget(target, { fieldPrefix, configDir: config.rootDir, probeTimeoutMs: options.probeTimeoutMs, fetch: options.fetch }));
    }
  } finally {
    await switcher?.close();
  }
  return diagnoses;
}

function selectTargets(config: ResolvedConfig, wanted: string[] | undefined): ResolvedTarget[] {
  if (wanted === undefined || wanted.length === 0) return config.targets;
  const known = config.targets.map((target) => target.id);
  const unknown = wanted.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new UserError('FILTER_INVALID', `unknown target ${unknown.map((id) => `"${id}"`).join(', ')} for --target; known: ${known.join(', ')}`);
  }
  return config.targets.filter((target) => wanted.includes(target.id));
}

function baseURLOf(target: ResolvedTarget): string | undefined {
  return target.kind === 'openai-compatible' ? target.baseURL : undefined;
}
