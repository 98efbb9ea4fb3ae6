// Runs fix-ups for any caller: the registry of git and database handlers, and undo dispatched
// by the kind of journal entry.
import { gitHandlers } from '../git/handlers';
import { undoGitEntry } from '../git/undo';
import { FixupRegistry } from '../fixups/registry';
import { TOOL_SOURCES } from './tool-sources';
import { undoSquadPause } from './claude-squad-pause';
import { undoVibeKanbanEntry } from './vibe-kanban';
import type { Sources } from '../fixups/registry';
import { ownerState } from '../fixups/process-owner';
import { FixupRefused } from '../fixups/types';
import type { ApplyResult, Journal, JournalEntry, WorkspaceContext } from '../fixups/types';
import { isUndoEntry, undoBlocker } from '../fixups/undo-state';

export function buildRegistry(sources: Sources): FixupRegistry {
  return new FixupRegistry([...gitHandlers, ...(sources.database?.handlers ?? []), ...TOOL_SOURCES.flatMap((t) => t.handlers ?? [])]);
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
    if (e.undone) throw new FixupRefused(`"${e.title}" was already undone (${e.undone}).`, 'invalid');
    if (e.state === 'abandoned') throw new FixupRefused(`"${e.title}" was settled: its change never happened, so there is nothing to undo.`, 'invalid');
  } else {
    // An undo's own entry is never picked (undoing it would make the change again), nor an
    // interrupted undo's: that one is finished through the entry it undoes.
    const open = (await journal.list()).filter((x) => !x.undone && x.state !== 'abandoned' && !isUndoEntry(x));
    e = open[open.length - 1];
    if (!e) throw new FixupRefused('Nothing to undo: every fix-up in the journal was undone already.', 'invalid');
  }
  const blocker = undoBlocker(e);
  if (blocker) throw new FixupRefused(blocker, e.undo.kind === 'git' ? 'unsafe' : 'invalid');
  return e;
}

/** Refuses while the process that wrote an intent, or started an undo, is still at it. */
function assertNotInProgress(entry: JournalEntry): void {
  const busy = (who: { pid: number; start: string | null } | undefined) => who && who.pid !== process.pid && ownerState(who) === 'alive';
  if (entry.state === 'intent' && busy(entry.owner)) throw new FixupRefused(`entry ${entry.id} is still being applied by pid ${entry.owner!.pid}; try again when it is done`, 'busy');
  if (entry.undoing && busy(entry.undoing.owner)) throw new FixupRefused(`entry ${entry.id} is being undone by pid ${entry.undoing.owner.pid}; try again when it is done`, 'busy');
}

/**
 * Undoes one entry and records that it was undone. An interrupted entry (an intent) is settled:
 * what did happen is undone, and an intent whose change never happened is closed as abandoned.
 * An interrupted undo is finished: its operations are checked one by one and the done ones skipped.
 */
export async function undoEntry(
  ws: WorkspaceContext,
  entry: JournalEntry,
  sources: Sources,
  journal: Journal,
  onProgress?: (line: string) => void,
  options: { force?: boolean } = {},
): Promise<ApplyResult> {
  const blocker = undoBlocker(entry);
  // Raw argv from disk is refused for safety: it is exactly what a tampered journal would hold.
  if (blocker) throw new FixupRefused(blocker, entry.undo.kind === 'git' ? 'unsafe' : 'invalid');
  assertNotInProgress(entry);
  let result: ApplyResult;
  switch (entry.undo.kind) {
    case 'git':
    case 'git-ops':
      result = await undoGitEntry(ws, entry, journal, onProgress);
      break;
    case 'claude-squad-pause':
      result = await undoSquadPause(ws, entry, journal, onProgress);
      break;
    case 'restore-db':
      if (!sources.database?.undo) throw new FixupRefused('this entry restores the database, and the database half is not available here', 'invalid');
      result = await sources.database.undo(ws, entry, journal, options);
      break;
    case 'restore-tool-db':
      result = await undoVibeKanbanEntry(ws, entry, journal);
      break;
    case 'none':
      throw new FixupRefused(`"${entry.title}" cannot be undone: ${entry.undo.reason}.`, 'invalid');
  }
  if (result.ok && result.notApplied) await journal.abandon(entry.id);
  else if (result.ok) await journal.markUndone(entry.id, new Date().toISOString());
  return result;
}
