// Answers "what would `git status` list in this worktree?" without starting git, when that is
// certain: the index must match HEAD (its cache-tree root equals HEAD's tree), every tracked
// file must match the stat data git recorded (racily clean ones: their content), and then the
// answer is the untracked paths that no ignore source excludes. Whenever any of that is not
// certain (a changed file, syntax or config this reader does not follow) the answer is "ask
// git", and the caller runs `git status` for that worktree alone.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { isIgnored, parseIgnore } from './ignore-rules';
import type { IgnoreList } from './ignore-rules';
import { parseIndex } from './index-file';
import type { IndexEntry } from './index-file';

/** known: git status would list exactly these untracked paths and nothing else; else ask git. */
export type QuickStatus = { known: true; untracked: string[] } | { known: false; why: string };

/** The ignore sources beyond the worktree's own .gitignore files, lowest precedence last. */
export interface IgnoreSources {
  lists: IgnoreList[];
  /** True when no configuration could name another excludes file (so "no rule matched" means "not ignored"). */
  complete: boolean;
}

export interface QuickStatusInput {
  /** The worktree's directory. */
  dir: string;
  /** Hex id of the tree of the commit HEAD points at; null when unknown (then: ask git). */
  headTree: string | null;
  ignore: IgnoreSources;
}

const ASK = (why: string): QuickStatus => ({ known: false, why });
/** Non-blocking, so a file swapped for a FIFO after its lstat cannot stall the scan (no such flag on Windows). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const TWO32 = 2 ** 32;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/** The same double node computes for Stats#mtimeMs from (sec, nsec). */
const ms = (sec: number, nsec: number) => sec * 1e3 + nsec / 1e6;

function readWithStats(path: string): { data: Buffer; stats: Stats } | null {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch {
    return null;
  }
  try {
    const stats = fstatSync(fd);
    // A FIFO or device in git's files would block or never end: not ours to judge, ask git.
    if (!stats.isFile()) return null;
    const data = Buffer.allocUnsafe(stats.size);
    let off = 0;
    while (off < data.length) {
      const n = readSync(fd, data, off, data.length - off, off);
      if (n === 0) return null;
      off += n;
    }
    return { data, stats };
  } finally {
    closeSync(fd);
  }
}

/** Reads a file whose size lstat just gave (three system calls, not readFileSync's four); throws when it changed size. */
function readExactly(path: string, size: number): Buffer {
  const fd = openSync(path, READ_FLAGS);
  try {
    const data = Buffer.allocUnsafe(size + 1);
    // One read normally: asking for a byte more than lstat saw and getting exactly the rest
    // means the end of a regular file (it grew if the extra byte came).
    let off = 0;
    for (;;) {
      const n = readSync(fd, data, off, size + 1 - off, off);
      off += n;
      if (n === 0 || off >= size) break;
    }
    if (off !== size) throw new Error('size changed');
    return data.subarray(0, size);
  } finally {
    closeSync(fd);
  }
}

/** The worktree's own git directory, from its `.git` file (linked) or directory (main). */
export function gitDirOf(dir: string): string | null {
  const dotgit = join(dir, '.git');
  const st = lstatSync(dotgit, { throwIfNoEntry: false });
  if (!st) return null;
  if (st.isDirectory()) return dotgit;
  if (!st.isFile() || st.size > 4096) return null;
  const m = /^gitdir: (.+?)\r?\n?$/.exec(readFileSync(dotgit, 'utf8'));
  if (!m) return null;
  return isAbsolute(m[1]!) ? m[1]! : resolve(dir, m[1]!);
}

function readText(path: string): string | null {
  const f = readWithStats(path);
  return f ? f.data.toString('utf8') : null;
}

/**
 * info/exclude and the global excludes file at its default place. Complete only on Linux with
 * no GIT_* variable that redirects configuration and no config file (system, global, the
 * repository's) that sets `core.excludesFile` or includes other files; elsewhere, or when one
 * does, an untracked path no known rule ignores is a question for git.
 */
