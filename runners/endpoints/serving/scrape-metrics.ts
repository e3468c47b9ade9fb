import { parsePrometheusText } from './prometheus-text.ts';
import { readVllmSnapshot, type VllmSnapshot } from './vllm-metrics.ts';

export type ScrapeResult = { status: 'scraped'; snapshot: VllmSnapshot; atMs: number } | { status: 'unavailable'; reason: string };

export interface ScrapeOptions {
  /** vLLM's served model name, to pick its series. */
  model?: string | undefined;
  headers?: Record<string, string> | undefined;
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/** vLLM serves /metrics at the server root: the base URL without its `/v1`. */
export function metricsURLOf(baseURL: string): string {
  const url = new URL(baseURL);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}/metrics`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** Reads vLLM's counters from `/metrics`; any failure is a reason, never thrown. */
export async function scrapeVllmMetrics(metricsURL: string, options: ScrapeOptions = {}): Promise<ScrapeResult> {
  const doFetch = options.fetch ?? fetch;
  let text: string;
  try {
    const response = await doFetch(metricsURL, { headers: options.headers ?? {}, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    if (!response.ok) {
      await response.body?.cancel();
      return { status: 'unavailable', reason: `${metricsURL} answered HTTP ${response.status}` };
    }
    text = await response.text();
  } catch (error) {
    return { status: 'unavailable', reason: `${metricsURL} could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  const page = parsePrometheusText(text);
  const snapshot = readVllmSnapshot(page.samples, options.model);
  if (snapshot === undefined) {
    return { status: 'unavailable', reason: `${metricsURL} has no vllm:prompt_tokens_total / vllm:generation_tokens_total (not a vLLM server?)` };
  }
  return { status: 'scraped', snapshot, atMs: Date.now() };
}
