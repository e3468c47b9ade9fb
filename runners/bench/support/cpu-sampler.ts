import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds of a harness run, split into the harness itself, its OpenCode servers, and the
 * short-lived tools it runs (the checks, confined by bubblewrap, and git).
 *
 * Method: every 50 ms, /proc/<pid>/stat of every process (clock ticks of utime+stime, each
 * thread included); a process belongs to the run when its parent does (remembered once seen, so
 * a process bubblewrap leaves to init still counts), and to OpenCode when it is `opencode.exe` or
 * below one; the harness is the CLI process itself (the embedded scripted model included). Each
 * process counts with its last sample. Not the parent's cutime: bubblewrap's outer process does
 * not wait for its sandbox's init, so a check's CPU never reaches the harness's cutime. Bias: a
 * process is missed for its last < 50 ms, and one that lives less than that (a git call) is not
 * seen at all, so the checks figure is slightly low.
 */

export interface CpuSample {
  atMs: number;
  /** The harness process itself. */
  harnessS: number;
  /** Every OpenCode server (and what it waited for). */
  opencodeS: number;
  /** Every other process of the run: the checks (under bubblewrap) and git. */
  reapedS: number;
}

const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  selfTicks: number;
  childTicks: number;
}

function readStat(pid: number | string): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    // After ")": state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    return {
      pid: Number(pid),
      ppid: Number(fields[1]),
      comm: text.slice(text.indexOf('(') + 1, close),
      selfTicks: Number(fields[11]) + Number(fields[12]),
      childTicks: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return undefined;
  }
}

/** Samples `pid`'s CPU split until `done` settles. */
export async function sampleCpu(pid: number, done: Promise<unknown>): Promise<CpuSample[]> {
  const samples: CpuSample[] = [];
  const kind = new Map<number, 'harness' | 'opencode' | 'tool'>([[pid, 'harness']]);
  const ticks = new Map<number, number>();
  let running = true;
  void done.finally(() => {
    running = false;
  });
  while (running) {
    const stats = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map((entry) => readStat(entry)).filter((stat) => stat !== undefined);
    // Parents before children: repeat until no new process joins the run.
    let grew = true;
    while (grew) {
      grew = false;
      for (const stat of stats) {
        if (kind.has(stat.pid)) continue;
        const parent = kind.get(stat.ppid);
        if (parent === undefined) continue;
        kind.set(stat.pid, stat.comm === 'opencode.exe' || parent === 'opencode' ? 'opencode' : 'tool');
        grew = true;
      }
    }
    for (const stat of stats) if (kind.has(stat.pid)) ticks.set(stat.pid, stat.selfTicks);
    const sum = (wanted: string) => [...ticks].filter(([id]) => kind.get(id) === wanted).reduce((total, [, value]) => total + value, 0) / TICKS_PER_SECOND;
    samples.push({ atMs: Date.now(), harnessS: sum('harness'), opencodeS: sum('opencode'), reapedS: sum('tool') });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return samples;
}

/** CPU seconds spent between two instants: the nearest samples at or before each. */
export function cpuBetween(samples: readonly CpuSample[], fromMs: number, toMs: number): { harnessS: number; opencodeS: number; checksS: number } {
  const at = (ms: number) => [...samples].reverse().find((sample) => sample.atMs <= ms) ?? samples[0];
  const from = at(fromMs);
  const to = at(toMs);
  if (from === undefined || to === undefined) return { harnessS: 0, opencodeS: 0, checksS: 0 };
  return { harnessS: to.harnessS - from.harnessS, opencodeS: to.opencodeS - from.opencodeS, checksS: to.reapedS - from.reapedS };
}

/** This process's reaped children's CPU seconds (cutime+cstime): wraps a loop whose children all end. */
export function reapedChildrenCpuS(): number {
  return (readStat('self')?.childTicks ?? 0) / TICKS_PER_SECOND;
}
