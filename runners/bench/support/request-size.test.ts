import { describe, expect, it } from 'vitest';
import { measureRequest } from './request-size.ts';

describe('the size of a recorded model request', () => {
  it('counts every system message (string or parts), the tool definitions and the tools offered', () => {
    const tools = [{ type: 'function', function: { name: 'read' } }, { type: 'function', function: { name: 'edit' } }];
    const body = JSON.stringify({
      messages: [
        { role: 'system', content: 'abcd' },
        { role: 'system', content: [{ type: 'text', text: 'efgh' }] },
        { role: 'user', content: 'not counted' },
      ],
      tools,
    });
    const toolChars = JSON.stringify(tools).length;
    expect(measureRequest(body)).toEqual({ systemChars: 8, toolChars, tools: 2, approxTokens: Math.round((8 + toolChars) / 4) });
  });

  it('reads a request without tools as none', () => {
    expect(measureRequest(JSON.stringify({ messages: [] }))).toEqual({ systemChars: 0, toolChars: 0, tools: 0, approxTokens: 0 });
  });
});
