// Who is doing a change: a pid plus, where the system tells it, that process's start time, so a
// lock or journal intent left by a dead process is told apart from one whose pid was reused.
import { readFileSync } from 'node:fs';

export interface ProcessOwner {
  pid: number;
  /** Start time as the kernel counts it (Linux: clock ticks since boot); null where it cannot be read. */
  start: string | null;
}

/** The start time of `pid`, or null when this system does not tell (no /proc) or the pid is gone. */
export function processStart(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or ")"; fields count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export function currentOwner(): ProcessOwner {
  return { pid: process.pid, start: processStart(process.pid) };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * 'dead' only when provably so: the pid is gone, or it runs but started at another time than the
 * owner recorded (the pid was reused). 'alive' when it runs and the start time matches;
 * 'unknown' when it runs and no start time can be compared.
 */
export function ownerState(owner: ProcessOwner): 'alive' | 'dead' | 'unknown' {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return 'unknown';
  if (!pidAlive(owner.pid)) return 'dead';
  const now = processStart(owner.pid);
  if (owner.start === null || now === null) return 'unknown';
  return now === owner.start ? 'alive' : 'dead';
}

/** The command line of a running pid, for naming a lock's holder (Linux only; null elsewhere). */
export function processCommand(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return text.slice(0, 120) || null;
  } catch {
    return null;
  }
}
