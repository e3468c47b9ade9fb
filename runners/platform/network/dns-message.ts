/**
 * The sandbox's only name server, as far as DNS goes: every query is answered NXDOMAIN, and the
 * name asked for is recorded. Clients that honour the proxy variables never ask (the proxy gets
 * the name); this catches those that do not, so a refused connection still says where it was
 * meant to go.
 */

export interface DnsQuestion {
  /** The name asked for, lower-case, without the trailing dot. */
  name: string;
  /** 1 = A, 28 = AAAA, … */
  type: number;
}

/** The question of a DNS query, or undefined when the packet is not one. */
export function readDnsQuestion(packet: Buffer): DnsQuestion | undefined {
  if (packet.length < 17 || (packet[2] ?? 0) & 0x80) return undefined;
  const questions = packet.readUInt16BE(4);
  if (questions < 1) return undefined;
  const labels: string[] = [];
  let offset = 12;
  for (;;) {
    const length = packet[offset];
    if (length === undefined || length > 63) return undefined;
    if (length === 0) break;
    labels.push(packet.subarray(offset + 1, offset + 1 + length).toString('latin1'));
    offset += length + 1;
  }
  if (offset + 5 > packet.length) return undefined;
  return { name: labels.join('.').toLowerCase(), type: packet.readUInt16BE(offset + 1) };
}

/** NXDOMAIN for the query's first question (header and question echoed, no records). */
export function answerNameError(query: Buffer): Buffer | undefined {
  if (readDnsQuestion(query) === undefined) return undefined;
  let offset = 12;
  while (query[offset] !== 0) offset += (query[offset] ?? 0) + 1;
  const questionEnd = offset + 5;
  const header = Buffer.from(query.subarray(0, 12));
  const recursionDesired = (query[2] ?? 0) & 0x01;
  header[2] = 0x80 | recursionDesired;
  // Recursion available, rcode 3 (NXDOMAIN).
  header[3] = 0x83;
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(0, 6);
  header.writeUInt16BE(0, 8);
  header.writeUInt16BE(0, 10);
  return Buffer.concat([header, query.subarray(12, questionEnd)]);
}
