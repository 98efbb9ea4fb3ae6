// Runs fix-ups for any caller: the registry of git and database handlers, and undo dispatched
// by the kind of journal entry.
import { gitHandlers } from '../git/handlers';
import { undoGitEntry } from '../git/undo';
import { FixupRegistry } from './registry';
import type { Sources } from './registry';
import { FixupRefused } from './types';
import type { ApplyResult, Journal, JournalEntry, WorkspaceContext } from './types';
import { isUndoEntry, undoBlocker } from './undo-state';

export function buildRegistry(sources: Sources): FixupRegistry {
  return new FixupRegistry([...gitHandlers, ...(sources.database?.handlers ?? [])]);
}

/**
 * The entry `lifeline undo` acts on: the one named, else the latest fix-up not yet undone (an
 * undo's own entry is never picked: undoing it would make the change again). Refuses, in one
 * sentence, when that entry cannot be undone, rather than reaching back to an older one.
 */
export async function pickUndoEntry(journal: Journal, id?: string): Promise<JournalEntry> {
  let e: JournalEntry | undefined;
  if (id) {
    e = await journal.get(id);
    if (!e) throw new Error(`no journal entry ${id}`);
  } else {
    const open = (await journal.list()).filter((x) => !x.undone && !isUndoEntry(x));
    e = open[open.length - 1];
    if (!e) throw new FixupRefused('Nothing to undo: every fix-up in the journal was undone already.', 'invalid');
  }
  const blocker = undoBlocker(e);
  if (blocker) throw new FixupRefused(blocker, 'invalid');
  return e;
}

/** Undoes one entry and records that it was undone. */
export async function undoEntry(ws: WorkspaceContext, entry: JournalEntry, sources: Sources, journal: Journal, onProgress?: (line: string) => void): Promise<ApplyResult> {
  const blocker = undoBlocker(entry);
  if (blocker) throw new FixupRefused(blocker, 'invalid');
  let result: ApplyResult;
  switch (entry.undo.kind) {
    case 'git':
      result = await undoGitEntry(ws, entry, onProgress);
      break;
    case 'restore-db':
      if (!sources.database?.undo) throw new FixupRefused('this entry restores the database, and the database half is not available here', 'invalid');
      result = await sources.database.undo(ws, entry);
      break;
    case 'none':
      throw new FixupRefused(`"${entry.title}" cannot be undone: ${entry.undo.reason}.`, 'invalid');
  }
  if (result.ok) await journal.markUndone(entry.id, new Date().toISOString());
  return result;
}
