// What the database fix-ups share: refusals in preview form, the backup/undo notes, and the
// journal entry that lets `lifeline undo` restore the backup.
import { displayPath } from '../../fixups/contain';
import { openJournal } from '../../fixups/journal';
import { ACTION_EFFECTS } from '../../fixups/effects';
import { FixupRefused } from '../../fixups/types';
import type { FixupAction } from '../../playbooks/model';
import type { ApplyOptions, Journal, Preview, WorkspaceContext } from '../../fixups/types';
import { testPause } from '../../fixups/test-pause';
import type { JournalEntry, UndoRecipe } from '../../fixups/types';
import { databasePath } from '../locations';
import { assertNotBusy, writeDatabase } from '../safe-write';
import type { PlannedWrite, WriteOutcome, WriteRequest } from '../safe-write';
import { fingerprintFile } from '../snapshot';
import type { Snapshot } from '../snapshot';
import { plural } from '../../text/strings';

/** A path relative to the root with `/`, as journal entries store them (portable). */
export function storedPath(ws: WorkspaceContext, abs: string): string {
  return displayPath(ws.root, abs);
}

/** A preview that only says why the action cannot run now (its effect: the most the action can do). */
export function refused(action: FixupAction, title: string, reason: string, code: 'unsafe' | 'busy' | 'invalid'): Preview {
  return { title, notes: [], effect: ACTION_EFFECTS[action], refusal: { reason, code } };
}

/** The busy refusal for a preview, or undefined when nobody else holds the database. */
export async function busyRefusal(snapshot: Snapshot): Promise<{ reason: string; code: 'busy' } | undefined> {
  try {
    await assertNotBusy(snapshot);
    return undefined;
  } catch (e) {
    if (e instanceof FixupRefused) return { reason: e.message, code: 'busy' };
    throw e;
  }
}

/** Notes every writing database fix-up shows. */
export function writeNotes(ws: WorkspaceContext, snapshot: Snapshot): string[] {
  const notes = [`Backs up ${ws.config.database}${snapshot.wal ? ' and its WAL' : ''} to ${ws.config.backupsDir}/<time>/ first.`];
  const frames = snapshot.walScan?.committedFrames ?? 0;
  if (frames > 0) {
    notes.push(`Folds the WAL's ${plural(frames, 'committed frame')} into the database file and moves the old -wal/-shm into the backup folder (never deletes them).`);
  }
  notes.push('Refuses, changing nothing, if another process opens the database or it changes before the write.');
  notes.push('Undo restores the backup (refused if the database changed since).');
  return notes;
}

/** The journal's undo recipe for a planned write. */
export function restoreRecipe(ws: WorkspaceContext, p: PlannedWrite): UndoRecipe {
  return {
    kind: 'restore-db',
    backup: storedPath(ws, p.backup),
    ...(p.walBackup ? { walBackup: storedPath(ws, p.walBackup) } : {}),
    expectedSha256: p.sha256,
    originalSha256: p.originalSha256,
    ...(p.foldedSha256 ? { foldedSha256: p.foldedSha256 } : {}),
  };
}

/**
 * A database write journaled first: the journal folder is checked writable before anything,
 * the intent (backup, the hashes before and after) is written under the write lock right before
 * the database is replaced, and committed after. When the write fails after the intent, the
 * database file tells which way it went, and the intent is committed or abandoned accordingly.
 */
export async function journaledWrite(
  ws: WorkspaceContext,
  options: ApplyOptions,
  entry: { actionId: string; title: string; undoOf?: string },
  req: WriteRequest,
  /** The undo recipe of the planned write: the workspace database's restore-db, or, required with req.target, the other tool's own. */
  recipe?: (planned: PlannedWrite) => UndoRecipe,
): Promise<{ outcome: WriteOutcome; journalId: string }> {
  // A default restore-db for another tool's file would have undo put that backup over the workspace's database.
  if (req.target && !recipe) throw new Error("journaledWrite: a write to another tool's file needs that tool's undo recipe");
  const undoOf = recipe ?? ((planned: PlannedWrite) => restoreRecipe(ws, planned));
  const journal: Journal = options.journal ?? openJournal(ws);
  await journal.preflight();
  let intent: JournalEntry | undefined;
  try {
    const outcome = await writeDatabase(ws, {
      ...req,
      beforeReplace: async (planned) => {
        intent = await journal.begin({ ...entry, undo: undoOf(planned) });
        await testPause('intent-written');
      },
    });
    await testPause('changed');
    const done = await journal.commit(intent!.id);
    return { outcome, journalId: done.id };
  } catch (e) {
    const open = intent;
    if (open && (open.undo.kind === 'restore-db' || open.undo.kind === 'restore-tool-db')) {
      const now = (await fingerprintFile(req.target?.path ?? databasePath(ws)).catch(() => null))?.sha256;
      if (now === open.undo.expectedSha256) await journal.commit(open.id).catch(() => undefined);
      else if (now === open.undo.originalSha256 || (open.undo.kind === 'restore-db' && now === open.undo.foldedSha256)) await journal.abandon(open.id).catch(() => undefined);
    }
    throw e;
  }
}
