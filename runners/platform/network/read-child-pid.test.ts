import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readChildPid } from './prepare-network.ts';

describe("reading bwrap's child pid from its info pipe", () => {
  it('answers at the pid and keeps the pipe open and drained, so bwrap’s later writes do not kill it with SIGPIPE', async () => {
    const info = new PassThrough();
    info.write('{\n    "child-pid": 4242');
    await expect(readChildPid(info)).resolves.toBe(4242);
    // bwrap's next writes: the namespace ids and the closing brace.
    info.write(',\n    "net-namespace": 4026532');
    await new Promise((resolve) => setImmediate(resolve));
    expect(info.destroyed).toBe(false);
    info.end('\n}\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(info.readableEnded).toBe(true);
  });

  it('fails as a containment error when the pipe ends without a pid', async () => {
    const info = new PassThrough();
    info.end('{}');
    await expect(readChildPid(info)).rejects.toThrow(/reported no child pid: \{\}/);
  });
});
