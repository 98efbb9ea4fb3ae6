// Whether a journal entry can still be undone, and why not, in words for people. Pure: the CLI's
// `undo` and `journal`, the editor's "Undo a Fix-up..." and the engine all ask here, so none of
// them offers an undo that cannot run (or that would re-apply a change by undoing an undo).
import type { JournalEntry } from './types';

/**
 * An entry an undo wrote. A database undo journals its restore (with `undoOf`); entries written
 * before that field existed are told by the title the undo gives them.
 */
export function isUndoEntry(e: Pick<JournalEntry, 'undoOf' | 'title'>): boolean {
  return e.undoOf !== undefined || e.title.startsWith('Undo: ');
}

/** Why `e` cannot be undone now, as one sentence; undefined when it can. */
export function undoBlocker(e: JournalEntry): string | undefined {
  if (e.undone) return `"${e.title}" was already undone (${e.undone}).`;
  if (e.state === 'abandoned') return `"${e.title}" was settled: its change never happened, so there is nothing to undo.`;
  if (isUndoEntry(e)) return `"${e.title}" is itself an undo; to make the change again, run the fix-up again.`;
  if (e.undo.kind === 'git') return `"${e.title}" holds raw git commands (written by an older Lifeline); Lifeline no longer runs commands read from the journal: undo it by hand.`;
  if (e.undo.kind === 'none') return `"${e.title}" cannot be undone: ${e.undo.reason}.`;
  return undefined;
}

export function canUndo(e: JournalEntry): boolean {
  return undoBlocker(e) === undefined;
}
