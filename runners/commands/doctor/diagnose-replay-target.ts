import path from 'node:path';
import type { ReplayTarget } from '../../core/domain/target.ts';
import { listCassetteIds, readFirstEntry } from '../../endpoints/replay/cassette.ts';
import { error, ok, warning, type TargetDiagnosis } from './finding.ts';

/**
 * `harness doctor` for a replay target: its cassettes exist and were recorded for its model.
 * (Add `case 'replay'` to diagnoseTarget once replay targets are part of ResolvedTarget.)
 */
export function diagnoseReplayTarget(target: ReplayTarget, options: { fieldPrefix: string; configDir: string }): TargetDiagnosis {
  const cassettesDir = path.resolve(options.configDir, target.cassettesDir);
  const cassettes = listCassetteIds(cassettesDir);
  const base = { targetId: target.id, model: target.model, baseURL: undefined };
  if (cassettes.length === 0) {
    return { ...base, findings: [error('reachable', `no cassettes in ${cassettesDir}`, `point ${options.fieldPrefix}.cassettesDir at the cassettes/ folder of a run recorded with --record`)] };
  }
  const models = new Set(cassettes.map((id) => /"model"\s*:\s*"([^"]+)"/.exec(readFirstEntry(cassettesDir, id)?.request.body ?? '')?.[1]).filter((model) => model !== undefined));
  const reachable = ok('reachable', `${cassettes.length} cassette(s) in ${cassettesDir}`);
  if (models.has(target.model)) return { ...base, findings: [reachable, ok('model-listed', `cassettes were recorded for "${target.model}"`)] };
  return {
    ...base,
    findings: [reachable, warning('model-listed', `no cassette was recorded for "${target.model}" (recorded: ${[...models].join(', ') || 'none'})`, `set ${options.fieldPrefix}.model to the recorded model name, or every request will be a replay miss`)],
  };
}
