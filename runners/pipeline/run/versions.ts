import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { resolveOpencodeBinary } from '../../attempt/opencode/opencode-server.ts';
import { PROJECT_ROOT } from '../../core/project-root.ts';

export function readHarnessVersion(): string {
  const file = path.join(PROJECT_ROOT, 'package.json');
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed ? String(parsed.version) : 'unknown';
}

let knownOpencodeVersion: string | undefined;

/** OpenCode's version, asked once per process (starting the binary takes seconds on a busy machine); 'unknown' is asked again. */
export async function readOpencodeVersion(): Promise<string> {
  if (knownOpencodeVersion !== undefined) return knownOpencodeVersion;
  const version = await askOpencodeVersion();
  if (version !== 'unknown') knownOpencodeVersion = version;
  return version;
}

async function askOpencodeVersion(): Promise<string> {
  const result = await execa(resolveOpencodeBinary(), ['--version'], {
    reject: false,
    timeout: 15_000,
    env: { HOME: '/nonexistent', PATH: '/usr/bin:/bin' },
    extendEnv: false,
  });
  return result.exitCode === 0 ? String(result.stdout).trim() : 'unknown';
}
