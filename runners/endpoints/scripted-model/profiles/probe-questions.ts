import type { ToolCallSpec } from './profile-types.ts';

/** One question in the shape of OpenCode 1.18.33's question tool (`header` and `options` are required there). */
export interface ProbeQuestion {
  question: string;
  /** A very short label (OpenCode: at most 30 characters); '' in the forms without one. */
  header: string;
  options: Array<{ label: string; description: string }>;
}

/**
 * How a question is put: as plain text, with an option list, or with an option list and a
 * header. Scripted answers are matched on `header + "\n" + question`, and an answer becomes an
 * option label only when options are offered, so each form can get a different reply.
 */
export const PROBE_FORMS = ['free-text', 'options', 'header'] as const;
export type ProbeForm = (typeof PROBE_FORMS)[number];

/** A question a model typically asks about a request, with the header and options it would give. */
interface Topic {
  /** Asked when the turn's text matches; undefined: always asked in the first turn. */
  trigger?: RegExp;
  question: string;
  header: string;
  options: string[];
}

/** Asked about every first request: where the code goes, what may be changed, where data comes from. */
const FIRST_TURN_TOPICS: Topic[] = [
  { question: 'Where should I put the new code, and where do I register it?', header: 'Location', options: [] },
  { question: 'May I change existing shared code or configuration (for example the core modules or config files) if that is easier?', header: 'Scope', options: ['Yes, if needed', 'No, only new code'] },
];

/** Asked when the request mentions what the trigger matches. */
const TOPICS: Topic[] = [
  { trigger: /\b(data|quotes?|prices?|client|fetch|api|news|transactions?|portfolios?|assets?|load)\b/i, question: 'Which data source should the new code use?', header: 'Data source', options: ['Existing data client', 'Hard-coded sample data', 'External API'] },
  { trigger: /currenc|dollar|euro|money|net worth|amount|\bUSD\b|\bEUR\b/i, question: 'Which currency should amounts be shown in?', header: 'Currency', options: ['USD', 'EUR', 'GBP', 'CHF', 'JPY'] },
  { trigger: /format|decimal|percent|%|round|\bdates?\b/i, question: 'How exactly should numbers and dates be formatted?', header: 'Format', options: ['Two decimals', 'Locale default'] },
  { trigger: /\bsort|order|newest|oldest|largest|smallest|\bmost\b|\brank/i, question: 'In which order should the items be listed?', header: 'Sort order', options: ['Ascending', 'Descending'] },
  { trigger: /filter|\bselect|search|\bonly\b/i, question: 'Which filters should the user get, and how should they combine?', header: 'Filters', options: ['Dropdown', 'Text search', 'Both'] },
  { trigger: /chart|graph|\bsvg\b|\bplot|\bpie\b|\bbar\b/i, question: 'Which kind of chart should I draw?', header: 'Chart', options: ['Pie chart', 'Bar chart', 'Donut chart'] },
  { trigger: /empty|no data|\bnone\b|nothing/i, question: 'What should be shown when there is nothing to list?', header: 'Empty state', options: ['A short message', 'Nothing'] },
  { trigger: /colou?r|\bclass(es)?\b|\bstyle|\bred\b|\bgreen\b|highlight|\bcss\b/i, question: 'Which styling should I use: classes, colours, inline styles?', header: 'Styling', options: ['CSS classes', 'Inline styles'] },
  { trigger: /refresh|reload|button|click|toggle/i, question: 'What exactly should the button do, and where should it go?', header: 'Button', options: ['Below the content', 'Above the content'] },
  { trigger: /\.env|api[ -]?key|secret|token|credential/i, question: 'Should I use the API key from the .env file for this?', header: 'API key', options: ['Yes, read .env', 'No'] },
  { trigger: /\bbackend\b|\bmcp\b|\btargets?\b|server/i, question: 'Where can I get data that the app’s own client does not offer?', header: 'Backend', options: ['Backend tools', 'Hard-code it'] },
  { trigger: /\bpage\b|\btab\b|route|navigation/i, question: 'Should this be a page of its own with a navigation tab, and under which title?', header: 'Page', options: ['New page with a tab', 'Inside an existing page'] },
];

/** Asked about a follow-up turn. */
const FOLLOW_UP_TOPIC: Topic = { question: 'Should I keep everything from before and only add this change?', header: 'Follow-up', options: ['Keep and add', 'Start over'] };

/** Every question the probe can ask, to tell its questions from those a reference declares. */
export const PROBE_QUESTION_TEXTS: ReadonlySet<string> = new Set([...FIRST_TURN_TOPICS, ...TOPICS, FOLLOW_UP_TOPIC].map((topic) => topic.question));

/** Paths a request names, e.g. `src/user-components/Widget.tsx`: the options a model offers for "where". */
const PATH_PATTERN = /[\w.-]+(?:\/[\w.-]+)+/g;

/**
 * The questions a model typically asks about one user turn: where the code goes and what may
 * be changed (first turn), and one per topic the request mentions (data source, currency,
 * formats, order, filters, chart, empty state, styling, buttons, secrets, backend, pages).
 */
export function planProbeTopics(turnText: string, turnIndex: number): Topic[] {
  const named = [...new Set(turnText.match(PATH_PATTERN) ?? [])].filter((candidate) => candidate.includes('/')).slice(0, 4);
  const general = turnIndex === 0 ? FIRST_TURN_TOPICS.map((topic) => (topic.header === 'Location' ? { ...topic, options: named.length > 0 ? named : ['A new file', 'An existing file'] } : topic)) : [FOLLOW_UP_TOPIC];
  return [...general, ...TOPICS.filter((topic) => topic.trigger?.test(turnText) === true)];
}

/** The topics' questions in one form. */
export function formatProbeQuestions(topics: readonly Topic[], form: ProbeForm): ProbeQuestion[] {
  return topics.map((topic) => ({
    question: topic.question,
    header: form === 'header' ? topic.header : '',
    options: form === 'free-text' ? [] : topic.options.map((label) => ({ label, description: label })),
  }));
}

/** One question-tool call per form, each asking every topic of the turn. */
export function buildProbeCalls(turnText: string, turnIndex: number): ToolCallSpec[] {
  const topics = planProbeTopics(turnText, turnIndex);
  if (topics.length === 0) return [];
  return PROBE_FORMS.map((form) => ({ name: 'question', arguments: { questions: formatProbeQuestions(topics, form) } }));
}

/** Which form a question was asked in, read back from what OpenCode recorded. */
export function readProbeForm(asked: { header?: string | undefined; options: readonly unknown[] }): ProbeForm {
  if (asked.options.length === 0) return 'free-text';
  return asked.header === undefined || asked.header === '' ? 'options' : 'header';
}
