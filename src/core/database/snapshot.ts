// One consistent read of the database file and its `-wal`: the bytes, the image SQLite would
// see (WAL folded in), and fingerprints (size, mtime, SHA-256) a later write compares against
// so it never overwrites what changed after we read.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { MiB, readRegularFile } from '../fixups/read-file';
import { isHotJournal, readDbHeader, rollBackJournal } from './file-format';
import type { DbHeader } from './file-format';
import { applyWal, pendingPages, scanWal } from './wal';
import type { WalScan } from './wal';

export interface DbPaths {
  db: string;
  wal: string;
  shm: string;
  journal: string;
}

export function dbPaths(db: string): DbPaths {
  return { db, wal: `${db}-wal`, shm: `${db}-shm`, journal: `${db}-journal` };
}

export interface Fingerprint {
  exists: boolean;
  size: number;
  /** Nanoseconds, as a string (bigint does not survive JSON). */
  mtimeNs: string;
  sha256: string;
}

export const ABSENT: Fingerprint = Object.freeze({ exists: false, size: 0, mtimeNs: '0', sha256: '' });

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.exists === b.exists && a.size === b.size && a.mtimeNs === b.mtimeNs && a.sha256 === b.sha256;
}

/** What differs between two fingerprints, for a one-line abort message. */
export function describeChange(what: string, before: Fingerprint, after: Fingerprint): string {
  if (before.exists !== after.exists) return `${what} ${after.exists ? 'appeared' : 'disappeared'}`;
  if (before.size !== after.size) return `${what} changed size (${before.size} -> ${after.size} bytes)`;
  if (before.sha256 !== after.sha256) return `${what} changed content`;
  return `${what} was modified (mtime changed)`;
}

async function statOrNull(path: string): Promise<BigIntStats | null> {
  try {
    return await stat(path, { bigint: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * sql.js holds the whole image in memory, so a file far beyond any orchestration database is
 * refused rather than read (a symlink to /dev/zero never ends; a sparse file can claim terabytes).
 */
export const MAX_DATABASE_BYTES = 512 * MiB;

/** The bytes of the database or one of its side files: regular files only, up to the limit. */
function readOrNull(path: string): Promise<Buffer | null> {
  return readRegularFile(path, { what: 'database file', maxBytes: MAX_DATABASE_BYTES });
}

function fingerprintOf(st: BigIntStats | null, bytes: Uint8Array | null): Fingerprint {
  if (!st || !bytes) return ABSENT;
  return { exists: true, size: bytes.length, mtimeNs: String(st.mtimeNs), sha256: sha256(bytes) };
}

/** The current fingerprint of a file (reads and hashes it). */
export async function fingerprintFile(path: string): Promise<Fingerprint> {
  const st = await statOrNull(path);
  if (!st) return ABSENT;
  const bytes = await readOrNull(path);
  const after = await statOrNull(path);
  if (!bytes || !after) return ABSENT;
  // Report the later mtime: a write racing this read then shows as a change.
  return fingerprintOf(after, bytes);
}

export interface Snapshot {
  paths: DbPaths;
  /** The main file's bytes; null when it does not exist. */
  db: Buffer | null;
  /** The `-wal` bytes; null when there is none. */
  wal: Buffer | null;
  walScan: WalScan | null;
  /** Committed WAL pages that differ from the main file (0: nothing at stake in the WAL). */
  walPending: number;
  /** The header of the image; a one-line reason when it is not a database. */
  header: DbHeader | string;
  /** The database as SQLite would read it (hot journal rolled back, WAL applied). Empty when the file is missing. */
  image: Uint8Array;
  fingerprints: { db: Fingerprint; wal: Fingerprint };
  /** A `-journal` with a live header: a writer died (or is) mid-transaction. */
  hotJournal: boolean;
  /** Pages of the main file the hot journal's playback restored in `image`. */
  rolledBackPages: number;
  journalExists: boolean;
}

function sameStat(a: BigIntStats | null, b: BigIntStats | null): boolean {
  if (!a || !b) return a === b;
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino && a.ctimeNs === b.ctimeNs;
}

/**
 * Reads database and WAL so they agree: the main file is read first and its stat must not change
 * until the WAL has been read too (a checkpoint writes the main file; a WAL restart after a
 * complete checkpoint leaves only frames that belong on top of what we read). Retries a few
 * times while a live writer checkpoints.
 */
export async function readSnapshot(dbPath: string, attempts = 5): Promise<Snapshot> {
  const paths = dbPaths(dbPath);
  for (let attempt = 1; ; attempt++) {
    const before = await statOrNull(paths.db);
    const db = before ? await readOrNull(paths.db) : null;
    const walStat = await statOrNull(paths.wal);
    const wal = walStat ? await readOrNull(paths.wal) : null;
    const walAfter = wal ? await statOrNull(paths.wal) : null;
    const after = await statOrNull(paths.db);
    if (!sameStat(before, after) && attempt < attempts) continue;
    if (!sameStat(before, after)) throw new Error(`${paths.db} kept changing while it was read`);
    const journal = await readOrNull(paths.journal);
    const walScan = wal ? scanWal(wal) : null;
    const hotJournal = journal !== null && isHotJournal(journal);
    // A hot journal means the main file may hold half a transaction: read it rolled back.
    const rolledBack = hotJournal && db ? rollBackJournal(db, journal) : { image: db ?? Buffer.alloc(0), pages: 0 };
    const main = rolledBack.image;
    const image = wal && walScan ? applyWal(main, wal, walScan) : main;
    return {
      paths,
      db,
      wal,
      walScan,
      walPending: wal && walScan ? pendingPages(main, wal, walScan) : 0,
      header: readDbHeader(image),
      image,
      fingerprints: { db: fingerprintOf(after, db), wal: fingerprintOf(walAfter, wal) },
      hotJournal,
      rolledBackPages: rolledBack.pages,
      journalExists: journal !== null,
    };
  }
}
