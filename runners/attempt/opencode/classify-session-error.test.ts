import { describe, expect, it } from 'vitest';
import { classifySessionError } from './classify-session-error.ts';

describe('classifySessionError', () => {
  it('treats 5xx and connection failures as endpoint infra errors', () => {
    expect(classifySessionError({ name: 'APIError', data: { message: 'Internal Server Error', statusCode: 500, isRetryable: true } })).toMatchObject({
      kind: 'infra',
      source: 'endpoint',
    });
    expect(classifySessionError({ name: 'APIError', data: { message: 'Cannot connect', isRetryable: true } }).kind).toBe('infra');
  });

  it('treats a missing tool parser (HTTP 400) as a serving problem, not the model', () => {
    const result = classifySessionError({
      name: 'APIError',
      data: { message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', statusCode: 400, isRetryable: false },
    });
    expect(result).toMatchObject({ kind: 'infra', source: 'endpoint' });
  });

  it('attributes context overflow and malformed streams to the model', () => {
    expect(classifySessionError({ name: 'ContextOverflowError', data: { message: 'too large' } }).kind).toBe('model');
    expect(
      classifySessionError({ name: 'APIError', data: { message: "This model's maximum context length is 32768 tokens", statusCode: 400 } }).kind,
    ).toBe('model');
    expect(classifySessionError({ name: 'UnknownError', data: { message: "Expected 'function.name' to be a string." } }).kind).toBe('model');
  });

  it('ignores our own aborts', () => {
    expect(classifySessionError({ name: 'MessageAbortedError', data: { message: 'aborted' } })).toEqual({ kind: 'aborted' });
  });
});
