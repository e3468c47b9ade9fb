import { accessSync, constants } from 'node:fs';
import { execaSync } from 'execa';
import type { EgressRecorder, NamespaceTools } from '../../core/domain/isolation.ts';

/** Searched by absolute path: the harness's PATH may lack /usr/sbin. */
const TOOL_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

/** The absolute path of a system tool, or undefined when it is not installed. */
export function findSystemTool(name: string): string | undefined {
  return TOOL_DIRS.map((dir) => `${dir}/${name}`).find(isExecutable);
}

/** nsenter (util-linux) and ip (iproute2), or why the namespaces cannot be prepared. */
export function findNamespaceTools(): NamespaceTools | { missing: string } {
  const nsenter = findSystemTool('nsenter');
  const ip = findSystemTool('ip');
  if (nsenter === undefined || ip === undefined) return { missing: `${nsenter === undefined ? 'nsenter (Debian package util-linux)' : 'ip (Debian package iproute2)'} is not installed` };
  return { nsenter, ip };
}

/**
 * The recorder of refused connections: nft and conntrack, checked in a throwaway network namespace
 * (a ruleset that uses conntrack must load, and conntrack must list the table). Without them
 * connections are still refused, but only proxied requests and name lookups are recorded.
 */
export function findEgressRecorder(): EgressRecorder {
  const nft = findSystemTool('nft');
  const conntrack = findSystemTool('conntrack');
  const unshare = findSystemTool('unshare');
  if (nft === undefined || conntrack === undefined) return { kind: 'none', reason: `${nft === undefined ? 'nft' : 'conntrack'} is not installed (Debian packages nftables and conntrack; npm run setup)` };
  if (unshare === undefined) return { kind: 'none', reason: 'unshare (util-linux) is not installed, so the recorder cannot be checked' };
  const script = `echo '${RECORDER_PROBE_RULESET}' | ${nft} -f - && ${conntrack} -L >/dev/null 2>&1`;
  const probe = execaSync(unshare, ['--net', '/bin/sh', '-c', script], { reject: false, timeout: 10_000 });
  if (probe.exitCode !== 0) return { kind: 'none', reason: `nft or conntrack does not work here: ${String(probe.stderr).trim().slice(0, 200) || `exit ${String(probe.exitCode)}`}` };
  return { kind: 'conntrack', nft, conntrack };
}

const RECORDER_PROBE_RULESET = 'table inet harness_probe { chain out { type filter hook output priority 0; ct state new counter; }; }';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
