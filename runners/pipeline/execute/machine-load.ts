import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** How loaded the harness machine is. */
export interface MachineReading {
  /** Share of CPU time busy since the previous reading (0–1); null on the first. */
  cpuBusy: number | null;
  /** MemAvailable from /proc/meminfo, in MB; null where it cannot be read. */
  availableMemoryMb: number | null;
}

/** A reader whose CPU share covers the time since its previous call. */
export function createMachineLoadReader(): () => MachineReading {
  let previous = cpuTimes();
  return () => {
    const current = cpuTimes();
    const total = current.total - previous.total;
    const busy = total > 0 ? 1 - (current.idle - previous.idle) / total : null;
    previous = current;
    return { cpuBusy: busy, availableMemoryMb: readAvailableMemoryMb() };
  };
}

function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle: cpuIdle, irq } = cpu.times;
    idle += cpuIdle;
    total += user + nice + sys + cpuIdle + irq;
  }
  return { idle, total };
}

function readAvailableMemoryMb(): number | null {
  try {
    const match = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    return match === null ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
}
