// What the database fix-ups share: refusals in preview form, the backup/undo notes, and the
// journal entry that lets `lifeline undo` restore the backup.
import { displayPath } from '../../paths/contain';
import { openJournal } from '../../fixups/journal';
import { ACTION_EFFECTS } from '../../fixups/effects';
import { FixupRefused } from '../../fixups/types';
import type { FixupAction } from '../../playbooks/model';
import type { ApplyOptions, Journal, Preview, WorkspaceContext } from '../../fixups/types';
import { assertNotBusy } from '../safe-write';
import type { WriteOutcome } from '../safe-write';
import type { Snapshot } from '../snapshot';

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
    notes.push(`Folds the WAL's ${frames} committed frame(s) into the database file and moves the old -wal/-shm into the backup folder (never deletes them).`);
  }
  notes.push('Refuses, changing nothing, if another process opens the database or it changes before the write.');
  notes.push('Undo restores the backup (refused if the database changed since).');
  return notes;
}

/** Journals a database write so it can be undone. */
export async function journalWrite(ws: WorkspaceContext, options: ApplyOptions, actionId: string, title: string, outcome: WriteOutcome): Promise<string> {
  const journal: Journal = options.journal ?? openJournal(ws);
  const entry = await journal.append({
    actionId,
    title,
    undo: {
      kind: 'restore-db',
      backup: storedPath(ws, outcome.backup),
      ...(outcome.walBackup ? { walBackup: storedPath(ws, outcome.walBackup) } : {}),
      expectedSha256: outcome.sha256,
    },
  });
  return entry.id;
}
