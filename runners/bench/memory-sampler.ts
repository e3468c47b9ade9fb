import { readFileSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';

export interface MemoryPeaks {
  /** Peak resident memory of the harness process. */
  harnessMb: number;
  /** Peak resident memory of the largest OpenCode server seen. */
  opencodeMb: number;
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? 0 : Number(match[1]) / 1024;
  } catch {
    return 0;
  }
}

async function listOpencodePids(): Promise<number[]> {
  const result = await execa('pgrep', ['-x', 'opencode.exe'], { reject: false });
  return String(result.stdout).split('\n').filter((line) => line !== '').map(Number);
}

/** Samples the child's and OpenCode servers' RSS every 250 ms until the child exits. */
export async function sampleMemory(child: ResultPromise): Promise<MemoryPeaks> {
  const peaks: MemoryPeaks = { harnessMb: 0, opencodeMb: 0 };
  let running = true;
  void child.finally(() => {
    running = false;
  });
  while (running) {
    if (child.pid !== undefined) peaks.harnessMb = Math.max(peaks.harnessMb, rssMb(child.pid));
    for (const pid of await listOpencodePids()) peaks.opencodeMb = Math.max(peaks.opencodeMb, rssMb(pid));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return peaks;
}
