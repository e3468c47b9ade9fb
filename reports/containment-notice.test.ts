import { describe, expect, it } from 'vitest';
import { GUARANTEES, lostGuarantees, type Isolation } from '../runners/core/domain/isolation.ts';
import { createSampleSummary } from '../runners/testing/support/reports/sample-summary.ts';
import { renderHtmlReport } from './render-html.ts';
import { renderMarkdownSummary } from './render-markdown.ts';

const CONTAINED: Isolation = {
  kind: 'bubblewrap',
  binary: '/usr/bin/bwrap',
  namespace: { nsenter: '/usr/bin/nsenter', ip: '/usr/sbin/ip' },
  egressRecorder: { kind: 'conntrack', nft: '/usr/sbin/nft', conntrack: '/usr/sbin/conntrack' },
};
const UNRECORDED: Isolation = { ...CONTAINED, egressRecorder: { kind: 'none', reason: 'conntrack is not installed' } };
const NONE: Isolation = { kind: 'none', reason: 'isolation: none in the config' };

describe('which guarantees a run lost', () => {
  it('none under full containment; the recording alone without a recorder; every one without bubblewrap or when not recorded', () => {
    expect(lostGuarantees(CONTAINED)).toEqual([]);
    expect(lostGuarantees(UNRECORDED)).toEqual(['egress-recorded']);
    expect(lostGuarantees(NONE)).toEqual(Object.keys(GUARANTEES));
    expect(lostGuarantees(undefined)).toEqual(Object.keys(GUARANTEES));
    // A log written before the network was contained.
    expect(lostGuarantees({ kind: 'bubblewrap', binary: '/usr/bin/bwrap' })).toEqual(['network', 'egress-recorded', 'key-out-of-reach']);
  });

  it('are stated, each in full, at the top of summary.md and report.html — and nothing is said when none was lost', () => {
    const unconfined = { ...createSampleSummary(), isolation: NONE };
    const markdown = renderMarkdownSummary(unconfined)[0]?.contents ?? '';
    const html = renderHtmlReport(unconfined)[0]?.contents ?? '';
    expect(markdown).toContain('**Containment was partial** (isolation none');
    expect(html).toContain('id="containment-banner"');
    for (const text of Object.values(GUARANTEES)) {
      expect(markdown).toContain(text);
      expect(html).toContain(text.replaceAll("'", '&#x27;'));
    }
    const contained = { ...createSampleSummary(), isolation: CONTAINED };
    expect(renderMarkdownSummary(contained)[0]?.contents).not.toContain('Containment was partial');
    expect(renderHtmlReport(contained)[0]?.contents).not.toContain('id="containment-banner"');
  });
});
