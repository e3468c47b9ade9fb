import { UserError } from '../../core/errors.ts';
import type { HarnessEvent, RunStartedEvent } from '../../pipeline/events/event-types.ts';

/** One shard's run folder and the events its log holds. */
export interface ShardLog {
  dir: string;
  events: HarnessEvent[];
}

/**
 * What each shard's log gives the merged run, in the shard's order: its attempts, and the
 * serving-metrics windows of its model servers (the report's serving section and each timed-out
 * attempt's server load read them).
 */
const CARRIED: ReadonlySet<HarnessEvent['type']> = new Set(['attempt.started', 'attempt.finished', 'serving.metrics', 'concurrency.sample']);

/**
 * The event log of the run made of all the shards of one plan, whose summary equals the unsharded
 * run's: one `run.started` covering every shard's specs, each shard's attempts and serving metrics
 * in shard order, and a `run.finished` at the last shard's end. Refuses (exit 2) shards of
 * different plans, missing, doubled or unfinished shards, before anything is written. Pure.
 */
export function mergeShardLogs(shards: readonly ShardLog[], idSuffix: string): HarnessEvent[] {
  const starts = shards.map(({ dir, events }) => {
    const started = events[0] as RunStartedEvent;
    if (started.shard === undefined) throw new UserError('RUN_DIR_INVALID', `${dir}: not a shard (it was not run with --shard i/n)`);
    return { dir, events, started, shard: started.shard };
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
  let lastFinish = '';
  for (const { dir, events } of ordered) {
    const finished = events.filter((event) => event.type === 'run.finished').map((event) => event.at);
    if (finished.length === 0) throw new UserError('RUN_DIR_INVALID', `${dir}: this shard did not finish; resume it first (harness run --resume ${dir})`);
    for (const at of finished) if (at > lastFinish) lastFinish = at;
  }
  const started: RunStartedEvent = {
    ...first.started,
    runId: `${first.started.runId.replace(/-[0-9a-f]{6}$/, '')}-merged-${idSuffix}`,
    at: ordered.map((shard) => shard.started.at).sort()[0] ?? first.started.at,
    specs: ordered.flatMap((shard) => shard.started.specs),
    targets: uniqueById(ordered.flatMap((shard) => shard.started.targets)),
    scenarios: uniqueById(ordered.flatMap((shard) => shard.started.scenarios)),
    fingerprints: { ...first.started.fingerprints, specInputs: Object.assign({}, ...ordered.map((shard) => shard.started.fingerprints.specInputs)) },
    shard: undefined,
  };
  return [
    started,
    ...ordered.flatMap(({ events }) => events.filter((event) => CARRIED.has(event.type))),
    // From the earliest shard's start, as run.started says: shards on an engine start when they get a machine.
    { v: 1, type: 'run.finished', at: lastFinish, durationMs: Date.parse(lastFinish) - Date.parse(started.at) },
  ];
}

function uniqueById<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}
