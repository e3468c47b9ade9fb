/**
 * Text handed to promptfoo comes partly from the model (its messages, the files it wrote, the
 * compiler's view of them). promptfoo prints it in a terminal table and shows it in its web
 * viewer, so control characters — terminal escape sequences above all — are made visible
 * instead of being passed through. Markup stays as text: the viewer renders it escaped.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/g;

/** Replaces every control character but newline and tab with a visible `\u{…}` escape. */
export function neutralizeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (character) => `\\u{${character.codePointAt(0)?.toString(16) ?? ''}}`);
}

/**
 * A Markdown code block whose fence is longer than any backtick run inside, so the content
 * cannot close it early when promptfoo's viewer renders Markdown.
 */
export function fenceCode(text: string, language: string): string {
  const longestRun = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${text.endsWith('\n') ? text : `${text}\n`}${fence}`;
}
