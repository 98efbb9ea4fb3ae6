// db.checkpoint and db.integrity-check. The checkpoint folds the committed WAL into the main
// file through the safe write (seed 001 says to delete the -wal: that loses committed
// transactions, so we never do); the integrity check only reads (its core: ../integrity.ts).
import { basename } from 'node:path';
import { FIXUP_ACTIONS } from '../../playbooks/model';
import { FixupRefused } from '../../fixups/types';
import type { ApplyResult, FixupHandler, Preview, WorkspaceContext } from '../../fixups/types';
import { databasePath } from '../locations';
import { readSnapshot } from '../snapshot';
import type { Snapshot } from '../snapshot';
import { checkIntegrity, walSummary } from '../integrity';
import { busyRefusal, journaledWrite, refused, storedPath, writeNotes } from './common';
import { plural } from '../../text/strings';

async function snapshotOf(ws: WorkspaceContext): Promise<Snapshot | string> {
  try {
    const snap = await readSnapshot(databasePath(ws));
    if (!snap.db) return `there is no database at ${ws.config.database}`;
    return snap;
  } catch (e) {
    return (e as Error).message;
  }
}

const checkpoint: FixupHandler = {
  action: 'db.checkpoint',
  async preview(ws) {
    const title = FIXUP_ACTIONS['db.checkpoint'];
    const snap = await snapshotOf(ws);
    if (typeof snap === 'string') return refused('db.checkpoint', title, snap, 'invalid');
    if (typeof snap.header === 'string') return refused('db.checkpoint', title, `${ws.config.database} is not readable (${snap.header})`, 'unsafe');
    if (!snap.wal) return refused('db.checkpoint', title, `${ws.config.database} has no WAL: nothing to checkpoint`, 'invalid');
    const busy = await busyRefusal(snap);
    const preview: Preview = {
      title: `Checkpoint ${basename(snap.paths.db)}-wal into ${basename(snap.paths.db)}`,
      files: [ws.config.database, `${ws.config.database}-wal`, `${ws.config.database}-shm`, `${ws.config.backupsDir}/`],
      notes: [`WAL: ${walSummary(snap)}.`, ...writeNotes(ws, snap)],
      effect: 'reversible',
      ...(busy ? { refusal: { code: 'busy', reason: `${busy.reason} (a live writer can checkpoint itself: PRAGMA wal_checkpoint(TRUNCATE))` } } : {}),
    };
    return preview;
  },
  async apply(ws, target, options): Promise<ApplyResult> {
    const p = await this.preview(ws, target);
    if (p.refusal) throw new FixupRefused(p.refusal.reason, p.refusal.code);
    const { outcome, journalId } = await journaledWrite(ws, options, { actionId: 'db.checkpoint', title: p.title }, {
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      build: (snap) => snap.image,
    });
    return {
      ok: true,
      message: `checkpointed: ${plural(outcome.folded, 'committed WAL frame')} now in ${ws.config.database}; the old WAL is kept in ${storedPath(ws, outcome.backupDir)}`,
      journalId,
    };
  },
};

const integrityCheck: FixupHandler = {
  action: 'db.integrity-check',
  async preview(ws) {
    const snap = await snapshotOf(ws);
    if (typeof snap === 'string') return refused('db.integrity-check', FIXUP_ACTIONS['db.integrity-check'], snap, 'invalid');
    return {
      title: `Integrity check of ${ws.config.database}`,
      sql: [{ statement: 'PRAGMA integrity_check', rows: [] }],
      notes: ['Read-only: checks a copy of the database with its committed WAL frames; changes nothing.', `WAL: ${walSummary(snap)}.`],
      effect: 'read-only',
    };
  },
  async apply(ws): Promise<ApplyResult> {
    const snap = await snapshotOf(ws);
    if (typeof snap === 'string') throw new FixupRefused(snap, 'invalid');
    const r = await checkIntegrity(ws, snap);
    return r.ok || r.output.length ? r : { ok: false, message: r.message };
  },
};

export const maintenanceHandlers: FixupHandler[] = [checkpoint, integrityCheck];
