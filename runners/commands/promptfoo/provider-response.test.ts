import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../core/domain/attempt.ts';
import { readAttemptMetadata } from './attempt-metadata.ts';
import { renderOutput, toPromptfooTokens, toProviderResponse } from './provider-response.ts';
import { fenceCode, neutralizeControlCharacters } from './safe-text.ts';
import { RUN_DIR, sampleSpec } from './test-support.ts';

describe('toProviderResponse', () => {
  it('returns the final message and the diff as output, with tokens, cost and the harness record', () => {
    const { spec, attempts } = sampleSpec('sortable', 'qwen-fp16');
    const attempt = { ...(attempts[0] as AttemptRecord), costUsd: 0.0123, sessionId: 'ses_abc' };
    const response = toProviderResponse({ runId: 'run-1', runDir: RUN_DIR, spec, attempts: [attempt] });
    expect(response.error).toBeUndefined();
    expect(response.output).toMatch(/^Done: the sort key lives in state, so it survives a refresh\.\n\nChanged files: src\/components\/HoldingsTable\.tsx, src\/lib\/compare-by\.ts\n\n```diff\ndiff --git/);
    expect(response).toMatchObject({ cost: 0.0123, sessionId: 'ses_abc', cached: false, latencyMs: attempt.timings.totalMs });
    expect(response.tokenUsage).toEqual({
      total: 11_500 + 500 + 125 + 5750, prompt: 11_500, completion: 625, cached: 5750, numRequests: 2,
      completionDetails: { reasoning: 125, cacheReadInputTokens: 5750, cacheCreationInputTokens: 0 },
    });
    const read = readAttemptMetadata(response.metadata);
    expect(read.status === 'read' && read.metadata).toMatchObject({ runDir: RUN_DIR, attemptId: attempt.attemptId, outcome: { kind: 'passed' }, scenarioId: 'sortable' });
  });

  it('reports an infra error as promptfoo error, naming the source and the run, and never as output', () => {
    const { spec, attempts } = sampleSpec('currency', 'qwen-fp16', 'terse');
    const response = toProviderResponse({ runId: 'run-1', runDir: RUN_DIR, spec, attempts });
    expect(response.output).toBeUndefined();
    expect(response.error).toBe(`infra error [opencode] (not counted against the model): OpenCode server exited with code 1 before the session started — attempt s5-attempt-1 of 1, run ${RUN_DIR}`);
    expect(readAttemptMetadata(response.metadata).status).toBe('read');
  });

  it('reports the last attempt of a spec retried after an infra error, counting the attempts', () => {
    const { spec, attempts } = sampleSpec('currency', 'qwen-awq');
    const response = toProviderResponse({ runId: 'run-1', runDir: RUN_DIR, spec, attempts });
    expect(response.error).toBeUndefined();
    const read = readAttemptMetadata(response.metadata);
    expect(read.status === 'read' && read.metadata).toMatchObject({ outcome: { kind: 'passed' }, attemptId: 's4-attempt-2' });
    expect((response.metadata?.harness as { attemptCount: number }).attemptCount).toBe(2);
  });

  it('says that a timed-out attempt was aborted, and that it changed nothing', () => {
    const { attempts } = sampleSpec('currency', 'qwen-fp16');
    expect(renderOutput(attempts[0] as AttemptRecord)).toBe('(the agent wrote no message)\n\n(timed out after 300.0 s; the session was aborted)\n\n(no changes)');
  });

  it('keeps a diff holding a code fence inside its block and neutralizes escape sequences', () => {
    const { attempts } = sampleSpec('sortable', 'qwen-fp16');
    const diff = '+const doc = `\n+```\n+closing fence\u001b]0;pwned\u0007\n';
    const output = renderOutput({ ...(attempts[0] as AttemptRecord), diff });
    expect(output).toContain('````diff\n+const doc = `\n+```\n+closing fence\\u{1b}]0;pwned\\u{7}\n````');
    expect(output.includes('\u001b') || output.includes('\u0007')).toBe(false);
  });

  it('maps token counts into promptfoo’s shape', () => {
    expect(toPromptfooTokens({ input: 10, output: 5, reasoning: 2, cacheRead: 3, cacheWrite: 1 }, 4)).toEqual({
      total: 21, prompt: 10, completion: 7, cached: 3, numRequests: 4,
      completionDetails: { reasoning: 2, cacheReadInputTokens: 3, cacheCreationInputTokens: 1 },
    });
  });
});

describe('safe text', () => {
  it('makes control characters visible but keeps newlines, tabs and markup', () => {
    expect(neutralizeControlCharacters('a\tb\nc\u001b[31md\u0000\u009b\u2028<b>')).toBe('a\tb\nc\\u{1b}[31md\\u{0}\\u{9b}\\u{2028}<b>');
  });

  it('fences code with a fence longer than any backtick run inside', () => {
    expect(fenceCode('x', 'diff')).toBe('```diff\nx\n```');
    expect(fenceCode('`````', 'diff')).toBe('``````diff\n`````\n``````');
  });
});
