import { createSampleSummary } from '../../testing/support/reports/sample-summary.ts';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import type { RunSpec } from '../../core/domain/run-spec.ts';
import type { SpecSummary } from '../../pipeline/summary/summary-types.ts';
import { HARNESS_METADATA_KEY, buildAttemptMetadata, readAttemptMetadata, type ReadAttemptMetadata } from './attempt-metadata.ts';

export const RUN_DIR = '/runs/2025-06-02T09-00-00Z-3f9a';

/** A spec of the sample run (runners/testing/support/reports) by scenario, target and prompt variant. */
export function sampleSpec(scenarioId: string, targetId: string, promptVariantId = 'default'): SpecSummary {
  const found = createSampleSummary().specs.find(
    (spec) => spec.spec.scenarioId === scenarioId && spec.spec.targetId === targetId && spec.spec.promptVariantId === promptVariantId,
  );
  if (found === undefined) throw new Error(`no sample spec ${scenarioId}/${targetId}/${promptVariantId}`);
  return found;
}

/** The harness metadata of a spec's last attempt, as the assertion reads it after promptfoo's JSON round trip. */
export function readBack(spec: RunSpec, attempts: AttemptRecord[]): ReadAttemptMetadata {
  const metadata = JSON.parse(JSON.stringify({ [HARNESS_METADATA_KEY]: buildAttemptMetadata({ runId: 'run-1', runDir: RUN_DIR, spec, attempts }) })) as unknown;
  const read = readAttemptMetadata(metadata);
  if (read.status !== 'read') throw new Error(read.reason);
  return read.metadata;
}
