import type { TextToolCall } from '../../core/domain/check-result.ts';
import { truncateText } from './format-text.ts';

const MAX_EXCERPT_CHARS = 240;

interface TextToolCallPattern {
  name: string;
  regex: RegExp;
}

/**
 * Tool calls a model wrote as text instead of structured `tool_calls` (OpenCode does not parse
 * them, so nothing runs). Tag forms first: a JSON call inside a tag is reported once, as the tag.
 */
const TAG_PATTERNS: readonly TextToolCallPattern[] = [
  { name: '<tool_call>', regex: /<tool_call>[\s\S]*?(?:<\/tool_call>|$)/g },
  { name: '<tools>', regex: /<tools>[\s\S]*?(?:<\/tools>|$)/g },
  { name: '<function_call>', regex: /<function_call>[\s\S]*?(?:<\/function_call>|$)/g },
  { name: '<function=…>', regex: /<function=[\w.-]+>[\s\S]*?(?:<\/function>|$)/g },
];

/** `{"name": "write", "arguments": {…}}` (or `parameters`), in a fenced block or bare. */
const JSON_CALL = /\{\s*"name"\s*:\s*"[\w.-]+"\s*,\s*"(?:arguments|parameters)"\s*:/g;
const FENCED_BLOCK = /```[\w-]*\n[\s\S]*?(?:```|$)/g;

/** Finds text-form tool calls in one assistant text. */
export function detectTextToolCalls(text: string): TextToolCall[] {
  const found: Array<TextToolCall & { index: number }> = [];
  const claimed: Array<[number, number]> = [];
  for (const pattern of TAG_PATTERNS) {
    for (const match of text.matchAll(pattern.regex)) {
      claimed.push([match.index, match.index + match[0].length]);
      found.push({ index: match.index, pattern: pattern.name, excerpt: truncateText(match[0].trim(), MAX_EXCERPT_CHARS) });
    }
  }
  const fences = [...text.matchAll(FENCED_BLOCK)].map((match): [number, number] => [match.index, match.index + match[0].length]);
  for (const match of text.matchAll(JSON_CALL)) {
    if (isInside(claimed, match.index)) continue;
    const fence = fences.find(([start, end]) => match.index >= start && match.index < end);
    const excerpt = fence === undefined ? text.slice(match.index) : text.slice(fence[0], fence[1]);
    found.push({ index: match.index, pattern: fence === undefined ? 'bare-json' : 'fenced-json', excerpt: truncateText(excerpt.trim(), MAX_EXCERPT_CHARS) });
  }
  return found.sort((a, b) => a.index - b.index).map(({ excerpt, pattern }) => ({ excerpt, pattern }));
}

function isInside(ranges: ReadonlyArray<[number, number]>, index: number): boolean {
  return ranges.some(([start, end]) => index >= start && index < end);
}
