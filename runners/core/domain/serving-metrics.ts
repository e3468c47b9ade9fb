/** What vLLM's /metrics says about one target group's window of the run. */
export interface ServingMetricsValues {
  /** Requests the engine finished in the window (every finish reason). */
  requests: number;
  promptTokens: number;
  generationTokens: number;
  /** Tokens per wall-clock second of the window (idle time included). */
  promptTokensPerSecond: number | null;
  generationTokensPerSecond: number | null;
  /** Prompt tokens per second of prefill time; output tokens per second of decode time, per stream. */
  prefillTokensPerSecond: number | null;
  decodeTokensPerSecond: number | null;
  /** Means over the window's finished requests, from the histograms' sum and count. */
  meanTimeToFirstTokenMs: number | null;
  meanQueueTimeMs: number | null;
  meanE2eLatencyMs: number | null;
  /** The most requests seen running / waiting in the window's samples of the gauges. */
  maxRequestsRunning: number | null;
  maxRequestsWaiting: number | null;
}

export interface ServingWindow {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

export type ServingMetricsResult = { status: 'measured'; values: ServingMetricsValues } | { status: 'unavailable'; reason: string };

/**
 * One reading of vLLM's gauges and queue-time histogram during a window (every 5 s by default),
 * kept so that any stretch of the window — one attempt's — can be judged: the requests running and
 * waiting at that moment, and the queue-time histogram's running sum and count.
 */
export interface ServingGaugeSample {
  at: string;
  running: number;
  waiting: number;
  /** vllm:request_queue_time_seconds sum and count so far (cumulative counters). */
  queueTimeSumSeconds: number;
  queueTimeCount: number;
}

/** One `serving.metrics` event: a target group's window on its model server. */
export interface ServingMetricsRecord {
  /** The targets served by this model in the window (same base URL and model). */
  targetIds: string[];
  model: string;
  /** Where /metrics was read: the (first) replica's. */
  metricsURL: string;
  /** Every replica's /metrics added up in this window, for a target with several replicas. */
  metricsURLs?: string[] | undefined;
  window: ServingWindow;
  result: ServingMetricsResult;
  /** The timestamped gauge readings of the window, first and last included (absent in older logs). */
  samples?: ServingGaugeSample[] | undefined;
}
