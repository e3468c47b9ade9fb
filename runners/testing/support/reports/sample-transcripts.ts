import type { TokenUsage, TranscriptEntry } from '../../../core/domain/transcript.ts';

const START_MS = Date.parse('2025-06-02T09:00:05.000Z');

export function makeTokens(input: number, output: number): TokenUsage {
  return { input, output, reasoning: Math.round(output / 4), cacheRead: Math.round(input / 2), cacheWrite: 0 };
}

/** A successful two-turn session holding one entry of nearly every type. */
export function makePassedTranscript(): TranscriptEntry[] {
  return [
    { type: 'user', turnIndex: 0, text: 'Make the holdings table sortable by clicking a column header.', atMs: START_MS },
    { type: 'reasoning', text: 'I should look at HoldingsTable first.\nThen add a compare helper.', atMs: START_MS + 1200 },
    {
      type: 'tool', tool: 'read', callId: 'call_read_1', status: 'completed',
      input: { filePath: 'src/components/HoldingsTable.tsx' },
      output: "export function HoldingsTable({ rows }: Props) {\n  const sorted = rows;\n}", atMs: START_MS + 2100, durationMs: 35,
    },
    {
      type: 'question',
      questions: [{ question: 'Should the default sort be ascending or descending?', options: ['Ascending', 'Descending'] }],
      answers: [['Ascending']], matchedBy: ['sort.*(ascending|descending)'], atMs: START_MS + 4000,
    },
    { type: 'assistant-text', text: 'I will add a `compareBy` helper and sort the rows by the selected key.', atMs: START_MS + 6000 },
    { type: 'permission', permission: 'edit', patterns: ['src/lib/compare-by.ts'], decision: 'once', reason: 'allowed by edit.allow src/**', atMs: START_MS + 6500 },
    {
      type: 'tool', tool: 'write', callId: 'call_write_2', status: 'completed',
      input: { filePath: 'src/lib/compare-by.ts', content: 'export function compareBy() {}' },
      output: 'Wrote file successfully.', atMs: START_MS + 7000, durationMs: 12,
    },
    { type: 'step', tokens: makeTokens(5400, 380), atMs: START_MS + 9000 },
    { type: 'user', turnIndex: 1, text: 'Also keep the sort when the rows refresh.', atMs: START_MS + 12_000 },
    { type: 'assistant-text', text: 'Done: the sort key lives in state, so it survives a refresh.', atMs: START_MS + 31_000 },
    { type: 'step', tokens: makeTokens(6100, 120), atMs: START_MS + 31_500 },
  ];
}

/** A session that wanders outside its allowed paths and meets errors on the way. */
export function makeFailedTranscript(): TranscriptEntry[] {
  return [
    { type: 'user', turnIndex: 0, text: 'Make the holdings table sortable by clicking a column header.', atMs: START_MS },
    { type: 'permission', permission: 'read', patterns: ['.env'], decision: 'reject', reason: 'read.deny matches .env', atMs: START_MS + 900 },
    {
      type: 'tool', tool: 'read', callId: 'call_read_env', status: 'error', input: { filePath: '.env' },
      error: 'The user rejected permission to use this specific tool call.', atMs: START_MS + 1000, durationMs: 4,
    },
    { type: 'retry', attempt: 1, message: 'vLLM returned 503 Service Unavailable', atMs: START_MS + 3000 },
    {
      type: 'tool', tool: 'edit', callId: 'call_edit_pkg', status: 'completed',
      input: { filePath: 'package.json', oldString: '"dependencies": {', newString: '"dependencies": {\n    "lodash": "^4.17.21",' },
      output: 'Edit applied.', atMs: START_MS + 5000, durationMs: 20,
    },
    { type: 'session-error', name: 'ContextOverflowError', message: 'prompt is 33012 tokens, context is 32768', atMs: START_MS + 40_000 },
    { type: 'assistant-text', text: '<tool_call>{"name": "edit", "arguments": {}}</tool_call>', atMs: START_MS + 41_000 },
    { type: 'step', tokens: makeTokens(31_000, 900), atMs: START_MS + 41_500 },
  ];
}

export function makeShortTranscript(text: string): TranscriptEntry[] {
  return [
    { type: 'user', turnIndex: 0, text, atMs: START_MS },
    { type: 'tool', tool: 'bash', callId: 'call_bash_1', status: 'running', input: { command: 'npm test -- --watch' }, atMs: START_MS + 2000 },
  ];
}

export const PASSED_DIFF = `diff --git a/src/components/HoldingsTable.tsx b/src/components/HoldingsTable.tsx
index 3b18e51..a9c2f04 100644
--- a/src/components/HoldingsTable.tsx
+++ b/src/components/HoldingsTable.tsx
@@ -10,5 +10,7 @@ export function HoldingsTable({ rows }: Props) {
   const [sortKey, setSortKey] = useState<SortKey>('symbol');
-  const sorted = rows;
+  const sorted = [...rows].sort((left, right) =>
+    compareBy(sortKey, left, right),
+  );
   return (
     <table>
       <thead>
diff --git a/src/lib/compare-by.ts b/src/lib/compare-by.ts
new file mode 100644
index 0000000..5f1c2aa
--- /dev/null
+++ b/src/lib/compare-by.ts
@@ -0,0 +1,3 @@
+export function compareBy(key: SortKey, left: Row, right: Row): number {
+  return String(left[key]).localeCompare(String(right[key]));
+}
`;

export const FAILED_DIFF = `diff --git a/package.json b/package.json
index 1a2b3c4..5d6e7f8 100644
--- a/package.json
+++ b/package.json
@@ -5,3 +5,4 @@
   "dependencies": {
+    "lodash": "^4.17.21",
     "react": "^19.1.0",
     "react-dom": "^19.1.0"
diff --git a/src/components/HoldingsTable.tsx b/src/components/HoldingsTable.tsx
index 3b18e51..77aa001 100644
--- a/src/components/HoldingsTable.tsx
+++ b/src/components/HoldingsTable.tsx
@@ -11,1 +11,1 @@
-  const sorted = rows;
+  const sorted = sortBy(rows, sortKey);
`;
