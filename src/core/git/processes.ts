// Which processes still work inside a directory: on Linux from /proc/<pid>/cwd and
// /proc/<pid>/fd links, elsewhere from `lsof` (argv, no shell) when it is installed; otherwise
// the answer is "unknown" rather than a guess.
import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
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

async function linuxScan(): Promise<ProcessScan> {
  const self = process.pid;
  const pids = (await readdir('/proc')).filter((n) => /^\d+$/.test(n)).map(Number).filter((p) => p !== self);
  const processes: LiveProcess[] = [];
  await Promise.all(
    pids.map(async (pid) => {
      const paths: string[] = [];
      try {
        paths.push(await readlink(`/proc/${pid}/cwd`));
      } catch {
        // gone, or not ours to read
      }
      try {
        const fds = await readdir(`/proc/${pid}/fd`);
        for (const fd of fds) {
          try {
            const target = await readlink(`/proc/${pid}/fd/${fd}`);
            if (target.startsWith('/')) paths.push(target.replace(/ \(deleted\)$/, ''));
          } catch {
            // closed meanwhile
          }
        }
      } catch {
        // not permitted
      }
      if (paths.length === 0) return;
      let command: string;
      try {
        // Our own git children (calls of this very scan) are not "someone working inside".
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === self && /^git/.test(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) return;
        command = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' ').slice(0, 200);
        if (!command) command = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
      } catch {
        return; // exited while we looked
      }
      processes.push({ pid, command, paths });
    }),
  );
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
      return await linuxScan();
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
