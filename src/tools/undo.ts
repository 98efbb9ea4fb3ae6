// lifeline_undo: undoes a journaled fix-up (the latest not yet undone when no entry is named)
// after a consent the caller supplies, with what it will do described first. With `recheck`
// the entry is read again after the yes and refused if it is no longer the one described.
import { pickUndoEntry, undoEntry } from '../core/engine/fixups';
import { entryStatus, openJournal } from '../core/fixups/journal';
import { defaultSources } from '../core/engine/sources';
import type { ApplyResult, GitUndoOp, JournalEntry } from '../core/fixups/types';
import { EXIT, exitForError, toolWorkspace } from './outcome';
import type { ToolContext, ToolOutcome } from './outcome';
import { showArg } from '../core/shell/command-line';

function describeOp(op: GitUndoOp): string {
  const at = (sha: string | null | undefined) => (sha ? `at ${sha.slice(0, 12)}` : 'absent');
  switch (op.op) {
    case 'restore-ref':
      return `re-create ${op.ref} at ${op.sha.slice(0, 12)}, only while it does not exist`;
    case 'delete-ref':
      return `delete ${op.ref}${op.expect ? `, only while it is ${at(op.expect)}` : ''}`;
    case 'reset-branch':
      return `reset ${op.ref} in ${op.worktree} to ${op.to.slice(0, 12)} (${op.mode === 'mixed' ? 'files kept as changes' : 'local changes kept'})${op.expect ? `, only while it is ${at(op.expect)}` : ''}`;
    case 'recreate-worktree':
      return `re-create worktree ${op.path} ${op.branch ? `on ${op.branch}` : `detached at ${op.sha.slice(0, 12)}`}`;
    case 'apply-stash':
      return `apply the stash ${op.ref} in ${op.worktree}`;
    case 'lock-worktree':
      return `lock worktree ${op.path} again${op.reason ? ` (${showArg(op.reason)})` : ''}`;
  }
}

/** What undoing `e` will do, one line each (unescaped: the caller shows them). */
export function describeUndo(e: JournalEntry): string[] {
  const u = e.undo;
  const head = `Undo ${e.id}: ${e.title} (${e.actionId}, ${e.time})`;
  const state = entryStatus(e);
  const note = state.status === 'undoable' ? [] : [`- ${state.line}`];
  if (u.kind === 'git-ops') return [head, ...note, `- ${u.description}`, ...u.ops.map((op) => `  ${describeOp(op)}`)];
  if (u.kind === 'git') return [head, `- ${state.line}; recorded: ${u.description}`];
  if (u.kind === 'restore-db') return [head, ...note, `- restore the database from ${u.backup}`];
  if (u.kind === 'claude-squad-pause') {
    const state = u.expectedSha256 ? [`  put claude-squad's state.json back from ${u.backup} (only while it is as the pause left it)`] : [];
    return [head, ...note, `- ${u.description}`, ...u.ops.map((op) => `  ${describeOp(op)} (in claude-squad's worktrees folder)`), ...state];
  }
  if (u.kind === 'restore-tool-db') return [head, ...note, `- restore ${u.tool}'s database from ${u.backup}`];
  return [head, `- cannot be undone: ${u.reason}`];
}

export interface UndoJson {
  entry?: string;
  result?: ApplyResult;
  error?: string;
  exitCode?: number;
}

export type UndoConsent = (entry: JournalEntry, lines: string[]) => Promise<{ yes: true } | { yes: false; error: string; exitCode: number }>;

export interface UndoInput {
  entry?: string;
  cwd?: string;
  force?: boolean;
}

function failed(e: unknown): ToolOutcome<UndoJson> {
  const { code, message } = exitForError(e);
  return { data: { error: message, exitCode: code }, exitCode: code, error: message };
}

export async function runUndo(
  ctx: ToolContext,
  input: UndoInput,
  consent: UndoConsent,
  options: { recheck: boolean; onEntry?: (lines: string[]) => void; onProgress?: (line: string) => void },
): Promise<ToolOutcome<UndoJson>> {
  const ws = await toolWorkspace(ctx, input.cwd);
  const journal = openJournal(ws);
  let entry: JournalEntry;
  try {
    entry = await pickUndoEntry(journal, input.entry);
  } catch (e) {
    return failed(e);
  }
  const lines = describeUndo(entry);
  options.onEntry?.(lines);
  const answer = await consent(entry, lines);
  if (!answer.yes) return { data: { error: answer.error, exitCode: answer.exitCode }, exitCode: answer.exitCode, error: answer.error };
  try {
    if (options.recheck) {
      // The yes was for this entry as described; another undo or fix-up may have come since.
      const again = await pickUndoEntry(journal, entry.id);
      if (JSON.stringify(describeUndo(again)) !== JSON.stringify(lines)) {
        const error = `refused: entry ${entry.id} changed after it was shown; nothing was undone. Review it again`;
        return { data: { error, exitCode: EXIT.refused }, exitCode: EXIT.refused, error };
      }
      entry = again;
    }
    const result = await undoEntry(ws, entry, defaultSources(), journal, options.onProgress, { force: Boolean(input.force) });
    const data: UndoJson = { entry: entry.id, result };
    return result.ok ? { data, exitCode: EXIT.ok } : { data, exitCode: EXIT.failure, error: result.message };
  } catch (e) {
    return failed(e);
  }
}
