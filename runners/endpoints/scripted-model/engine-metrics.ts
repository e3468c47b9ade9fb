/**
 * The emulator's `/metrics`: the vLLM families the harness reads, in the text that vLLM's
 * PrometheusStatLogger produces through prometheus_client (`vllm/v1/metrics/loggers.py`):
 * labels `engine` and `model_name` (sorted), counters as `<name>_total` with a `<name>_created`
 * gauge family after them, histograms as cumulative `_bucket`s then `_count` and `_sum`, and
 * floats written as Python's `floatToGoString` does (`5.0`, `1.7769301736864982e+09`).
 */
import type { EngineCounts } from './engine-scheduler.ts';

const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];
const REQUEST_LATENCY_BUCKETS = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680];
const FINISHED_REASONS = ['stop', 'length', 'abort'] as const;

export type FinishedReason = (typeof FINISHED_REASONS)[number];

/** One finished request, as the engine's iteration stats report it. */
export interface FinishedRequestStats {
  model: string;
  promptTokens: number;
  generationTokens: number;
  finishedReason: FinishedReason;
  queueSeconds: number;
  /** From arrival to the first token (queue and prefill included), as vLLM measures it. */
  timeToFirstTokenSeconds: number;
  prefillSeconds: number;
  decodeSeconds: number;
  e2eSeconds: number;
}

interface Histogram {
  buckets: readonly number[];
  counts: number[];
  count: number;
  sum: number;
}

interface ModelSeries {
  promptTokens: number;
  generationTokens: number;
  success: Record<FinishedReason, number>;
  histograms: Record<HistogramName, Histogram>;
}

const HISTOGRAMS = {
  'vllm:time_to_first_token_seconds': { help: 'Histogram of time to first token in seconds.', buckets: TTFT_BUCKETS },
  'vllm:e2e_request_latency_seconds': { help: 'Histogram of e2e request latency in seconds.', buckets: REQUEST_LATENCY_BUCKETS },
  'vllm:request_queue_time_seconds': { help: 'Histogram of time spent in WAITING phase for request.', buckets: REQUEST_LATENCY_BUCKETS },
  'vllm:request_prefill_time_seconds': { help: 'Histogram of time spent in PREFILL phase for request.', buckets: REQUEST_LATENCY_BUCKETS },
  'vllm:request_decode_time_seconds': { help: 'Histogram of time spent in DECODE phase for request.', buckets: REQUEST_LATENCY_BUCKETS },
} as const;

type HistogramName = keyof typeof HISTOGRAMS;

export interface EngineMetrics {
  observeFinished(stats: FinishedRequestStats): void;
  /** Renders the page at `GET /metrics`, with the scheduler's current running and waiting counts. */
  render(scheduler: EngineCounts): string;
}

/** Counters and histograms per served model name, all starting at zero as a fresh vLLM does. */
export function createEngineMetrics(modelNames: readonly string[], startedAtSeconds: number): EngineMetrics {
  const series = new Map(modelNames.map((name) => [name, createSeries()]));
  return {
    observeFinished(stats) {
      const target = series.get(stats.model);
      if (target === undefined) return;
      target.promptTokens += stats.promptTokens;
      target.generationTokens += stats.generationTokens;
      target.success[stats.finishedReason] += 1;
      observe(target.histograms['vllm:time_to_first_token_seconds'], stats.timeToFirstTokenSeconds);
      observe(target.histograms['vllm:e2e_request_latency_seconds'], stats.e2eSeconds);
      observe(target.histograms['vllm:request_queue_time_seconds'], stats.queueSeconds);
      observe(target.histograms['vllm:request_prefill_time_seconds'], stats.prefillSeconds);
      observe(target.histograms['vllm:request_decode_time_seconds'], stats.decodeSeconds);
    },
    render(scheduler) {
      return renderPage([...series.entries()], scheduler, startedAtSeconds);
    },
  };
}

