import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import { answerNameError, readDnsQuestion } from './dns-message.ts';

/** A standard query for one name, as a stub resolver sends it. */
function query(name: string, type: number, id = 0x1234): Buffer {
  const labels = name.split('.').map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'latin1')]));
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, ...labels, Buffer.from([0, type >> 8, type & 0xff, 0, 1])]);
}

describe('the DNS catcher', () => {
  it('reads the name and type a query asks for', () => {
    expect(readDnsQuestion(query('Exfil.Example.TEST', 28))).toEqual({ name: 'exfil.example.test', type: 28 });
  });

  it('ignores what is not a query: too short, a response, a broken label', () => {
    expect(readDnsQuestion(Buffer.from([1, 2, 3]))).toBeUndefined();
    const response = query('a.test', 1);
    response[2] = 0x81;
    expect(readDnsQuestion(response)).toBeUndefined();
    expect(readDnsQuestion(Buffer.concat([query('a.test', 1).subarray(0, 12), Buffer.from([200, 1, 2, 3, 4, 5])]))).toBeUndefined();
  });

  it('answers NXDOMAIN with the query’s id and question, which a real resolver takes as "no such name"', async () => {
    const server = createSocket('udp4');
    server.on('message', (packet, from) => {
      const answer = answerNameError(packet);
      if (answer !== undefined) server.send(answer, from.port, from.address);
    });
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', () => resolve()));
    try {
      const resolver = new Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([`127.0.0.1:${server.address().port}`]);
      await expect(resolver.resolve4('exfil.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      const answer = answerNameError(query('a.test', 1, 0xbeef));
      expect(answer?.readUInt16BE(0)).toBe(0xbeef);
      expect((answer?.[3] ?? 0) & 0x0f).toBe(3);
    } finally {
      server.close();
    }
  });
});
