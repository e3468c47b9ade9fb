import type { CompletedPrompt, EvaluateResult, EvaluateStats, TokenUsage } from 'promptfoo';

type FullTokenUsage = Required<TokenUsage>;
type PromptMetrics = NonNullable<CompletedPrompt['metrics']>;

const ZERO_DETAILS = { reasoning: 0, acceptedPrediction: 0, rejectedPrediction: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };

export function emptyTokenUsage(): FullTokenUsage {
  return { prompt: 0, completion: 0, cached: 0, total: 0, numRequests: 0, completionDetails: { ...ZERO_DETAILS }, assertions: {} };
}

/** A provider response's token usage with every field promptfoo's result rows require. */
export function completeTokenUsage(usage: TokenUsage | undefined): FullTokenUsage {
  return addTokenUsage(emptyTokenUsage(), usage);
}

function addTokenUsage(total: FullTokenUsage, usage: TokenUsage | undefined): FullTokenUsage {
  const details = usage?.completionDetails ?? {};
  const sum = total.completionDetails;
  return {
    prompt: total.prompt + (usage?.prompt ?? 0),
    completion: total.completion + (usage?.completion ?? 0),
    cached: total.cached + (usage?.cached ?? 0),
    total: total.total + (usage?.total ?? 0),
    numRequests: total.numRequests + (usage?.numRequests ?? 0),
    completionDetails: {
      reasoning: (sum.reasoning ?? 0) + (details.reasoning ?? 0),
      acceptedPrediction: 0,
      rejectedPrediction: 0,
      cacheReadInputTokens: (sum.cacheReadInputTokens ?? 0) + (details.cacheReadInputTokens ?? 0),
      cacheCreationInputTokens: (sum.cacheCreationInputTokens ?? 0) + (details.cacheCreationInputTokens ?? 0),
    },
    assertions: {},
  };
}

/** A prompt column's totals over its result rows, as promptfoo computes them after an eval. */
export function computePromptMetrics(rows: readonly EvaluateResult[]): PromptMetrics {
  const metrics: PromptMetrics = {
    score: 0, testPassCount: 0, testFailCount: 0, testErrorCount: 0, assertPassCount: 0, assertFailCount: 0,
    totalLatencyMs: 0, tokenUsage: emptyTokenUsage(), namedScores: {}, namedScoresCount: {}, cost: 0,
  };
  for (const row of rows) {
    metrics.score += row.score;
    if (row.success) metrics.testPassCount += 1;
    else if (row.failureReason === 2) metrics.testErrorCount += 1;
    else metrics.testFailCount += 1;
    const components = row.gradingResult?.componentResults ?? [];
    metrics.assertPassCount += components.filter((component) => component.pass).length;
    metrics.assertFailCount += components.filter((component) => !component.pass).length;
    metrics.totalLatencyMs += row.latencyMs;
    metrics.tokenUsage = addTokenUsage(completeTokenUsage(metrics.tokenUsage), row.tokenUsage);
    metrics.cost += row.cost ?? 0;
    for (const [name, score] of Object.entries(row.namedScores)) {
      metrics.namedScores[name] = (metrics.namedScores[name] ?? 0) + score;
      metrics.namedScoresCount[name] = (metrics.namedScoresCount[name] ?? 0) + 1;
    }
  }
  return metrics;
}

export function computeStats(rows: readonly EvaluateResult[], durationMs: number | undefined): EvaluateStats {
  return {
    successes: rows.filter((row) => row.success).length,
    failures: rows.filter((row) => !row.success && row.failureReason !== 2).length,
    errors: rows.filter((row) => row.failureReason === 2).length,
    tokenUsage: rows.reduce((total, row) => addTokenUsage(total, row.tokenUsage), emptyTokenUsage()),
    ...(durationMs === undefined ? {} : { durationMs }),
  };
}
