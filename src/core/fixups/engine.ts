// Runs fix-ups for any caller: the registry of git and database handlers, and undo dispatched
// by the kind of journal entry.
import { gitHandlers } from '../git/handlers';
import { undoGitEntry } from '../git/undo';
import { FixupRegistry } from './registry';
import type { Sources } from './registry';
import { FixupRefused } from './types';
import type { ApplyResult, Journal, JournalEntry, WorkspaceContext } from './types';

export function buildRegistry(sources: Sources): FixupRegistry {
  return new FixupRegistry([...gitHandlers, ...(sources.database?.handlers ?? [])]);
}

/** The entry `lifeline undo` acts on: the one named, else the latest not yet undone. */
export async function pickUndoEntry(journal: Journal, id?: string): Promise<JournalEntry> {
  if (id) {
    const e = await journal.get(id);
    if (!e) throw new Error(`no journal entry ${id}`);
    if (e.undone) throw new FixupRefused(`entry ${id} was already undone at ${e.undone}`, 'invalid');
    return e;
  }
  const open = (await journal.list()).filter((e) => !e.undone);
  const last = open[open.length - 1];
  if (!last) throw new FixupRefused('nothing to undo: the journal has no entry that is not undone', 'invalid');
  return last;
}

/** Undoes one entry and records that it was undone. */
export async function undoEntry(ws: WorkspaceContext, entry: JournalEntry, sources: Sources, journal: Journal, onProgress?: (line: string) => void): Promise<ApplyResult> {
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
      throw new FixupRefused(`entry ${entry.id} cannot be undone: ${entry.undo.reason}`, 'invalid');
  }
  if (result.ok) await journal.markUndone(entry.id, new Date().toISOString());
  return result;
}
