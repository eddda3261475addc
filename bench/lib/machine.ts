/** Describes the machine a run came from: cores, CPU model, memory, Node and Chromium versions. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** Where the figures were measured. */
export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  chromium: string | null;
  platform: string;
  loadAverage1m: number | null;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

function nproc(): number {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    return cpus().length;
  }
}

function chromiumVersion(path: string): string | null {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return null;
  }
}

function loadAverage(): number | null {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

/** Collects the machine description (runs `chromium --version` once). */
export function machineInfo(chromiumPath: string): MachineInfo {
  return {
    nproc: nproc(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    chromium: chromiumVersion(chromiumPath),
    platform: `${process.platform} ${process.arch}`,
    loadAverage1m: loadAverage(),
  };
}

/** The 1-minute load average now (to show how busy the shared machine was). */
export function currentLoad(): number | null {
  return loadAverage();
}
