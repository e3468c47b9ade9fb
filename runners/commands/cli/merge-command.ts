import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { openEventLog, readEventLog } from '../../pipeline/events/event-log.ts';
import type { RunStartedEvent } from '../../pipeline/events/event-types.ts';
import { mergeShardLogs } from './merge-shard-logs.ts';
import { writeRunReports, type WrittenReports } from './write-run-reports.ts';

/**
 * `harness merge`: combines the logs of the shards of one plan into one run whose summary
 * equals the unsharded run's, serving metrics included. Refuses shards of different plans,
 * missing, doubled or unfinished shards.
 */
export async function mergeCommand(shardDirs: string[], outDir: string): Promise<{ runDir: string; reports: WrittenReports }> {
  const shards = shardDirs.map((dir) => ({ dir, events: readEventLog(dir).events }));
  const events = mergeShardLogs(shards, randomBytes(3).toString('hex'));
  const runDir = path.join(path.resolve(outDir), (events[0] as RunStartedEvent).runId);
  mkdirSync(runDir, { recursive: true });
  const log = openEventLog(runDir);
  try {
    for (const event of events) log.append(event);
  } finally {
    log.close();
  }
  return { runDir, reports: await writeRunReports(runDir) };
}
