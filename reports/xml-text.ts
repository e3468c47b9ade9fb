/**
 * XML 1.0 escaping for untrusted text (model output, paths, messages). Characters XML cannot
 * carry at all — C0 controls but tab/newline/return, lone surrogates, U+FFFE/U+FFFF — are
 * replaced by a visible `\uXXXX`, so a report stays well-formed whatever the model wrote.
 */
export function escapeXmlText(text: string): string {
  return replaceIllegal(text).replace(/[&<>]/g, (char) => XML_ENTITIES[char] ?? char);
}

/** Attribute values: also quotes, and tab/newline/return as character references (not normalised away). */
export function escapeXmlAttribute(text: string): string {
  return replaceIllegal(text).replace(/[&<>"'\t\n\r]/g, (char) => XML_ENTITIES[char] ?? char);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function replaceIllegal(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** Cuts long text at a character boundary, saying how much was left out. */
export function truncateForReport(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
  const cut = text.slice(0, end);
  return `${cut}… [${text.length - cut.length} more characters]`;
}
