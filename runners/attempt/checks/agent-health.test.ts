import { describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../core/domain/transcript.ts';
import { checkAgentHealth, judgeAgentHealth } from './agent-health.ts';
import { detectTextToolCalls } from './detect-text-tool-calls.ts';
import { assistantText, makeContext, toolCall } from './test-support.ts';

const sessionError = (name: string, message: string): TranscriptEntry => ({ type: 'session-error', name, message, atMs: 0 });

describe('detectTextToolCalls', () => {
  it.each([
    ['<tool_call>', '<tool_call>\n{"name": "write", "arguments": {"filePath": "src/a.ts", "content": "x"}}\n</tool_call>'],
    ['<tools>', 'I will create it.\n<tools>\n{"name": "write", "arguments": {"filePath": "src/a.ts"}}\n</tools>'],
    ['<function_call>', '```\n<function_call>{"name": "read", "arguments": {"filePath": "src/a.ts"}}</function_call>\n```'],
    ['<function=…>', '<function=write>\n<parameter=filePath>src/a.ts</parameter>\n</function>'],
    ['fenced-json', 'Here is the call:\n```json\n{"name": "edit", "arguments": {"filePath": "src/a.ts"}}\n```'],
    ['bare-json', '{"name": "bash", "parameters": {"command": "npm test"}}'],
  ])('recognises %s', (pattern, text) => {
    const found = detectTextToolCalls(text);
    expect(found.map((call) => call.pattern)).toEqual([pattern]);
    expect(found[0]?.excerpt.length).toBeGreaterThan(10);
  });

  it('ignores ordinary prose and JSON that is not a call', () => {
    expect(detectTextToolCalls('I added NewsWidget and registered it in src/user-components/index.ts.')).toEqual([]);
    expect(detectTextToolCalls('```json\n{"name": "portfolio-dashboard", "version": "1.0.0"}\n```')).toEqual([]);
  });

  it('reports each call of a text with several', () => {
    const text = '<tool_call>{"name": "read", "arguments": {}}</tool_call>\nthen\n<tool_call>{"name": "write", "arguments": {}}</tool_call>';
    expect(detectTextToolCalls(text)).toHaveLength(2);
  });
});

describe('agent-health check', () => {
  it('passes a run with structured tool calls and a plain final answer', async () => {
    const transcript = [toolCall('read', { filePath: 'src/core/types.ts' }), toolCall('write', { filePath: 'src/user-components/A.tsx', content: 'x' }), assistantText('Added the widget.')];
    const result = await checkAgentHealth(makeContext({ transcript }));
    expect(result).toMatchObject({ check: 'agent-health', status: 'passed', evidence: { toolCalls: 2, textToolCalls: [], invalidToolCalls: [], sessionErrors: [], contextOverflow: false } });
  });

  it('fails when the run ended on a text tool call without any structured call', () => {
    const result = judgeAgentHealth([assistantText('<tool_call>\n{"name": "write", "arguments": {"filePath": "src/a.ts"}}\n</tool_call>')]);
    expect(result).toMatchObject({ status: 'failed', reason: 'the model wrote 1 tool call(s) as text (<tool_call>) and made no structured tool call at all' });
  });

  it('fails on a text tool call after structured calls', () => {
    const result = judgeAgentHealth([toolCall('read', { filePath: 'a' }), assistantText('{"name": "write", "arguments": {"filePath": "a"}}')]);
    expect(result).toMatchObject({ status: 'failed', reason: expect.stringContaining('and the run ended on one') });
  });

  it('counts invalid tool calls as evidence without failing on them alone', () => {
    const transcript = [
      toolCall('invalid', { tool: 'write', error: 'Invalid input for tool write: JSON parsing failed' }, { output: 'The arguments provided to the tool are invalid' }),
      toolCall('write', { path: 'a' }, { status: 'error', error: 'The write tool was called with invalid arguments: SchemaError(Missing key at ["content"]).' }),
      toolCall('read', { filePath: 'missing.ts' }, { status: 'error', error: 'File not found: missing.ts' }),
      assistantText('Done.'),
    ];
    const result = judgeAgentHealth(transcript);
    expect(result.status).toBe('passed');
    expect(result.status === 'passed' && result.evidence.invalidToolCalls.map((call) => call.tool)).toEqual(['write', 'write']);
  });

  it('fails on session errors but ignores the harness abort', () => {
    expect(judgeAgentHealth([sessionError('MessageAbortedError', 'Aborted')]).status).toBe('passed');
    expect(judgeAgentHealth([sessionError('UnknownError', "Expected 'function.name' to be a string.")])).toMatchObject({ status: 'failed', reason: '1 session error(s): UnknownError' });
  });

  it('fails on a context overflow, by error name or message', () => {
    const byName = judgeAgentHealth([sessionError('ContextOverflowError', 'Session too large to compact')]);
    expect(byName).toMatchObject({ status: 'failed', evidence: { contextOverflow: true }, reason: expect.stringContaining('overflowed the context window') });
    const byMessage = judgeAgentHealth([sessionError('APIError', "This model's maximum context length is 32768 tokens.")]);
    expect(byMessage.status === 'failed' && byMessage.evidence.contextOverflow).toBe(true);
  });

  it('does not fail an overflow OpenCode recovered from by compacting, and counts the compactions', () => {
    const compaction = { type: 'compaction' as const, auto: true, overflow: true, tokensBefore: 30_000, tokensAfter: 9_000, summary: '## Objective', atMs: 20 };
    const recovered = judgeAgentHealth([{ ...sessionError('ContextOverflowError', 'prompt too long'), atMs: 10 }, compaction, assistantText('Done.')]);
    expect(recovered).toMatchObject({ status: 'passed', evidence: { contextOverflow: false, compactions: 1, recoveredOverflows: 1 } });
    const notRecovered = judgeAgentHealth([compaction, { ...sessionError('ContextOverflowError', 'prompt too long'), atMs: 30 }]);
    expect(notRecovered).toMatchObject({ status: 'failed', evidence: { contextOverflow: true } });
    const tooLarge = judgeAgentHealth([{ ...sessionError('ContextOverflowError', 'Session too large to compact'), atMs: 10 }, compaction]);
    expect(tooLarge.status).toBe('failed');
  });

  it('fails on a compaction loop the harness stopped', () => {
    const result = judgeAgentHealth([sessionError('CompactionLoop', 'turn 1: context overflow — OpenCode compacted the conversation 3 times in a row')]);
    expect(result).toMatchObject({ status: 'failed', evidence: { contextOverflow: true } });
  });

  it('counts a subagent’s tool call apart from its parent’s with the same call id', () => {
    const result = judgeAgentHealth([toolCall('read', { filePath: 'a' }), { ...toolCall('read', { filePath: 'b' }), session: 'ses_child' }]);
    expect(result.status === 'passed' && result.evidence.toolCalls).toBe(2);
  });
});
