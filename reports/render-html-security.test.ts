import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_FILES } from './page-script.ts';
import { renderHtmlReport } from './render-html.ts';
import { HOSTILE_PAYLOADS, TEMPLATE_PAYLOAD, createHostileSummary } from '../runners/testing/support/reports/hostile-summary.ts';

function renderHostile(): string {
  return renderHtmlReport(createHostileSummary())[0]?.contents ?? '';
}

function decodeAttribute(value: string): string {
  return value.replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe('renderHtmlReport with hostile model output', () => {
  const html = renderHostile();

  it('contains no hostile payload unescaped', () => {
    for (const payload of HOSTILE_PAYLOADS) expect(html).not.toContain(payload);
  });

  it('contains no markup the model wrote', () => {
    expect(html.match(/<script\b/gi)).toHaveLength(2);
    expect(html.match(/<\/script>/gi)).toHaveLength(2);
    expect(html.match(/<\/style>/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<(img|svg|iframe|a|details|link|base|meta)\b[^>]*\s(on\w+|srcdoc)\s*=/i);
    expect(html).not.toMatch(/<[a-z]+\b[^>]*\s(href|src|action)\s*=\s*["']?(javascript|https?):/i);
    expect(html).not.toMatch(/<b onmouseover/i);
    expect(html).not.toMatch(/\son(error|load|mouseover|toggle)=/i);
    expect(html).not.toMatch(/<base\b/i);
    expect(html.match(/<meta\b/gi)).toHaveLength(5);
  });

  it('shows the payloads as text, escaped', () => {
    expect(html).toContain('&lt;script&gt;window.__pwned&#x3D;1;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;window.__pwned&#x3D;3;alert(3)&lt;/script&gt;');
  });

  it('never evaluates template syntax found in data', () => {
    expect(html).toContain(TEMPLATE_PAYLOAD);
    expect(html).toContain('{{constructor.constructor &quot;alert(8)&quot;}}');
    expect(html).not.toMatch(/native code|function Object/);
  });

  it('keeps the data block unable to end its element, U+2028 included', () => {
    const block = /<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(block.length).toBeGreaterThan(1000);
    expect(block).not.toMatch(/[<>\u2028\u2029]/);
  });

  it('forbids every load and every script but its own, by hash', () => {
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(policy).toBeDefined();
    const decoded = decodeAttribute(policy ?? '');
    expect(decoded).toContain("default-src 'none'");
    expect(decoded).toContain("base-uri 'none'");
    expect(decoded).not.toContain('unsafe-eval');
    expect(decoded).not.toMatch(/script-src[^;]*unsafe-inline/);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(decoded).toContain(`script-src 'sha256-${hash}'`);
  });
});

describe('the view', () => {
  it('templates never insert a value unescaped', () => {
    const directory = path.join(import.meta.dirname, 'templates');
    const templates = readdirSync(directory).filter((file) => file.endsWith('.hbs'));
    expect(templates.length).toBeGreaterThan(5);
    for (const file of templates) {
      expect({ file, raw: readFileSync(path.join(directory, file), 'utf8').includes('{{{') }).toEqual({ file, raw: false });
    }
  });

  it('the page script never parses markup or evaluates text', () => {
    const forbidden = /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setTimeout\(\s*['"`]|createContextualFragment|DOMParser|srcdoc|javascript:/;
    for (const file of CLIENT_FILES) {
      const source = readFileSync(path.join(import.meta.dirname, 'client', file), 'utf8');
      expect({ file, match: forbidden.exec(source)?.[0] ?? null }).toEqual({ file, match: null });
    }
  });
});
