import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prometheus-text.ts';
import { computeServingWindow, readVllmSnapshot, type VllmSnapshot } from './vllm-metrics.ts';

/** A vLLM v1 page as current prometheus_client writes it: `_total` families, `_created` gauges. */
const MODEL = 'Qwen/Qwen2.5-Coder-14B-Instruct-AWQ';
function vllmPage(values: { prompt: number; generation: number; ttftSum: number; ttftCount: number; queueSum: number; running: number; waiting: number }): string {
  const labels = `engine="0",model_name="${MODEL}"`;
  return `# HELP python_gc_objects_collected_total Objects collected during gc
# TYPE python_gc_objects_collected_total counter
python_gc_objects_collected_total{generation="0"} 12345.0
# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{${labels}} ${values.running}.0
# HELP vllm:num_requests_waiting Number of requests waiting to be processed.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{${labels}} ${values.waiting}.0
# HELP vllm:prompt_tokens_total Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{${labels}} ${values.prompt}.0
# HELP vllm:prompt_tokens_created Number of prefill tokens processed.
# TYPE vllm:prompt_tokens_created gauge
vllm:prompt_tokens_created{${labels}} 1.7769301736864982e+09
# HELP vllm:generation_tokens_total Number of generation tokens processed.
# TYPE vllm:generation_tokens_total counter
vllm:generation_tokens_total{${labels}} ${values.generation}.0
# HELP vllm:request_success_total Count of successfully processed requests.
# TYPE vllm:request_success_total counter
vllm:request_success_total{engine="0",finished_reason="stop",model_name="${MODEL}"} ${values.ttftCount}.0
vllm:request_success_total{engine="0",finished_reason="length",model_name="${MODEL}"} 0.0
# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.001",model_name="${MODEL}"} 0.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="1.0",model_name="${MODEL}"} ${values.ttftCount}.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="${MODEL}"} ${values.ttftCount}.0
vllm:time_to_first_token_seconds_count{engine="0",model_name="${MODEL}"} ${values.ttftCount}.0
vllm:time_to_first_token_seconds_sum{engine="0",model_name="${MODEL}"} ${values.ttftSum}
# HELP vllm:time_to_first_token_seconds_created Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds_created gauge
vllm:time_to_first_token_seconds_created{engine="0",model_name="${MODEL}"} 1.7769301736866e+09
# HELP vllm:request_queue_time_seconds Histogram of time spent in WAITING phase for request.
# TYPE vllm:request_queue_time_seconds histogram
vllm:request_queue_time_seconds_bucket{engine="0",le="+Inf",model_name="${MODEL}"} ${values.ttftCount}.0
vllm:request_queue_time_seconds_count{engine="0",model_name="${MODEL}"} ${values.ttftCount}.0
vllm:request_queue_time_seconds_sum{engine="0",model_name="${MODEL}"} ${values.queueSum}
`;
}

