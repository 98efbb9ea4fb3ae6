// The only way Lifeline changes the database file. sql.js cannot take SQLite's locks, so the
// write is made safe from the outside, in this order, all under our writers' lock
// (write-lock.ts; checked to be still ours right before each rename onto the database):
//   1. refuse while another process has the database, `-wal`, `-shm` or `-journal` open
//      (naming it), or while a hot rollback journal waits to be rolled back;
//   2. read database + WAL once (fingerprints: size, mtime, SHA-256) and build the new image in
//      memory from what SQLite would read (committed WAL frames folded in);
//   3. back up the database and WAL exactly as read under `<backupsDir>/<time>/`;
//   4. write temp files in the same directory and fsync them;
//   5. compare the files with the fingerprints once more, abort if anything changed;
//   6. replace the database by atomic rename and fsync the directory.
// A `-wal` with committed frames is the subtle part: SQLite replays any `-wal` it finds onto
// whatever main file sits beside it, so the new image must never sit beside the old WAL. When
// the WAL commits anything we first rename the folded-but-unchanged image into place (the old
// WAL replayed onto it changes nothing), then move the WAL and `-shm` into the backup folder
// (never delete them), and only then rename the new image into place. A kill at any point leaves
// a database that is entirely before or entirely after the change.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { WorkspaceContext } from '../fixups/types';
import { FixupRefused } from '../fixups/types';
import { readDbHeader, setJournalModeBytes } from './file-format';
import { describeHolders, findHolders } from './holders';
import { containedPath } from '../fixups/contain';
import { fsyncDir } from '../fixups/fsync-dir';
import { databasePath } from './locations';
import { describeChange, fingerprintFile, readSnapshot, sameFingerprint, sha256 } from './snapshot';
import type { Fingerprint, Snapshot } from './snapshot';
import { openImage, queryRows } from './sqljs';
import { fileStamp } from './time';
import { takeWriteLock } from './write-lock';
import { ownerState } from '../fixups/process-owner';
import { testPause } from '../fixups/test-pause';

export interface WriteRequest {
  /** Builds the new image from the database as read (WAL folded in); may refuse by throwing. */
  build(snapshot: Snapshot): Promise<Uint8Array> | Uint8Array;
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
  /**
   * Called under the lock once the backup and the new image are durable and the database is
   * checked unchanged, right before it is replaced: where the change's journal intent is written,
   * so no replacement ever happens unjournaled. Throwing here aborts with nothing replaced.
   */
  beforeReplace?: (planned: PlannedWrite) => Promise<void>;
  /**
   * Another tool's database to change instead of the workspace's (vibe-kanban's db.v2.sqlite):
   * its absolute path, computed by the caller from the tool's data folder, and how messages and
   * the backup manifest name it. Backups still go under the workspace's backup folder.
   */
  target?: { path: string; label: string };
}

/** What a write is about to do, for its journal intent. */
export interface PlannedWrite {
  backupDir: string;
  backup: string;
  walBackup?: string;
  /** SHA-256 of the database file as it will be after the change. */
  sha256: string;
  /** SHA-256 of the database file as read (before anything). */
  originalSha256: string;
  /** SHA-256 of the file once the WAL is folded in but the change not yet made (when there is a fold). */
  foldedSha256?: string;
}

export interface WriteOutcome {
  /** Absolute paths. */
  backupDir: string;
  backup: string;
  walBackup?: string;
  /** SHA-256 of the database file as we left it. */
  sha256: string;
  /** Where the old `-wal` / `-shm` went (inside the backup folder). */
  retired: string[];
  /** Committed WAL frames folded into the main file. */
  folded: number;
  snapshot: Snapshot;
}

/** Test hook: sleep this long between phases so a crash test can kill us inside each one. */
function pauseMs(): number {
  const v = Number(process.env.LIFELINE_TEST_WRITE_PAUSE_MS ?? 0);
  return Number.isFinite(v) && v > 0 ? Math.min(v, 5_000) : 0;
}

