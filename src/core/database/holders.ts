// Which other processes have the database files open. sql.js takes none of SQLite's locks, so
// before we write we look for anyone holding the database, its `-wal`, `-shm` or `-journal`:
// on Linux by reading /proc/<pid>/fd links; elsewhere by asking `lsof` (argv, no shell) when it
// is installed; otherwise we cannot tell (null) and say so.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface Holder {
  pid: number;
  /** The command line (shortened), or the process name. */
  command: string;
  /** Which of the files it holds. */
  file: string;
}

/**
 * Absolute, symlink-resolved paths, as /proc and lsof name open files: the file itself when it
 * exists (a symlinked database is held under its target's name), else its resolved directory.
 */
async function canonical(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    try {
      out.push(await realpath(p));
      continue;
    } catch {
      // not there (yet): the directory decides
    }
    try {
      out.push(join(await realpath(dirname(p)), basename(p)));
    } catch {
      out.push(p);
    }
  }
  return out;
}

/** A holder's command line is cut to this many characters. */
const COMMAND_CHARS = 60;

function commandOf(pid: number): string {
  try {
    const [program, ...args] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\u0000').filter(Boolean);
    // The program's name, not its install path, then the arguments on one line (a `python -c`
    // script spans many), short enough to read beside the pid.
    const cmd = [program ? basename(program) : '', ...args].join(' ').replace(/\s+/g, ' ').trim();
    if (cmd) return cmd.length > COMMAND_CHARS ? `${cmd.slice(0, COMMAND_CHARS - 3)}...` : cmd;
  } catch {
    // gone, or not ours to read
  }
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() || '?';
  } catch {
    return '?';
  }
}

/**
 * Synchronous on purpose: thousands of tiny readlink calls finish far sooner in one go than as
 * thread-pool round trips, and /proc never blocks on a disk.
 */
function fromProc(targets: readonly string[]): Holder[] {
  const wanted = new Set(targets);
  const pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).filter((p) => p !== process.pid);
  const found: Holder[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited, or we may not look
    }
    const held = new Set<string>();
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (wanted.has(link)) held.add(link);
      } catch {
        // closed meanwhile
      }
    }
    if (held.size === 0) continue;
    const command = commandOf(pid);
    for (const file of held) found.push({ pid, command, file });
  }
  return found.sort((a, b) => a.pid - b.pid || a.file.localeCompare(b.file));
}

function fromLsof(targets: readonly string[]): Promise<Holder[] | null> {
  const present = targets.filter((t) => existsSync(t));
  if (present.length === 0) return Promise.resolve([]);
  return new Promise((resolve) => {
    execFile('lsof', ['-w', '-F', 'pcn', '--', ...present], { timeout: 15_000, windowsHide: true }, (err, stdout) => {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      if (code === 'ENOENT' || (err && (err as { killed?: boolean }).killed)) return resolve(null);
      // lsof exits 1 when nobody has the files open; its output is still what we parse.
      const found: Holder[] = [];
      let pid = 0;
      let command = '?';
      for (const line of String(stdout).split(/\r?\n/)) {
        const tag = line[0];
        const value = line.slice(1);
        if (tag === 'p') {
          pid = Number(value);
          command = '?';
        } else if (tag === 'c') command = value;
        else if (tag === 'n' && pid && pid !== process.pid && present.includes(value)) found.push({ pid, command, file: value });
      }
      resolve(found);
    });
  });
}

/**
 * Every other process holding one of `paths` open; null when this platform gives no way to
 * tell (no /proc and no lsof).
 */
export async function findHolders(paths: readonly string[]): Promise<Holder[] | null> {
  const targets = await canonical(paths);
  if (process.platform === 'linux' && existsSync('/proc/self/fd')) return fromProc(targets);
  if (process.platform === 'win32') return null;
  return fromLsof(targets);
}

/** "pid 123 (python3 writer.py) has orchestration.db-wal open" for one or more holders. */
export function describeHolders(holders: readonly Holder[]): string {
  const byPid = new Map<number, Holder[]>();
  for (const h of holders) byPid.set(h.pid, [...(byPid.get(h.pid) ?? []), h]);
  return [...byPid.values()]
    .map((hs) => `pid ${hs[0]!.pid} (${hs[0]!.command}) has ${hs.map((h) => basename(h.file)).join(', ')} open`)
    .join('; ');
}