export function readIgnoreSources(root: string): IgnoreSources {
  const lists: IgnoreList[] = [];
  const gitDir = gitDirOf(root);
  let common = gitDir;
  if (gitDir) {
    const link = readText(join(gitDir, 'commondir'));
    if (link !== null) common = isAbsolute(link.trim()) ? link.trim() : resolve(gitDir, link.trim());
  }
  const exclude = common ? readText(join(common, 'info', 'exclude')) : null;
  if (exclude !== null) lists.push(parseIgnore(exclude, ''));
  const xdg = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  const globalIgnore = readText(join(xdg, 'git', 'ignore'));
  if (globalIgnore !== null) lists.push(parseIgnore(globalIgnore, ''));
  const redirected = Object.keys(process.env).some((k) => /^GIT_(CONFIG|DIR$|WORK_TREE$|COMMON_DIR$|INDEX_FILE$|NAMESPACE$)/.test(k));
  let complete = process.platform === 'linux' && !redirected && common !== null;
  if (complete) {
    for (const file of ['/etc/gitconfig', join(homedir(), '.gitconfig'), join(xdg, 'git', 'config'), join(common!, 'config')]) {
      const text = readText(file);
      if (text !== null && /excludesfile|\[\s*include/i.test(text)) complete = false;
    }
  }
  return { lists, complete };
}

/**
 * Whether the file's bytes are exactly the blob git staged: the object id of "blob <size>\0" +
 * bytes must equal the entry's. When the bytes are the stored form, any clean filter or eol
 * conversion leaves them as they are (git does not convert text the index holds with CRLF, and a
 * clean filter applied to its own output gives that output again), so the file is unchanged.
 */
function sameContent(path: string, e: IndexEntry, st: Stats): boolean {
  if (st.size > 8 * 1024 * 1024) return false;
  let data: Buffer;
  try {
    data = st.isSymbolicLink() ? Buffer.from(readlinkSync(path, { encoding: 'buffer' })) : readExactly(path, st.size);
  } catch {
    return false;
  }
  const h = createHash(e.oid.length === 64 ? 'sha256' : 'sha1');
  h.update(`blob ${data.length}\0`);
  h.update(data);
  return h.digest('hex') === e.oid;
}

/** Whether the stat data git recorded still describes the file (what `git status` trusts). */
function statMatches(e: IndexEntry, st: Stats): boolean {
  const type = e.mode & S_IFMT;
  if (type === S_IFREG) {
    if (!st.isFile() || (e.mode & 0o100) !== (st.mode & 0o100)) return false;
  } else if (type === S_IFLNK) {
    if (!st.isSymbolicLink()) return false;
  } else return false;
  return (
    st.mtimeMs === ms(e.mtimeSec, e.mtimeNsec) &&
    st.ctimeMs === ms(e.ctimeSec, e.ctimeNsec) &&
    st.size % TWO32 === e.size &&
    st.ino % TWO32 === e.ino &&
    st.uid === e.uid &&
    st.gid === e.gid
  );
}

export function quickStatus(input: QuickStatusInput): QuickStatus {
  const { dir } = input;
  if (!input.headTree) return ASK('HEAD tree unknown');
  const gitDir = gitDirOf(dir);
  if (!gitDir) return ASK('no readable .git');
  const indexFile = readWithStats(join(gitDir, 'index'));
  if (!indexFile) return ASK('no index');
  const index = parseIndex(indexFile.data, input.headTree.length === 64 ? 32 : 20);
  if (!index.ok) return ASK(index.unsupported);
  // Staged changes: the index as a tree must be HEAD's tree.
  if (index.rootTree !== input.headTree) return ASK('index differs from HEAD or has no cache-tree');
  const indexSec = Math.floor(indexFile.stats.mtimeMs / 1000);

  const tracked = new Set<string>();
  const trackedDirs = new Set<string>(['']);
  for (const e of index.entries) {
    if (e.stage !== 0 || e.special) return ASK(`special entry ${e.path}`);
    // Plain concatenation: node's fs accepts "/" on every platform and join() costs more than the lstat.
    const file = `${dir}/${e.path}`;
    const st = lstatSync(file, { throwIfNoEntry: false });
    if (!st || !statMatches(e, st)) return ASK(`changed ${e.path}`);
    // Racily clean: modified in the same second as (or after) the index was written, so stat
    // cannot tell; git compares the content then, and so do we. Whole seconds, because git built
    // without nanosecond support (Debian's, for one) judges at that grain.
    if (e.mtimeSec >= indexSec && !sameContent(file, e, st)) return ASK(`racy ${e.path}`);
    tracked.add(e.path);
    for (let i = e.path.indexOf('/'); i >= 0; i = e.path.indexOf('/', i + 1)) trackedDirs.add(e.path.slice(0, i));
  }

  // Untracked paths: walk the directories, descending into untracked ones only when not ignored.
  const untracked: string[] = [];
  // A folder's .gitignore is read only when one of its untracked paths needs a verdict: in a
  // clean worktree none does. (Tracked .gitignore files were stat-checked above like any file.)
  const walk = (rel: string, inherited: () => IgnoreList[]): QuickStatus | null => {
    let names: Dirent[];
    try {
      names = readdirSync(rel ? join(dir, rel) : dir, { withFileTypes: true });
    } catch {
      return ASK(`unreadable ${rel}`);
    }
    const gi = names.find((d) => d.name === '.gitignore');
    if (gi && !gi.isFile()) return ASK(`.gitignore in ${rel || '.'} is not a file`);
    let lists: IgnoreList[] | null = null;
    const here = (): IgnoreList[] =>
      (lists ??= gi ? [parseIgnore(readFileSync(join(dir, rel, '.gitignore'), 'utf8'), rel), ...inherited()] : inherited());
    for (const d of names) {
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.name === '.git') {
        if (rel === '') continue; // the worktree's own link to its git directory
        return ASK(`nested repository at ${rel}`);
      }
      if (d.isDirectory()) {
        if (tracked.has(path)) return ASK(`${path} replaced by a directory`);
        if (!trackedDirs.has(path) && isIgnored(here(), path, true) === true) continue;
        const r = walk(path, here);
        if (r) return r;
        continue;
      }
      if (tracked.has(path)) continue;
      if (trackedDirs.has(path)) return ASK(`${path} replaced by a file or link`);
      if (!d.isFile() && !d.isSymbolicLink()) return ASK(`unusual file ${path}`);
      const ignored = isIgnored(here(), path, false);
      if (ignored === true) continue;
      if (ignored === null || !input.ignore.complete) return ASK(`untracked ${path}`);
      untracked.push(path);
    }
    return null;
  };
  return walk('', () => input.ignore.lists) ?? { known: true, untracked: untracked.sort() };
}
