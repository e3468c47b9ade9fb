import { describe, expect, it } from 'vitest';
import { collectKnownSecrets, createRedactor, isSecretLookingName } from './redact.ts';

describe('secret-looking names', () => {
  it.each(['OPENAI_API_KEY', 'GH_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'MYSQL_PASSWD', 'APIKEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'BASIC_AUTH', 'SESSION_COOKIE', 'SSH_PRIVATE', 'holdout_key'])('%s looks secret', (name) => {
    expect(isSecretLookingName(name)).toBe(true);
  });

  it.each(['PATH', 'HOME', 'GIT_AUTHOR_NAME', 'LANG', 'KEYBOARD_LAYOUT', 'TOKENIZER'])('%s does not', (name) => {
    expect(isSecretLookingName(name)).toBe(false);
  });
});

describe('the secrets of a run', () => {
  it('are the targets’ keys and the removed host variables with secret-looking names, each at least 8 characters', () => {
    const secrets = collectKnownSecrets({
      named: { HOLDOUT_KEY: 'sk-holdout-123456', SHORT_KEY: 'abc' },
      env: { CLOUD_TOKEN: 'cloud-token-value', PATH: '/usr/bin:/bin', TINY_SECRET: 'x', TZ_SECRET: 'kept-through-1', HOLDOUT_KEY: 'sk-holdout-123456' },
      passedThrough: ['TZ_SECRET'],
    });
    expect(secrets).toEqual([
      { name: 'HOLDOUT_KEY', value: 'sk-holdout-123456' },
      { name: 'CLOUD_TOKEN', value: 'cloud-token-value' },
    ]);
  });
});

describe('redaction', () => {
  const redactor = createRedactor([
    { name: 'HOLDOUT_KEY', value: 'sk-holdout-123456' },
    { name: 'QUOTED_SECRET', value: 'pa"ss<word>&1' },
  ]);

  it('replaces every occurrence by a marker naming the variable', () => {
    expect(redactor.redactText('HOLDOUT_KEY=sk-holdout-123456 and again sk-holdout-123456')).toBe('HOLDOUT_KEY=[redacted HOLDOUT_KEY] and again [redacted HOLDOUT_KEY]');
  });

  it('finds a value as JSON, HTML and URLs encode it', () => {
    const raw = 'pa"ss<word>&1';
    for (const text of [raw, JSON.stringify({ a: raw }), 'pa&quot;ss&lt;word&gt;&amp;1', `?q=${encodeURIComponent(raw)}`]) {
      expect(redactor.redactText(text), text).not.toContain('ss<word>');
      expect(redactor.redactText(text), text).not.toContain('ss&lt;word');
      expect(redactor.redactText(text), text).not.toContain('ss%3Cword');
      expect(redactor.redactText(text)).toContain('[redacted QUOTED_SECRET]');
    }
  });

  it('redacts every string of a value, and says which secrets a text holds', () => {
    const value = { transcript: [{ output: 'key sk-holdout-123456' }], count: 3, nested: { ok: null } };
    expect(redactor.redactValue(value)).toEqual({ transcript: [{ output: 'key [redacted HOLDOUT_KEY]' }], count: 3, nested: { ok: null } });
    expect(value.transcript[0]?.output).toBe('key sk-holdout-123456');
    expect(redactor.findSecrets('nothing here')).toEqual([]);
    expect(redactor.findSecrets('x sk-holdout-123456 y')).toEqual(['HOLDOUT_KEY']);
    expect(redactor.names).toEqual(['HOLDOUT_KEY', 'QUOTED_SECRET']);
  });
});