async function phase(req: WriteRequest, line: string): Promise<void> {
  if (req.signal?.aborted) throw new FixupRefused('cancelled; nothing was changed', 'invalid');
  req.onProgress?.(line);
  const ms = pauseMs();
  if (ms) await new Promise((r) => setTimeout(r, ms));
}

/** Mode and owner a file written for the database must carry (the database's own). */
export interface Keep {
  mode: number;
  uid: number;
  gid: number;
}

/** Whether this process may give a file away to `keep`'s owner (root may; others only their own uid and groups). */
function ownerProblem(keep: Keep): string | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() === 0) return undefined;
  if (keep.uid !== process.getuid()) return `it belongs to uid ${keep.uid} and this process runs as uid ${process.getuid()}`;
  const groups = [process.getgid?.(), ...(process.getgroups?.() ?? [])];
  if (!groups.includes(keep.gid)) return `its group ${keep.gid} is not one of this process's groups`;
  return undefined;
}

/**
 * Refuses a database that is not meant to change (no write bit) or whose owner a replacement
 * could not keep; returns what the replacement must carry. A rename puts a new inode in place,
 * so without this a 0600 file of the orchestrator's user became 0644 root and the orchestrator
 * could no longer write it.
 */
export async function keepOf(db: string): Promise<Keep> {
  const st = await stat(db);
  const keep = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  if (process.platform !== 'win32' && (keep.mode & 0o222) === 0) {
    throw new FixupRefused(`${basename(db)} is read-only (mode ${keep.mode.toString(8).padStart(4, '0')}); nothing was written. Make it writable first if it is meant to change`, 'unsafe');
  }
  const problem = ownerProblem(keep);
  if (problem) throw new FixupRefused(`${basename(db)} cannot be replaced keeping its owner (${problem}); nothing was written. Run Lifeline as its owner`, 'unsafe');
  return keep;
}