describe('parsePrometheusText', () => {
  it('reads samples with labels, exponents and +Inf, and the TYPE lines', () => {
    const page = parsePrometheusText(vllmPage({ prompt: 2097152, generation: 524288, ttftSum: 892.3, ttftCount: 5678, queueSum: 12.5, running: 4, waiting: 0 }));
    expect(page.problems).toEqual([]);
    expect(page.types.get('vllm:prompt_tokens_total')).toBe('counter');
    expect(page.types.get('vllm:time_to_first_token_seconds')).toBe('histogram');
    expect(page.samples).toContainEqual({ name: 'vllm:prompt_tokens_total', labels: { engine: '0', model_name: MODEL }, value: 2097152 });
    expect(page.samples).toContainEqual({ name: 'vllm:prompt_tokens_created', labels: { engine: '0', model_name: MODEL }, value: 1776930173.6864982 });
    expect(page.samples).toContainEqual({ name: 'vllm:time_to_first_token_seconds_bucket', labels: { engine: '0', le: '+Inf', model_name: MODEL }, value: 5678 });
  });

  it('reads the older form (`# TYPE vllm:prompt_tokens counter`), escaped label values, timestamps and NaN', () => {
    const page = parsePrometheusText(
      [
        '# TYPE vllm:prompt_tokens counter',
        'vllm:prompt_tokens_total{model_name="a \\"quoted\\" name\\\\x\\nline",engine="0"} 10 1712345678000',
        'vllm:gpu_cache_usage_perc{model_name="m"} NaN',
        'vllm:generation_tokens_total{model_name="m",} -1.5e-3',
      ].join('\n'),
    );
    expect(page.problems).toEqual([]);
    expect(page.types.get('vllm:prompt_tokens')).toBe('counter');
    expect(page.samples[0]).toEqual({ name: 'vllm:prompt_tokens_total', labels: { model_name: 'a "quoted" name\\x\nline', engine: '0' }, value: 10 });
    expect(Number.isNaN(page.samples[1]?.value)).toBe(true);
    expect(page.samples[2]?.value).toBe(-0.0015);
  });

  it('reports lines that are not samples instead of throwing', () => {
    const page = parsePrometheusText('vllm:ok 1\n{bad} 2\nvllm:x{a="unterminated} 3\nvllm:y one\nvllm:z\n');
    expect(page.samples.map((sample) => sample.name)).toEqual(['vllm:ok']);
    expect(page.problems.map((problem) => problem.line)).toEqual([2, 3, 4, 5]);
  });
});

describe('vLLM snapshots and windows', () => {
  const before = snapshotOf({ prompt: 1000, generation: 200, ttftSum: 1.5, ttftCount: 3, queueSum: 0.3, running: 0, waiting: 0 });
  const after = snapshotOf({ prompt: 21000, generation: 4200, ttftSum: 11.5, ttftCount: 13, queueSum: 2.3, running: 2, waiting: 1 });

  function snapshotOf(values: Parameters<typeof vllmPage>[0]): VllmSnapshot {
    const snapshot = readVllmSnapshot(parsePrometheusText(vllmPage(values)).samples, MODEL);
    if (snapshot === undefined) throw new Error('no snapshot');
    return snapshot;
  }

  it('computes throughput, mean TTFT and queue time from deltas over the window', () => {
    const result = computeServingWindow({ before, after, durationMs: 100_000, gaugeSamples: [{ running: 3, waiting: 5 }] });
    expect(result).toEqual({
      status: 'measured',
      values: {
        requests: 10,
        promptTokens: 20_000,
        generationTokens: 4_000,
        promptTokensPerSecond: 200,
        generationTokensPerSecond: 40,
        prefillTokensPerSecond: null,
        decodeTokensPerSecond: null,
        meanTimeToFirstTokenMs: 1000,
        meanQueueTimeMs: expect.closeTo(200, 6),
        meanE2eLatencyMs: null,
        maxRequestsRunning: 3,
        maxRequestsWaiting: 5,
      },
    });
  });

  it('refuses a window in which the counters went down (the server restarted)', () => {
    expect(computeServingWindow({ before: after, after: before, durationMs: 1000, gaugeSamples: [] })).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('restarted') });
  });

  it('keeps only the target model\'s series when the page labels several, and sums engines', () => {
    const page = parsePrometheusText(
      [
        'vllm:prompt_tokens_total{engine="0",model_name="a"} 10',
        'vllm:prompt_tokens_total{engine="1",model_name="a"} 5',
        'vllm:prompt_tokens_total{engine="0",model_name="b"} 100',
        'vllm:generation_tokens_total{engine="0",model_name="a"} 1',
        'vllm:generation_tokens_total{engine="0",model_name="b"} 1',
      ].join('\n'),
    );
    expect(readVllmSnapshot(page.samples, 'a')?.promptTokens).toBe(15);
    expect(readVllmSnapshot(page.samples, 'an alias')?.promptTokens).toBe(115);
  });

  it('gives no snapshot for a page without vLLM token counters', () => {
    expect(readVllmSnapshot(parsePrometheusText('process_cpu_seconds_total 3.2\n').samples, undefined)).toBeUndefined();
  });
});
