import type { ServerResponse } from 'node:http';
import type { ChatAnswer, GenerationFacts } from './chat-completions.ts';
import type { EngineMetrics, FinishedReason } from './engine-metrics.ts';
import { sleepUnlessAborted, type EngineScheduler } from './engine-scheduler.ts';
import { estimateTextTokens } from './token-estimate.ts';
import type { VllmError } from './vllm-errors.ts';
import { serveFaultyAnswer } from './wire-faults.ts';

export interface ServeContext {
  scheduler: EngineScheduler;
  metrics: EngineMetrics;
}

/**
 * Writes an answer as the engine would produce it: errors at once (vLLM validates before
 * scheduling), generations after a queue wait for a slot, the time to first token, then
 * output paced by the latency model; a finished or aborted generation updates /metrics.
 */
export async function serveAnswer(answer: ChatAnswer, response: ServerResponse, context: ServeContext): Promise<void> {
  if (answer.kind === 'error') {
    sendError(response, answer.error);
    return;
  }
  if (answer.kind === 'faulty') {
    await serveFaultyAnswer(answer, response);
    return;
  }
  const arrivedAt = Date.now();
  const aborted = new AbortController();
  response.once('close', () => aborted.abort());
  const slot = await context.scheduler.admit(aborted.signal);
  if (slot === undefined) return;
  const timing = { arrivedAt, queuedMs: slot.queuedMs, admittedAt: Date.now(), firstTokenAt: undefined as number | undefined };
  let emitted = 0;
  let finishedReason: FinishedReason = 'abort';
  try {
    await sleepUnlessAborted(context.scheduler.timeToFirstTokenMs(), aborted.signal);
    if (aborted.signal.aborted) return;
    timing.firstTokenAt = Date.now();
    if (answer.kind === 'hang') {
      // Accepted and never answered, until the client or close() gives up.
      await new Promise<void>((resolve) => aborted.signal.addEventListener('abort', () => resolve(), { once: true }));
      return;
    }
    if (answer.kind === 'json') {
      await sleepUnlessAborted(context.scheduler.decodeMs(answer.facts.completionTokens), aborted.signal);
      if (aborted.signal.aborted) return;
      sendJson(response, 200, answer.body);
      emitted = answer.facts.completionTokens;
      finishedReason = 'stop';
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    for (const chunk of answer.chunks) {
      const tokens = countChunkTokens(chunk);
      await sleepUnlessAborted(context.scheduler.decodeMs(tokens), aborted.signal);
      if (aborted.signal.aborted) return;
      response.write(`data: ${JSON.stringify(chunk)}\n\n`);
      emitted += tokens;
    }
    response.end('data: [DONE]\n\n');
    emitted = Math.max(emitted, answer.facts.completionTokens);
    finishedReason = 'stop';
  } finally {
    slot.release();
    recordFinished(context.metrics, answer.facts, { ...timing, emitted, finishedReason });
  }
}

function recordFinished(
  metrics: EngineMetrics,
  facts: GenerationFacts,
  timing: { arrivedAt: number; queuedMs: number; admittedAt: number; firstTokenAt: number | undefined; emitted: number; finishedReason: FinishedReason },
): void {
  const endedAt = Date.now();
  const firstTokenAt = timing.firstTokenAt ?? endedAt;
  metrics.observeFinished({
    model: facts.model,
    promptTokens: timing.firstTokenAt === undefined ? 0 : facts.promptTokens,
    generationTokens: timing.emitted,
    finishedReason: timing.finishedReason,
    queueSeconds: timing.queuedMs / 1000,
    timeToFirstTokenSeconds: (firstTokenAt - timing.arrivedAt) / 1000,
    prefillSeconds: (firstTokenAt - timing.admittedAt) / 1000,
    decodeSeconds: (endedAt - firstTokenAt) / 1000,
    e2eSeconds: (endedAt - timing.arrivedAt) / 1000,
  });
}

/** Output tokens a stream chunk carries: its content and tool-call argument text. */
function countChunkTokens(chunk: object): number {
  const choices = (chunk as { choices?: Array<{ delta?: { content?: unknown; tool_calls?: Array<{ function?: { name?: unknown; arguments?: unknown } }> } }> }).choices;
  let text = '';
  for (const choice of choices ?? []) {
    if (typeof choice.delta?.content === 'string') text += choice.delta.content;
    for (const call of choice.delta?.tool_calls ?? []) {
      if (typeof call.function?.name === 'string') text += call.function.name;
      if (typeof call.function?.arguments === 'string') text += call.function.arguments;
    }
  }
  return estimateTextTokens(text);
}

export function sendError(response: ServerResponse, error: VllmError): void {
  sendJson(response, error.status, error.body);
}

export function sendJson(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
