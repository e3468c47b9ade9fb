import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from './render-html.ts';
import { HOSTILE_PAYLOADS, TEMPLATE_PAYLOAD, createHostileSummary } from './test-support/hostile-summary.ts';

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
    expect(html.match(/<script\b/gi)).toHaveLength(1);
    expect(html.match(/<\/script>/gi)).toHaveLength(1);
    expect(html.match(/<\/style>/gi)).toHaveLength(1);
    expect(html).not.toMatch(/<(img|svg|iframe|a)\b[^>]*(onerror|onload|href=["']?javascript)/i);
    expect(html).not.toMatch(/<b onmouseover/i);
    expect(html).not.toMatch(/\son(error|load|mouseover)=/i);
  });

  it('shows the payloads as text, escaped', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('never evaluates template syntax found in data', () => {
    expect(html).toContain(TEMPLATE_PAYLOAD);
    expect(html).toContain('{{constructor.constructor &quot;alert(8)&quot;}}');
    expect(html).not.toMatch(/native code|function Object/);
  });

  it('escapes hostile text everywhere it appears, diff and file names included', () => {
    const escapedImage = '&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;';
    expect(html).toContain(`<code>src/${escapedImage}.ts</code>`);
    expect(html).toMatch(/<tr class="line-add">.*&lt;\/script&gt;&lt;script&gt;alert\(2\)/);
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

describe('the templates', () => {
  it('never insert a value unescaped', () => {
    const directory = path.join(import.meta.dirname, 'templates');
    const templates = readdirSync(directory).filter((file) => file.endsWith('.hbs'));
    expect(templates.length).toBeGreaterThan(5);
    for (const file of templates) {
      expect({ file, raw: readFileSync(path.join(directory, file), 'utf8').includes('{{{') }).toEqual({ file, raw: false });
    }
  });
});
