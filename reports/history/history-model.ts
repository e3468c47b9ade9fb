import { buildSparkline } from '../model/chart-geometry.ts';
import { formatCount, formatDuration, formatInterval, formatPoints, formatRate, formatTimestamp } from '../model/format.ts';
import type { RunDigest } from './run-digest.ts';

export interface HistoryRunView {
  runId: string;
  href: string;
  startedAt: string;
  duration: string;
  status: string;
  isScripted: boolean;
  specs: string;
  passed: string;
  failed: string;
  timedOut: string;
  infraErrors: string;
  best: string;
}

export interface HistoryTrendView {
  targetId: string;
  promptVariantId: string;
  model: string;
  quantization: string;
  runs: string;
  latest: string;
  interval: string;
  change: string;
  changeTone: 'up' | 'down' | 'flat';
  sparkline: { path: string; points: Array<{ x: number; y: number; title: string; isLast: boolean }>; width: number; height: number };
}

export interface HistoryModel {
  title: string;
  folder: string;
  runCount: string;
  runs: HistoryRunView[];
  trends: HistoryTrendView[];
  problems: string[];
}

const SPARK_WIDTH = 160;
const SPARK_HEIGHT = 30;
/** The newest runs a sparkline shows. */
const MAX_POINTS = 30;

/** Every run in an output folder, newest first, and each cohort's pass rate across them. */
export function buildHistoryModel(digests: readonly RunDigest[], options: { folder: string; problems: string[] }): HistoryModel {
  const chronological = [...digests].sort((left, right) => Date.parse(left.startedAt) - Date.parse(right.startedAt) || left.runId.localeCompare(right.runId));
  return {
    title: `Run history · ${options.folder}`,
    folder: options.folder,
    runCount: formatCount(digests.length),
    runs: [...chronological].reverse().map(viewRun),
    trends: buildTrends(chronological),
    problems: options.problems,
  };
}

function viewRun(digest: RunDigest): HistoryRunView {
  const started = Date.parse(digest.startedAt);
  const finished = digest.finishedAt === null ? Number.NaN : Date.parse(digest.finishedAt);
  const best = digest.cohorts.find((cohort) => cohort.verdict === 'best');
  return {
    runId: digest.runId,
    href: `./${encodeURIComponent(digest.runId)}/report.html`,
    startedAt: formatTimestamp(digest.startedAt),
    duration: Number.isNaN(started) || Number.isNaN(finished) ? '—' : formatDuration(finished - started),
    status: digest.status === 'complete' ? 'Complete' : 'Incomplete',
    isScripted: digest.scriptedModel,
    specs: formatCount(digest.totals.specs),
    passed: formatCount(digest.totals.passed),
    failed: formatCount(digest.totals.failed),
    timedOut: formatCount(digest.totals.timedOut),
    infraErrors: formatCount(digest.totals.infraErrors),
    best: best === undefined ? '—' : `${best.targetId} · ${best.promptVariantId} (${formatRate(best.rate)})`,
  };
}

function buildTrends(chronological: readonly RunDigest[]): HistoryTrendView[] {
  const series = new Map<string, Array<{ digest: RunDigest; cohort: RunDigest['cohorts'][number] }>>();
  for (const digest of chronological) {
    for (const cohort of digest.cohorts) {
      if (cohort.rate === null) continue;
      const id = JSON.stringify([cohort.targetId, cohort.promptVariantId]);
      series.set(id, [...(series.get(id) ?? []), { digest, cohort }]);
    }
  }
  return [...series.values()].map((all) => {
    const points = all.slice(-MAX_POINTS);
    const last = points.at(-1);
    const before = points.at(-2);
    if (last === undefined) throw new Error('a trend series is never empty');
    const delta = before === undefined ? null : (last.cohort.rate ?? 0) - (before.cohort.rate ?? 0);
    const line = buildSparkline(points.map((point) => point.cohort.rate), SPARK_WIDTH, SPARK_HEIGHT);
    return {
      targetId: last.cohort.targetId,
      promptVariantId: last.cohort.promptVariantId,
      model: last.cohort.model,
      quantization: last.cohort.quantization,
      runs: formatCount(all.length),
      latest: formatRate(last.cohort.rate),
      interval: formatInterval(last.cohort),
      change: delta === null ? 'first run' : formatPoints(delta),
      changeTone: delta === null || Math.round(delta * 100) === 0 ? 'flat' : delta > 0 ? 'up' : 'down',
      sparkline: {
        path: line.path,
        width: SPARK_WIDTH,
        height: SPARK_HEIGHT,
        points: line.points.map((point, index) => ({
          ...point,
          isLast: index === line.points.length - 1,
          title: `${points[index]?.digest.runId ?? ''}: ${formatRate(points[index]?.cohort.rate ?? null)} (${points[index]?.cohort.passes ?? 0} of ${points[index]?.cohort.trials ?? 0})`,
        })),
      },
    };
  });
}
