// What the machine was and how busy it was: the benchmark machines are shared, so every table says
// so next to its figures.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
  };
}

/** The 1-, 5- and 15-minute load averages, as `uptime` prints them. */
export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** Peak resident set size of another process on this host (Linux), in MB; null when unreadable. */
export function peakRssOfPid(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

// USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK).
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) another process on this host has used so far; null when unreadable. */
export function cpuSecondsOfPid(pid: number): number | null {
  const t = cpuTimesOfPid(pid);
  return t && t.user + t.system;
}

/** User and system (kernel: socket writes, page faults) CPU seconds of another process; null when unreadable. */
export function cpuTimesOfPid(pid: number): { user: number; system: number } | null {
  try {
    // Fields after the command name; utime and stime are the 14th and 15th of the whole line.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { user: Number(fields[11]) / CLOCK_TICKS_PER_SECOND, system: Number(fields[12]) / CLOCK_TICKS_PER_SECOND };
  } catch {
    return null;
  }
}
