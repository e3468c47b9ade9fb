/**
 * The second wall around secrets: whatever the harness writes (event log, summary, reports,
 * cassettes, exports) passes through one Redactor, which replaces every known secret value by
 * `[redacted NAME]`. The first wall is that no secret reaches the agent at all.
 */

/** A secret value and the variable it came from. */
export interface KnownSecret {
  name: string;
  value: string;
}

export interface Redactor {
  /** The names of the secrets it knows (never their values). */
  readonly names: readonly string[];
  /** The text with every known secret value replaced by `[redacted NAME]`. */
  redactText(text: string): string;
  /** A JSON-like value with every string in it redacted (objects and arrays are copied). */
  redactValue<T>(value: T): T;
  /** The names of the secrets whose values occur in the text. */
  findSecrets(text: string): string[];
}

/** Values shorter than this are not treated as secrets: they would redact ordinary words. */
export const MIN_SECRET_CHARS = 8;

/** Words that make a variable's name look secret, matched against its `_`-separated parts. */
const SECRET_WORDS = ['KEY', 'TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'CREDENTIAL', 'AUTH', 'COOKIE', 'SESSION', 'PRIVATE'] as const;

/**
 * Whether a variable's name looks secret: one of its parts (split at `_`) is, or ends with, KEY,
 * TOKEN, SECRET, PASSWORD, PASSWD, CREDENTIAL, AUTH, COOKIE, SESSION or PRIVATE (a plural `S`
 * allowed), case-insensitively: `OPENAI_API_KEY`, `GH_TOKEN`, `AWS_SECRET_ACCESS_KEY`,
 * `DB_PASSWORD`, `APIKEY`, `GOOGLE_APPLICATION_CREDENTIALS` do; `GIT_AUTHOR_NAME`, `PATH` do not.
 */
export function isSecretLookingName(name: string): boolean {
  return name
    .toUpperCase()
    .split('_')
    .some((part) => SECRET_WORDS.some((word) => part.endsWith(word) || part.endsWith(`${word}S`)));
}

export interface RunSecretsInput {
  /** Variables named by the run's targets (`apiKeyEnv`), with their values. */
  named: Readonly<Record<string, string>>;
  /** The harness's own environment. */
  env: Readonly<Record<string, string | undefined>>;
  /** Variables the scrubbed environment passes through (not removed, so not secret). */
  passedThrough?: readonly string[] | undefined;
}

/**
 * The secrets of a run: every key named by a target, and the value of every host variable the
 * scrubbed environment removes whose name looks secret — each only when at least
 * MIN_SECRET_CHARS long.
 */
export function collectKnownSecrets(input: RunSecretsInput): KnownSecret[] {
  const kept = new Set(input.passedThrough ?? []);
  const secrets = new Map<string, string>();
  for (const [name, value] of Object.entries(input.named)) secrets.set(name, value);
  for (const [name, value] of Object.entries(input.env)) {
    if (value !== undefined && !kept.has(name) && !secrets.has(name) && isSecretLookingName(name)) secrets.set(name, value);
  }
  return [...secrets.entries()].filter(([, value]) => value.length >= MIN_SECRET_CHARS).map(([name, value]) => ({ name, value }));
}

/**
 * A redactor for these secrets. Each value is also matched as JSON, HTML and URL encoding write
 * it, so that a key inside an embedded JSON string or an escaped attribute is found too. Longer
 * values are replaced first, so a secret that contains another is named by itself.
 */
export function createRedactor(secrets: readonly KnownSecret[]): Redactor {
  const forms = secrets
    .flatMap((secret) => encodedForms(secret.value).map((form) => ({ name: secret.name, form })))
    .sort((a, b) => b.form.length - a.form.length);
  const names = [...new Set(secrets.map((secret) => secret.name))];
  const redactText = (text: string): string => {
    let result = text;
    for (const { name, form } of forms) if (result.includes(form)) result = result.split(form).join(`[redacted ${name}]`);
    return result;
  };
  const redactValue = <T>(value: T): T => (forms.length === 0 ? value : (redactDeep(value, redactText) as T));
  return {
    names,
    redactText,
    redactValue,
    findSecrets: (text) => [...new Set(forms.filter(({ form }) => text.includes(form)).map(({ name }) => name))],
  };
}

/** A redactor that knows no secret (tests, and readers of old runs). */
export const NO_REDACTION: Redactor = createRedactor([]);

function encodedForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const html = value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
  return [...new Set([value, json, html, encodeURIComponent(value)])];
}

function redactDeep(value: unknown, redactText: (text: string) => string): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactText));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redactText)]));
  }
  return value;
}
