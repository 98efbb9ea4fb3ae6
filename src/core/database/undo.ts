// Undoing a `restore-db` journal entry: put the backup back through the same safe write (busy ->
// refuse; the current file must be the one the fix-up wrote, else refuse unless forced), after
// backing up the current state, so the undo is itself journaled and undoable. Journaled first,
// like the change: the undo's own entry is an intent written right before the database is
// replaced. An undo that was killed is finished (the database was restored: its entry is
// committed) or dropped (it was not) the next time; an interrupted fix-up whose change never
// reached the database is settled as abandoned.
import { dirname, join } from 'node:path';
import { openJournal } from '../fixups/journal';
import { FixupRefused } from '../fixups/types';
import type { ApplyResult, Journal, JournalEntry, WorkspaceContext } from '../fixups/types';
import { MiB, readRegularFile } from '../fixups/read-file';
import { readDbHeader } from './file-format';
import { journaledWrite, storedPath } from './handlers/common';
import { databasePath, journalPath } from './locations';
import { fingerprintFile, MAX_DATABASE_BYTES, sha256 } from './snapshot';
import { applyWal, scanWal } from './wal';

export interface UndoOptions {
  /** Restore even though the database changed since the fix-up (the current state is backed up first). */
  force?: boolean;
  journal?: Journal;
  onProgress?: (line: string) => void;
}

/** An earlier undo of `entry` that was killed: finishes it (the result, when it had restored) or drops it. */
async function settleEarlierUndo(ws: WorkspaceContext, entry: JournalEntry, journal: Journal, current: string): Promise<ApplyResult | undefined> {
  for (const e of await journal.list()) {
    if (e.undoOf !== entry.id || e.state === 'abandoned') continue;
    if (e.state !== 'intent') return { ok: true, message: `finished the interrupted undo of ${entry.id} (undo entry ${e.id} had been recorded)`, journalId: e.id };
    if (e.undo.kind === 'restore-db' && current === e.undo.expectedSha256) {
      await journal.commit(e.id);
      return { ok: true, message: `finished the interrupted undo of ${entry.id}: ${ws.config.database} had been restored (undo entry ${e.id})`, journalId: e.id };
    }
    await journal.abandon(e.id);
  }
  return undefined;
}

export async function readBackup(path: string, what: string): Promise<Buffer> {
  let bytes: Buffer | null;
  try {
    bytes = await readRegularFile(path, { what: `the ${what}`, maxBytes: MAX_DATABASE_BYTES });
  } catch (e) {
    if (e instanceof FixupRefused) throw e;
    throw new FixupRefused(`the ${what} ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'invalid');
  }
  if (!bytes) throw new FixupRefused(`the ${what} ${path} cannot be read (ENOENT)`, 'invalid');
  return bytes;
}

/** The manifest written beside a backup, when present, must agree with the bytes. */
export async function checkManifest(backup: string, bytes: Uint8Array): Promise<void> {
  let manifest: unknown;
  try {
    const bytes = await readRegularFile(join(dirname(backup), 'manifest.json'), { what: 'the backup manifest', maxBytes: MiB });
    manifest = bytes ? JSON.parse(bytes.toString('utf8')) : undefined;
  } catch {
    return;
  }
  const want = (manifest as { sha256?: unknown }).sha256;
  if (typeof want === 'string' && want !== sha256(bytes)) throw new FixupRefused(`the backup ${backup} was modified after it was taken; not restoring it`, 'unsafe');
}

export async function undoDatabaseEntry(ws: WorkspaceContext, entry: JournalEntry, options: UndoOptions = {}): Promise<ApplyResult> {
  const u = entry.undo;
  if (u.kind !== 'restore-db') throw new FixupRefused(`entry ${entry.id} is not a database change`, 'invalid');
  const journal = options.journal ?? openJournal(ws);
  await journal.preflight();
  const current = (await fingerprintFile(databasePath(ws))).sha256;
  const earlier = await settleEarlierUndo(ws, entry, journal, current);
  if (earlier) return earlier;
  // An interrupted fix-up found with the file as read (or only its WAL folded in, the same rows): it never changed anything.
  if (entry.state === 'intent' && (current === u.originalSha256 || current === u.foldedSha256)) {
    return { ok: true, notApplied: true, message: `Settled: the interrupted fix-up (${entry.title}) had not changed ${ws.config.database}; entry ${entry.id} is closed` };
  }
  const backup = journalPath(ws, u.backup, ws.config.backupsDir, 'backup');
  const bytes = await readBackup(backup, 'backup');
  await checkManifest(backup, bytes);
  let image: Uint8Array = bytes;
  if (u.walBackup) {
    const wal = await readBackup(journalPath(ws, u.walBackup, ws.config.backupsDir, 'WAL backup'), 'WAL backup');
    image = applyWal(bytes, wal, scanWal(wal));
  }
  const header = readDbHeader(image);
  if (typeof header === 'string') throw new FixupRefused(`the backup is not a usable database (${header}); nothing was restored`, 'unsafe');

  const { outcome, journalId } = await journaledWrite(ws, { discard: false, journal }, { actionId: entry.actionId, title: `Undo: ${entry.title}`, undoOf: entry.id }, {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    build: (snap) => {
      const ours = snap.fingerprints.db.sha256 === u.expectedSha256 && (snap.walScan?.committedFrames ?? 0) === 0;
      if (!ours && !options.force) {
        throw new FixupRefused(
          `${ws.config.database} changed after "${entry.title}" (someone wrote to it since); restoring the backup would discard that, so nothing was restored`,
          'unsafe',
        );
      }
      return image;
    },
  });
  return {
    ok: true,
    message: `restored ${ws.config.database} from the backup taken before "${entry.title}" (the state before the undo is kept in ${storedPath(ws, outcome.backupDir)})`,
    journalId,
  };
}