async function writeDurable(path: string, bytes: Uint8Array, keep?: Keep): Promise<void> {
  const fh = await open(path, 'wx', 0o600);
  try {
    // Mode and owner before the bytes and the rename: the file is never visible with looser ones.
    if (keep) {
      if (process.platform !== 'win32') await fh.chmod(keep.mode);
      if (typeof process.getuid === 'function' && (keep.uid !== process.getuid() || keep.gid !== process.getgid?.())) await fh.chown(keep.uid, keep.gid);
    } else await fh.chmod(0o644);
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Moves a file, copying (durably) when the target is on another device. */
export async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await copyFile(from, to);
    const fh = await open(to, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await unlink(from);
  }
}

const TEMP = /^\..+\.lifeline-(\d+)-[0-9a-f]+\.tmp$/;

function tempName(db: string): string {
  return join(dirname(db), `.${basename(db)}.lifeline-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** Temp files an earlier, killed write left behind: we hold the lock, and their writer's pid is gone too. */
async function removeStaleTemps(db: string): Promise<void> {
  const prefix = `.${basename(db)}.lifeline-`;
  for (const name of await readdir(dirname(db))) {
    const m = TEMP.exec(name);
    if (!name.startsWith(prefix) || !m) continue;
    if (ownerState({ pid: Number(m[1]), start: null }) === 'dead') await rm(join(dirname(db), name), { force: true });
  }
}

/** Refuses (busy) while another process holds the files or a hot journal is waiting. */
export async function assertNotBusy(snapshotOrDb: Snapshot | string): Promise<'checked' | 'unknown'> {
  const db = typeof snapshotOrDb === 'string' ? snapshotOrDb : snapshotOrDb.paths.db;
  const holders = await findHolders([db, `${db}-wal`, `${db}-shm`, `${db}-journal`]);
  if (holders && holders.length) {
    throw new FixupRefused(`${basename(db)} is in use: ${describeHolders(holders)}; stop it (or let it finish) first`, 'busy');
  }
  if (typeof snapshotOrDb !== 'string' && snapshotOrDb.hotJournal) {
    throw new FixupRefused(
      `${basename(db)}-journal is a hot rollback journal (a writer is mid-transaction or died in one); open the database once with sqlite3 so SQLite rolls it back, never delete it`,
      'busy',
    );
  }
  return holders === null ? 'unknown' : 'checked';
}

async function integrityOf(image: Uint8Array): Promise<string> {
  const db = await openImage(image);
  try {
    const rows = queryRows(db, 'PRAGMA integrity_check');
    return rows.map((r) => String(Object.values(r)[0])).join('; ');
  } catch (e) {
    return (e as Error).message;
  } finally {
    db.close();
  }
}

async function expectUnchanged(path: string, expected: Fingerprint, what: string): Promise<void> {
  const now = await fingerprintFile(path);
  if (!sameFingerprint(expected, now)) {
    throw new FixupRefused(`aborted, nothing of yours was lost: ${describeChange(what, expected, now)} after it was read`, 'busy');
  }
}

function renameError(e: unknown, db: string): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EBUSY' || code === 'EPERM' || code === 'EACCES') {
    throw new FixupRefused(`${basename(db)} could not be replaced (${code}): another process probably has it open`, 'busy');
  }
  throw e;
}

/** Applies one change to the workspace's database under every check above. */
export async function writeDatabase(ws: WorkspaceContext, req: WriteRequest): Promise<WriteOutcome> {
  const db = req.target?.path ?? databasePath(ws);
  const label = req.target?.label ?? ws.config.database;
  const dir = dirname(db);
  const lock = await takeWriteLock(db);
  const temps: string[] = [];
  try {
    await removeStaleTemps(db);
    const snap = await readSnapshot(db);
    if (!snap.db) throw new FixupRefused(`there is no database at ${label}`, 'invalid');
    if (typeof snap.header === 'string') throw new FixupRefused(`${basename(db)} is not readable (${snap.header}); nothing was written`, 'unsafe');
    const keep = await keepOf(db);
    const checked = await assertNotBusy(snap);
    if (checked === 'unknown') req.onProgress?.('cannot tell whether another process has the database open here (no /proc, no lsof); relying on the file checks');
    await phase(req, `read ${basename(db)}${snap.wal ? ` and its WAL (${snap.walScan?.committedFrames ?? 0} committed frames)` : ''}`);

    // 2. The new image, in the journal mode the file had (WAL stays WAL, now with an empty log).
    const mode = snap.header.writeVersion;
    const next = new Uint8Array(await req.build(snap));
    setJournalModeBytes(next, mode);
    const nextHeader = readDbHeader(next);
    if (typeof nextHeader === 'string') throw new FixupRefused(`the new database image is not valid (${nextHeader}); nothing was written`, 'unsafe');
    const nextCheck = await integrityOf(next);
    if (nextCheck !== 'ok' && (await integrityOf(snap.image)) === 'ok') {
      throw new FixupRefused(`the new database image fails integrity_check (${nextCheck}); nothing was written`, 'unsafe');
    }

    // 3. Backup of exactly the bytes we read.
    const backupsRoot = containedPath(ws.root, ws.config.backupsDir, 'backups');
    const stamp = fileStamp(ws.now?.() ?? new Date());
    const backupDir = join(backupsRoot, `${stamp}-${randomBytes(3).toString('hex')}`);
    await mkdir(backupDir, { recursive: true });
    const backup = join(backupDir, basename(db));
    // Backups are as private as the database (a 0600 file's rows must not become world-readable).
    const backupKeep = { ...keep, mode: (keep.mode & 0o666) | 0o600, uid: process.getuid?.() ?? keep.uid, gid: process.getgid?.() ?? keep.gid };
    await writeDurable(backup, snap.db, backupKeep);
    let walBackup: string | undefined;
    if (snap.wal) {
      walBackup = join(backupDir, `${basename(db)}-wal`);
      await writeDurable(walBackup, snap.wal, backupKeep);
    }
    await writeDurable(
      join(backupDir, 'manifest.json'),
      Buffer.from(JSON.stringify({ database: label, time: new Date().toISOString(), sha256: snap.fingerprints.db.sha256, walSha256: snap.fingerprints.wal.sha256 || null }, null, 2) + '\n'),
    );
    await fsyncDir(backupDir);
    await fsyncDir(backupsRoot);
    await phase(req, `backed up to ${backupDir}`);

    // 4. Temp files beside the database (same file system, so rename is atomic).
    const walCommits = (snap.walScan?.committedFrames ?? 0) > 0;
    const needFold = walCommits && Buffer.compare(Buffer.from(snap.image), snap.db) !== 0;
    let foldTemp: string | undefined;
    if (needFold) {
      foldTemp = tempName(db);
      temps.push(foldTemp);
      await writeDurable(foldTemp, snap.image, keep);
    }
    const nextTemp = tempName(db);
    temps.push(nextTemp);
    await writeDurable(nextTemp, next, keep);
    await fsyncDir(dir);
    await phase(req, 'wrote and synced the new image beside the database');

    // 5. Nothing may have changed since the read, and nobody may have opened it meanwhile.
    await assertNotBusy(db);
    await expectUnchanged(db, snap.fingerprints.db, basename(db));
    await expectUnchanged(snap.paths.wal, snap.fingerprints.wal, `${basename(db)}-wal`);

    const nextSha = sha256(next);
    await req.beforeReplace?.({
      backupDir,
      backup,
      ...(walBackup ? { walBackup } : {}),
      sha256: nextSha,
      originalSha256: snap.fingerprints.db.sha256,
      ...(foldTemp ? { foldedSha256: sha256(snap.image) } : {}),
    });

    // 6. Replace. First make the main file self-sufficient (the old WAL replays onto it as a no-op) ...
    let current = snap.fingerprints.db.sha256;
    if (foldTemp) {
      await lock.assertHeld();
      try {
        await rename(foldTemp, db);
      } catch (e) {
        renameError(e, db);
      }
      temps.splice(temps.indexOf(foldTemp), 1);
      await fsyncDir(dir);
      current = sha256(snap.image);
      await phase(req, `folded ${snap.walScan!.committedFrames} committed WAL frames into ${basename(db)}`);
    }
    // ... then retire the WAL and shared-memory index into the backup folder (never deleted) ...
    const retired: string[] = [];
    const retiredDir = join(backupDir, 'retired');
    for (const from of [snap.paths.wal, snap.paths.shm]) {
      const to = join(retiredDir, basename(from));
      try {
        await mkdir(retiredDir, { recursive: true });
        await moveFile(from, to);
        retired.push(to);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    if (retired.length) {
      await fsyncDir(dir);
      await phase(req, `moved ${retired.map((r) => basename(r)).join(' and ')} into ${retiredDir}`);
    }
    // ... and only then put the new image in place, if the main file is still the one we left.
    const now = await fingerprintFile(db);
    if (now.sha256 !== current || (await fingerprintFile(snap.paths.wal)).exists) {
      throw new FixupRefused(`aborted before the change: ${basename(db)} was touched by another process meanwhile; its content is as before`, 'busy');
    }
    await testPause('before-replace');
    await lock.assertHeld();
    try {
      await rename(nextTemp, db);
    } catch (e) {
      renameError(e, db);
    }
    temps.splice(temps.indexOf(nextTemp), 1);
    await fsyncDir(dir);
    await phase(req, `replaced ${basename(db)}`);
    return { backupDir, backup, ...(walBackup ? { walBackup } : {}), sha256: nextSha, retired, folded: snap.walScan?.committedFrames ?? 0, snapshot: snap };
  } finally {
    for (const t of temps) await rm(t, { force: true }).catch(() => undefined);
    await lock.release();
  }
}
