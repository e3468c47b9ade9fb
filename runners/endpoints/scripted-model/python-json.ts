/**
 * Serializes like Python's `json.dumps(value, ensure_ascii=False)`: `", "` between items and
 * `": "` after keys. vLLM's tool parsers produce tool-call arguments this way, and models such
 * as Qwen write their `<tool_call>` JSON in the same style.
 */
export function formatJsonLikePython(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => formatJsonLikePython(item)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${formatJsonLikePython(item)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
