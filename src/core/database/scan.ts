// The database scanner: findings about the orchestration database file — a hot WAL nobody will
// checkpoint, a rollback journal left behind, a database that is missing or unreadable. Never
// throws on a bad file: that is a finding too. Its rows are judged (stuck, failed) by the engine,
// once, as workstream models (src/core/engine/workstream-findings.ts).
import { plural } from '../text/strings';
import { basename } from 'node:path';
import { actionRef as ref } from '../fixups/action-id';
import { SCENARIO_FOR } from '../fixups/scenarios';
import type { ActionRef, Finding, FindingKind, WorkspaceContext } from '../fixups/types';
import { describeHolders, findHolders } from './holders';
import type { Holder } from './holders';
import { displayPath } from '../fixups/contain';
import { readDatabase } from './read';

/** A WAL this long while writers hold it means checkpoints are starved (SQLite's default is 1000 pages). */
export const STARVED_WAL_FRAMES = 10_000;

function finding(kind: FindingKind, subject: string, detail: string, actions: ActionRef[], facts?: Finding['facts']): Finding {
  return { id: `${kind}:${subject}`, kind, subject, source: 'orchestration-db', scenario: SCENARIO_FOR[kind], detail, actions, ...(facts ? { facts } : {}) };
}


export async function scanDatabase(ws: WorkspaceContext): Promise<Finding[]> {
  const read = await readDatabase(ws);
  const subject = displayPath(ws.root, read.path);
  const name = basename(read.path);
  const out: Finding[] = [];

  if (read.state === 'missing') {
    const s = read.snapshot;
    if (s.wal || s.journalExists) {
      out.push(finding('db-missing', subject, `${subject} is gone but its ${s.wal ? '-wal' : '-journal'} is still there: it may hold committed work; do not delete it, restore the database from a backup.`, [ref('logs.bundle')], { wal: Boolean(s.wal), journal: s.journalExists }));
    } else if (read.dirExists) {
      out.push(finding('db-missing', subject, `No orchestration database at ${subject} (its folder exists): the orchestrator never started here, or its state was removed.`, [], {}));
    }
    return out;
  }
  if (read.state === 'unreadable') {
    out.push(
      finding('db-unreadable', subject, `${subject} cannot be read as the orchestration database: ${read.reason}.`, read.schema ? [ref('db.dump'), ref('db.integrity-check')] : [ref('logs.bundle')], {
        reason: read.reason,
        schema: read.schema,
        table: ws.config.table,
      }),
    );
    return out;
  }

  const snap = read.snapshot;
  let holders: Holder[] | null | undefined;
  const whoHolds = async () => (holders === undefined ? (holders = await findHolders([snap.paths.db, snap.paths.wal, snap.paths.shm, snap.paths.journal])) : holders);

  if (snap.walPending > 0 && snap.walScan) {
    const h = await whoHolds();
    const w = snap.walScan;
    const facts = { committedFrames: w.committedFrames, transactions: w.transactions, pendingPages: snap.walPending, walBytes: snap.wal?.length ?? 0, inUse: h === null ? null : h.length > 0, holders: h?.length ? describeHolders(h) : null };
    const what = `${name}-wal holds ${plural(w.transactions, 'committed transaction')} (${plural(snap.walPending, 'page')}) not yet checkpointed into ${name}`;
    if (h === null) {
      out.push(finding('hot-wal', subject, `${what}; whether a writer still has it open cannot be told here. If none does, checkpoint it; never delete the WAL.`, [ref('db.checkpoint')], facts));
    } else if (h.length === 0) {
      out.push(finding('hot-wal', subject, `${what}, and no process has the database open: a writer likely died. Checkpoint folds them in; never delete the WAL.`, [ref('db.checkpoint')], facts));
    } else if (w.committedFrames >= STARVED_WAL_FRAMES) {
      out.push(finding('hot-wal', subject, `${what}; the WAL has grown to ${w.committedFrames} frames while ${describeHolders(h)}: checkpoints are starved (a long-running reader?).`, [], facts));
    }
  }
  if (snap.hotJournal) {
    const h = await whoHolds();
    if (!h || h.length === 0) {
      out.push(
        finding('stale-journal', subject, `${name}-journal is a hot rollback journal left by a writer that died mid-transaction; open the database once with sqlite3 so SQLite rolls it back (never delete it). The rows shown are from before that transaction, rolled back in memory as SQLite will.`, [ref('db.integrity-check')], {
          inUse: h === null ? null : false,
          rolledBackPages: snap.rolledBackPages,
        }),
      );
    }
  }

  return out;
}