function createSeries(): ModelSeries {
  const empty = (name: HistogramName): Histogram => {
    const buckets = HISTOGRAMS[name].buckets;
    return { buckets, counts: buckets.map(() => 0), count: 0, sum: 0 };
  };
  const histograms: Record<HistogramName, Histogram> = {
    'vllm:time_to_first_token_seconds': empty('vllm:time_to_first_token_seconds'),
    'vllm:e2e_request_latency_seconds': empty('vllm:e2e_request_latency_seconds'),
    'vllm:request_queue_time_seconds': empty('vllm:request_queue_time_seconds'),
    'vllm:request_prefill_time_seconds': empty('vllm:request_prefill_time_seconds'),
    'vllm:request_decode_time_seconds': empty('vllm:request_decode_time_seconds'),
  };
  return { promptTokens: 0, generationTokens: 0, success: { stop: 0, length: 0, abort: 0 }, histograms };
}

function observe(histogram: Histogram, value: number): void {
  histogram.buckets.forEach((bound, index) => {
    if (value <= bound) histogram.counts[index] = (histogram.counts[index] ?? 0) + 1;
  });
  histogram.count += 1;
  histogram.sum += value;
}

function renderPage(entries: Array<[string, ModelSeries]>, scheduler: EngineCounts, created: number): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  const sample = (name: string, labels: Record<string, string>, value: number) => lines.push(`${name}${formatLabels(labels)} ${formatPythonFloat(value)}`);
  const base = (model: string) => ({ engine: '0', model_name: model });

  family('process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.');
  sample('process_start_time_seconds', {}, created);
  for (const [name, help, value] of [
    ['vllm:num_requests_running', 'Number of requests in model execution batches.', scheduler.running],
    ['vllm:num_requests_waiting', 'Number of requests waiting to be processed.', scheduler.waiting],
    ['vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', scheduler.kvCacheUsage],
  ] as const) {
    family(name, 'gauge', help);
    for (const [model] of entries) sample(name, base(model), value);
  }
  const counter = (name: string, help: string, values: Array<[Record<string, string>, number]>) => {
    family(`${name}_total`, 'counter', help);
    for (const [labels, value] of values) sample(`${name}_total`, labels, value);
    family(`${name}_created`, 'gauge', help);
    for (const [labels] of values) sample(`${name}_created`, labels, created);
  };
  counter('vllm:prompt_tokens', 'Number of prefill tokens processed.', entries.map(([model, s]) => [base(model), s.promptTokens]));
  counter('vllm:generation_tokens', 'Number of generation tokens processed.', entries.map(([model, s]) => [base(model), s.generationTokens]));
  counter(
    'vllm:request_success',
    'Count of successfully processed requests.',
    entries.flatMap(([model, s]) => FINISHED_REASONS.map((reason): [Record<string, string>, number] => [{ ...base(model), finished_reason: reason }, s.success[reason]])),
  );
  for (const [name, { help }] of Object.entries(HISTOGRAMS) as Array<[HistogramName, { help: string }]>) {
    family(name, 'histogram', help);
    for (const [model, s] of entries) {
      const histogram = s.histograms[name];
      histogram.buckets.forEach((bound, index) => sample(`${name}_bucket`, { ...base(model), le: formatPythonFloat(bound) }, histogram.counts[index] ?? 0));
      sample(`${name}_bucket`, { ...base(model), le: '+Inf' }, histogram.count);
      sample(`${name}_count`, base(model), histogram.count);
      sample(`${name}_sum`, base(model), histogram.sum);
    }
    family(`${name}_created`, 'gauge', help);
    for (const [model] of entries) sample(`${name}_created`, base(model), created);
  }
  return `${lines.join('\n')}\n`;
}

function formatLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  const escape = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
  return `{${keys.map((key) => `${key}="${escape(labels[key] ?? '')}"`).join(',')}}`;
}

/** prometheus_client's `floatToGoString`: Python's repr, switching to an exponent past 6 integer digits. */
export function formatPythonFloat(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  const repr = Number.isInteger(value) && Math.abs(value) < 1e16 ? `${value}.0` : String(value);
  const dot = repr.indexOf('.');
  if (value > 0 && dot > 6 && !repr.includes('e')) {
    const digits = `${repr.slice(1, dot)}${repr.slice(dot + 1)}`;
    const mantissa = `${repr[0]}.${digits}`.replace(/[0.]+$/, '');
    return `${mantissa}e+0${dot - 1}`;
  }
  return repr;
}
