// Which processes still work inside a directory: on Linux from /proc/<pid>/cwd and
// /proc/<pid>/fd links, elsewhere from `lsof` (argv, no shell) when it is installed; otherwise
// the answer is "unknown" rather than a guess.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isInside } from './names';

export interface LiveProcess {
  pid: number;
  command: string;
  /** The working directory and open files that tie it to a directory. */
  paths: string[];
}

export interface ProcessScan {
  /** False when this platform gives no way to see other processes' directories. */
  supported: boolean;
  processes: LiveProcess[];
}

/**
 * Synchronous on purpose: a few thousand tiny readlink calls finish several times faster without
 * a thread-pool hop each, and the whole scan takes a few milliseconds.
 */
function linuxScan(): ProcessScan {
  const self = process.pid;
  const processes: LiveProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === self) continue;
    const paths: string[] = [];
    try {
      paths.push(readlinkSync(`/proc/${pid}/cwd`));
    } catch {
      // gone, or not ours to read
    }
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      // not permitted
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('/')) paths.push(target.replace(/ \(deleted\)$/, ''));
      } catch {
        // closed meanwhile
      }
    }
    if (paths.length === 0) continue;
    let command: string;
    try {
      // Our own git children (calls of this very scan) are not "someone working inside".
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === self && /^git/.test(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) continue;
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 200);
      if (!command) command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue; // exited while we looked
    }
    processes.push({ pid, command, paths });
  }
  return { supported: true, processes };
}

function lsof(args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('lsof', args, { timeout: 20_000, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (err, stdout) => {
      // lsof exits 1 when it found nothing to report; anything printed is still the answer.
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') resolve(null);
      else resolve(typeof stdout === 'string' ? stdout : null);
    });
  });
}

/** Parses `lsof -F pcn` output: p<pid>, c<command>, n<name> lines. */
export function parseLsof(text: string): LiveProcess[] {
  const byPid = new Map<number, LiveProcess>();
  let cur: LiveProcess | undefined;
  for (const line of text.split(/\r?\n/)) {
    const tag = line[0];
    const value = line.slice(1);
    if (tag === 'p') {
      const pid = Number(value);
      cur = byPid.get(pid) ?? { pid, command: '', paths: [] };
      byPid.set(pid, cur);
    } else if (tag === 'c' && cur) cur.command = value;
    else if (tag === 'n' && cur && value) cur.paths.push(value);
  }
  return [...byPid.values()].filter((p) => p.pid !== process.pid);
}

/** Scans once; callers then ask per directory. */
export async function scanProcesses(): Promise<ProcessScan> {
  if (process.platform === 'linux') {
    try {
      return linuxScan();
    } catch {
      // /proc not mounted: fall through to lsof
    }
  }
  if (process.platform === 'win32') return { supported: false, processes: [] };
  const text = await lsof(['-w', '-n', '-P', '-F', 'pcn']);
  if (text === null) return { supported: false, processes: [] };
  return { supported: true, processes: parseLsof(text) };
}

/** Processes whose working directory or an open file lies inside `dir`; null when unknown. */
export function processesInside(scan: ProcessScan, dir: string): LiveProcess[] | null {
  if (!scan.supported) return null;
  return scan.processes.filter((p) => p.paths.some((path) => isInside(dir, path)));
}

const foldCase = process.platform === 'win32' || process.platform === 'darwin';
const key = (p: string) => (foldCase ? resolve(p).toLowerCase() : resolve(p));

/**
 * For many directories at once: each directory -> the processes inside it (null when unknown).
 * Walks each open path up its parents once instead of comparing every pair.
 */
export function matchProcesses(scan: ProcessScan, dirs: readonly string[]): Map<string, LiveProcess[] | null> {
  const out = new Map<string, LiveProcess[] | null>();
  const byKey = new Map<string, string>();
  for (const d of dirs) {
    out.set(d, scan.supported ? [] : null);
    byKey.set(key(d), d);
  }
  if (!scan.supported) return out;
  for (const proc of scan.processes) {
    const hit = new Set<string>();
    for (const path of proc.paths) {
      let cur = key(path);
      for (;;) {
        const d = byKey.get(cur);
        if (d !== undefined) hit.add(d);
        const up = dirname(cur);
        if (up === cur) break;
        cur = up;
      }
    }
    for (const d of hit) out.get(d)?.push(proc);
  }
  return out;
}
