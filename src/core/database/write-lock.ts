// The lock our own writers take before changing the database: a file `<db>.lifeline-lock`
// beside it whose whole content (pid, process start time, a nonce) is written to a temp file
// first and then hard-linked into place, so nobody ever reads a lock file without its owner.
// A lock is stale only when its owner is provably dead (the pid is gone, or runs with another
// start time: reused) and the file is older than a bound; anything else we cannot prove dead is
// refused as busy, naming the holder, so a stray file never blocks silently and never gets stolen.
// Breaking a stale lock renames it aside and checks it is still the file judged stale, so two
// processes breaking the same stale lock cannot end up both holding a fresh one.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, lstat, open, rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { FixupRefused } from '../fixups/types';
import { currentOwner, ownerState, processCommand } from '../fixups/process-owner';
import type { ProcessOwner } from '../fixups/process-owner';
import { testPause } from '../fixups/test-pause';

export const LOCK_SUFFIX = '.lifeline-lock';
/** A dead owner's lock younger than this is waited for, not broken: the bound the issue asks for. */
export const STALE_AFTER_MS = 2_000;
const MAX_LOCK_BYTES = 4096;

interface LockRecord extends ProcessOwner {
  /** Null for a lock holding only a pid (what Lifeline wrote before). */
  nonce: string | null;
}

export interface HeldLock {
  path: string;
  /** Throws (busy) unless the lock file is still ours: checked right before each rename onto the database. */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

function parseLock(text: string): LockRecord | null {
  if (/^\d+\s*$/.test(text)) return { pid: Number(text.trim()), start: null, nonce: null };
  try {
    const v = JSON.parse(text) as Partial<Record<keyof LockRecord, unknown>>;
    if (!Number.isInteger(v.pid) || (v.pid as number) <= 0) return null;
    if (typeof v.nonce !== 'string' || (v.start !== null && typeof v.start !== 'string')) return null;
    return { pid: v.pid as number, start: v.start, nonce: v.nonce };
  } catch {
    return null;
  }
}

/** The lock file's text and age, or null when it is gone; refuses a lock path that is not a regular file. */
async function readLock(path: string): Promise<{ text: string; ageMs: number } | null> {
  let st;
  try {
    st = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (!st.isFile()) throw new FixupRefused(`${basename(path)} is not a regular file; remove it if no Lifeline is running`, 'busy');
  const fh = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const buf = Buffer.alloc(MAX_LOCK_BYTES);
    const { bytesRead } = await fh.read(buf, 0, MAX_LOCK_BYTES, 0);
    return { text: buf.subarray(0, bytesRead).toString('utf8'), ageMs: Date.now() - st.mtimeMs };
  } finally {
    await fh.close();
  }
}

function holderLine(lock: string, db: string, rec: LockRecord | null, state: 'alive' | 'unknown'): string {
  if (!rec) return `${basename(lock)} exists but is not a lock Lifeline wrote; if no Lifeline is changing ${basename(db)}, delete ${lock}`;
  const cmd = processCommand(rec.pid);
  const who = `pid ${rec.pid}${cmd ? ` (${cmd})` : ''}`;
  if (state === 'alive') return `another Lifeline (${who}) is changing ${basename(db)} right now; try again when it is done`;
  return `${basename(lock)} names ${who}, which is running but cannot be proven to be the Lifeline that took the lock; if no Lifeline is changing ${basename(db)}, delete ${lock}`;
}

/** Moves a stale lock aside, but only if it is still exactly the file judged stale. */
async function breakLock(lock: string, judged: string): Promise<void> {
  const aside = `${lock}.${process.pid}-${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(lock, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = await readLock(aside);
  if (moved && moved.text !== judged) {
    // Someone took a fresh lock between our read and the rename: give it back.
    await link(aside, lock).catch(() => undefined);
  }
  await rm(aside, { force: true });
}

async function writeTemp(path: string, text: string): Promise<void> {
  const fh = await open(path, 'wx', 0o644);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Places the complete temp file as the lock; false when a lock is already there. */
async function place(temp: string, lock: string): Promise<boolean> {
  try {
    await link(temp, lock);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
  }
  // File systems without hard links: an exclusive copy. Its content can be read half-written,
  // which readers treat as busy (unparsable is never proof of death).
  try {
    await copyFile(temp, lock, constants.COPYFILE_EXCL);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Takes the database's write lock or refuses (busy) with one line naming who holds it. */
export async function takeWriteLock(db: string): Promise<HeldLock> {
  const lock = db + LOCK_SUFFIX;
  const me: LockRecord = { ...currentOwner(), nonce: randomBytes(8).toString('hex') };
  const text = JSON.stringify({ ...me, time: new Date().toISOString() });
  const temp = `${lock}.${me.pid}-${me.nonce}.tmp`;
  try {
    await writeTemp(temp, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new FixupRefused(`cannot take the write lock beside ${basename(db)} (${code}): its folder is not writable for this user`, 'unsafe');
    throw e;
  }
  try {
    await testPause('lock-temp-written');
    const deadline = Date.now() + STALE_AFTER_MS + 1_000;
    for (;;) {
      if (await place(temp, lock)) break;
      const seen = await readLock(lock);
      if (!seen) continue;
      const rec = parseLock(seen.text);
      const state = rec ? ownerState(rec) : 'unknown';
      if (state !== 'dead') throw new FixupRefused(holderLine(lock, db, rec, state), 'busy');
      if (Date.now() > deadline) throw new FixupRefused(`${basename(lock)} was left by pid ${rec!.pid}, which has exited, and could not be cleared; try again`, 'busy');
      if (seen.ageMs >= STALE_AFTER_MS) await breakLock(lock, seen.text);
      else await new Promise((r) => setTimeout(r, Math.min(250, STALE_AFTER_MS - seen.ageMs + 20)));
    }
  } finally {
    await rm(temp, { force: true });
  }
  const ours = async (): Promise<boolean> => {
    const now = await readLock(lock).catch(() => null);
    return now !== null && now.text === text;
  };
  await testPause('locked');
  return {
    path: lock,
    async assertHeld() {
      if (!(await ours())) throw new FixupRefused(`aborted before the change: the write lock ${basename(lock)} is no longer ours; ${basename(db)} is as before`, 'busy');
    },
    async release() {
      if (await ours()) await rm(lock, { force: true });
    },
  };
}
