import { describe, expect, it } from 'vitest';
import { createConntrackTracker, parseConntrackEvents } from './conntrack-tracker.ts';

/** Real `conntrack -E -o timestamp,id` output from a sandbox's namespace. */
const EVENTS = [
  '[1796407080.544494]\t    [NEW] udp      17 30 src=10.9.8.7 dst=10.9.8.7 sport=41083 dport=5353 [UNREPLIED] src=10.9.8.7 dst=10.9.8.7 sport=5353 dport=41083 id=3696904123',
  '[1796407081.012922]\t    [NEW] tcp      6 120 SYN_SENT src=::1 dst=::1 sport=39264 dport=8443 [UNREPLIED] src=::1 dst=::1 sport=8443 dport=39264 id=1358429242',
  '[1796407081.013026]\t[DESTROY] tcp      6 120 CLOSE src=::1 dst=::1 sport=39264 dport=8443 [UNREPLIED] src=::1 dst=::1 sport=8443 dport=39264 id=1358429242',
  '[1796407081.359677]\t    [NEW] tcp      6 120 SYN_SENT src=127.0.0.1 dst=127.0.0.1 sport=33260 dport=7777 [UNREPLIED] src=127.0.0.1 dst=127.0.0.1 sport=7777 dport=33260 id=216804179',
  '[1796407081.359765]\t [UPDATE] tcp      6 60 SYN_RECV src=127.0.0.1 dst=127.0.0.1 sport=33260 dport=7777 src=127.0.0.1 dst=127.0.0.1 sport=7777 dport=33260 id=216804179',
  '[1796407081.359772]\t [UPDATE] tcp      6 432000 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=33260 dport=7777 src=127.0.0.1 dst=127.0.0.1 sport=7777 dport=33260 [ASSURED] id=216804179',
  '[1796407081.373761]\t [UPDATE] tcp      6 120 TIME_WAIT src=127.0.0.1 dst=127.0.0.1 sport=33260 dport=7777 src=127.0.0.1 dst=127.0.0.1 sport=7777 dport=33260 [ASSURED] id=216804179',
  'conntrack v1.4.7 (conntrack-tools): 9 flow events have been shown.',
];

describe('conntrack events', () => {
  it('are the refused flows: TCP never established, UDP never answered; a connection between the sandbox’s own processes is not one', () => {
    expect(parseConntrackEvents(EVENTS.join('\n'))).toEqual([
      { at: '2026-12-04T17:58:00.544Z', via: 'connection', host: '10.9.8.7', port: 5353, protocol: 'udp' },
      { at: '2026-12-04T17:58:01.012Z', via: 'connection', host: '::1', port: 8443, protocol: 'tcp' },
    ]);
  });

  it('streams in chunks cut anywhere, and a take leaves younger flows for the next one', () => {
    const tracker = createConntrackTracker();
    const text = `${EVENTS.join('\n')}\n`;
    for (let offset = 0; offset < text.length; offset += 37) tracker.push(text.slice(offset, offset + 37));
    expect(tracker.take(Date.parse('2026-12-04T17:58:01.000Z')).map((flow) => flow.port)).toEqual([5353]);
    expect(tracker.take(Date.parse('2026-12-04T17:58:01.000Z'))).toEqual([]);
    expect(tracker.take(Number.POSITIVE_INFINITY).map((flow) => flow.port)).toEqual([8443]);
  });

  it('counts a flow seen only as NEW as refused once it is old enough to have been answered', () => {
    const tracker = createConntrackTracker();
    tracker.push(`${EVENTS[3] ?? ''}\n`);
    expect(tracker.take(Number.POSITIVE_INFINITY)).toEqual([expect.objectContaining({ port: 7777 })]);
  });
});
