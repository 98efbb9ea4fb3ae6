// Which processes still work inside a directory: on Linux from /proc/<pid>/cwd and
// /proc/<pid>/fd links, elsewhere from `lsof` (argv, no shell) when it is installed; otherwise
// the answer is "unknown" rather than a guess.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isInside } from '../fixups/contain';

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
  /** Completes the processes a caller matched (command, own children dropped); identity when complete. */
  describe?: (found: LiveProcess[]) => LiveProcess[];
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
    let readable = true;
    try {
      paths.push(readlinkSync(`/proc/${pid}/cwd`));
    } catch (e) {
      // gone, or not ours to read: then its fd links are not readable either, and each refused
      // readlink costs a thrown error (hundreds for a sandboxed init).
      readable = (e as NodeJS.ErrnoException).code !== 'EACCES' && (e as NodeJS.ErrnoException).code !== 'EPERM';
    }
    let fds: string[] = [];
    try {
      if (readable) fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      // not permitted
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('/')) paths.push(target.replace(/ \(deleted\)$/, ''));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EACCES') break; // not ours: the rest will be refused too
        // closed meanwhile
      }
    }
    if (paths.length === 0) continue;
    processes.push({ pid, command: '', paths });
  }
  return { supported: true, processes, describe: describeLinux };
}

/**
 * Fills in the command of the processes a caller kept (reading /proc/<pid>/stat and cmdline of
 * every process costs more than the whole path scan) and drops our own git children, which are
 * calls of this very scan rather than someone working inside. Processes that exited are dropped.
 */
function describeLinux(found: LiveProcess[]): LiveProcess[] {
  const self = process.pid;
  const out: LiveProcess[] = [];
  for (const p of found) {
    try {
      const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === self && /^git/.test(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) continue;
      let command = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 200);
      if (!command) command = readFileSync(`/proc/${p.pid}/comm`, 'utf8').trim();
      out.push({ ...p, command });
    } catch {
      // exited while we looked
    }
  }
  return out;
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
  const found = scan.processes.filter((p) => p.paths.some((path) => isInside(dir, path)));
  return scan.describe ? scan.describe(found) : found;
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
  if (scan.describe) for (const [d, ps] of out) if (ps && ps.length) out.set(d, scan.describe(ps));
  return out;
}
