import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../core/errors.ts';
import { openEventLog, readEventLog } from '../../pipeline/events/event-log.ts';
import type { HarnessEvent, RunStartedEvent } from '../../pipeline/events/event-types.ts';
import { writeRunReports, type WrittenReports } from './write-run-reports.ts';

/**
 * `harness merge`: combines the logs of the shards of one plan into one run whose summary
 * equals the unsharded run's. Refuses shards of different plans, missing or doubled shards.
 */
export async function mergeCommand(shardDirs: string[], outDir: string): Promise<{ runDir: string; reports: WrittenReports }> {
  const shards = shardDirs.map((dir) => ({ dir, events: readEventLog(dir).events }));
  const starts = shards.map(({ dir, events }) => {
    const started = events[0] as RunStartedEvent;
    if (started.shard === undefined) throw new UserError('RUN_DIR_INVALID', `${dir}: not a shard (it was not run with --shard i/n)`);
    return { dir, started, shard: started.shard };
  });
  const first = starts[0];
  if (first === undefined) throw new UserError('CLI_USAGE', 'merge needs the run folders of the shards');
  const count = first.shard.count;
  for (const { dir, started, shard } of starts) {
    if (shard.count !== count || started.fingerprints.config !== first.started.fingerprints.config) {
      throw new UserError('RUN_DIR_INVALID', `${dir}: belongs to a different plan than ${first.dir} (config or shard count differs)`);
    }
  }
  const indexes = starts.map(({ shard }) => shard.index).sort((a, b) => a - b);
  const expected = Array.from({ length: count }, (_, index) => index + 1);
  if (indexes.join(',') !== expected.join(',')) {
    throw new UserError('RUN_DIR_INVALID', `merge needs shards ${expected.join(', ')} of ${count} exactly once; got ${indexes.join(', ')}`);
  }
  const ordered = [...starts].sort((a, b) => a.shard.index - b.shard.index);
  const runId = `${first.started.runId.replace(/-[0-9a-f]{6}$/, '')}-merged-${randomBytes(3).toString('hex')}`;
  const runDir = path.join(path.resolve(outDir), runId);
  mkdirSync(runDir, { recursive: true });
  const log = openEventLog(runDir);
  try {
    log.append({
      ...first.started,
      runId,
      at: ordered.map(({ started }) => started.at).sort()[0] ?? first.started.at,
      specs: ordered.flatMap(({ started }) => started.specs),
      targets: uniqueById(ordered.flatMap(({ started }) => started.targets)),
      scenarios: uniqueById(ordered.flatMap(({ started }) => started.scenarios)),
      fingerprints: { ...first.started.fingerprints, specInputs: Object.assign({}, ...ordered.map(({ started }) => started.fingerprints.specInputs)) },
      shard: undefined,
    });
    let lastFinish = '';
    for (const { dir } of ordered) {
      const events = shards.find((shard) => shard.dir === dir)?.events ?? [];
      for (const event of events) {
        if (event.type === 'attempt.started' || event.type === 'attempt.finished') log.append(event);
        if (event.type === 'run.finished' && event.at > lastFinish) lastFinish = event.at;
      }
      if (!events.some((event: HarnessEvent) => event.type === 'run.finished')) {
        throw new UserError('RUN_DIR_INVALID', `${dir}: this shard did not finish; resume it first (harness run --resume ${dir})`);
      }
    }
    log.append({ v: 1, type: 'run.finished', at: lastFinish, durationMs: Date.parse(lastFinish) - Date.parse(first.started.at) });
  } finally {
    log.close();
  }
  return { runDir, reports: await writeRunReports(runDir) };
}

function uniqueById<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}
