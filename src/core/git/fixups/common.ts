// What every git fix-up shares: resolving a worktree subject safely, the confirmation checks
// (refusals, exactly-confirmed discards), running previewed argv and journaling the undo.
import { openJournal } from '../../fixups/journal';
import { FixupRefused } from '../../fixups/types';
import { relative, resolve, sep } from 'node:path';
import { inToolWorktreeRoot } from '../../fixups/tool-worktrees';
import { testPause } from '../../fixups/test-pause';
import type { ApplyOptions, Journal, JournalEntry, Preview, UndoRecipe, WorkspaceContext } from '../../fixups/types';
import { displayPath, isInside } from '../../fixups/contain';
import { resolveInside } from '../../fixups/names';
import { assertOwnWorktree } from '../ownership';
import type { GitRunner } from '../runner';
import { listWorktrees } from '../worktrees';
import type { Worktree } from '../worktrees';
import { plural } from '../../text/strings';

export function refuse(preview: Preview, reason: string, code: 'unsafe' | 'busy' | 'invalid' = 'invalid'): Preview {
  return { ...preview, refusal: { reason, code } };
}

/** The listed worktree a subject names (relative to the root, or absolute); FixupRefused otherwise. */
export async function resolveWorktree(ws: WorkspaceContext, git: GitRunner, subject: string | undefined): Promise<{ worktree: Worktree; all: Worktree[]; display: string }> {
  if (!subject) throw new FixupRefused('this action needs a worktree path, e.g. worktree.remove:.worktrees/agent-1-ws-1', 'invalid');
  const all = await listWorktrees(git);
  let abs: string;
  try {
    abs = resolveInside(
      ws.root,
      subject,
      all.map((w) => w.path),
    );
  } catch (e) {
    if (e instanceof FixupRefused) throw e;
    throw new FixupRefused((e as Error).message, 'invalid');
  }
  const worktree = all.find((w) => isInside(w.path, abs) && isInside(abs, w.path));
  if (!worktree) throw new FixupRefused(`${subject} is not a worktree git knows (see git worktree list)`, 'invalid');
  const display = displayPath(ws.root, worktree.path);
  // A folder that is gone runs no git inside (prune works from the main checkout).
  if (!worktree.main && !worktree.bare && worktree.prunable === null) await assertOwnWorktree(git, ws.root, worktree.path, display);
  return { worktree, all, display };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
}

/** Throws unless the plan may run: no refusal, and any discard confirmed exactly as previewed. */
export function assertMayApply(preview: Preview, options: ApplyOptions): void {
  if (preview.refusal) throw new FixupRefused(preview.refusal.reason, preview.refusal.code);
  const d = preview.discards;
  if (!d || (d.files.length === 0 && d.commits.length === 0)) return;
  if (!options.discard) {
    const what = [d.files.length ? plural(d.files.length, 'uncommitted or ignored file') : '', d.commits.length ? `${plural(d.commits.length, 'commit')} on no other ref` : '']
      .filter(Boolean)
      .join(' and ');
    throw new FixupRefused(`refused: this would leave behind ${what}; review the preview and pass --discard to confirm`, 'unsafe');
  }
  const seen = options.confirmed?.discards;
  if (options.confirmed && (!seen || !sameList(seen.files, d.files) || !sameList(seen.commits, d.commits))) {
    throw new FixupRefused('refused: the work to discard changed since the preview; preview again', 'unsafe');
  }
}

/**
 * Runs previewed argv (built by the handler, never read from a file) in order. A step starting
 * `-C <dir>` (as a person would type it) runs in that directory: simple-git refuses `-C` itself.
 */
export async function runSteps(git: GitRunner, steps: readonly string[][], cwd?: string, onProgress?: (line: string) => void): Promise<void> {
  for (const argv of steps) {
    onProgress?.(`git ${argv.join(' ')}`);
    if (argv[0] === '-C' && argv[1]) await git.run(argv.slice(2), { cwd: argv[1] });
    else await git.run(argv, cwd ? { cwd } : {});
  }
}

/** An open intent: the change it announces is made next, then `commit` records it as done. */
export interface Intent {
  entry: JournalEntry;
  /** Records the change as made, with the final undo (which may know more, e.g. the new commit). */
  commit(undo?: UndoRecipe): Promise<JournalEntry>;
  /** Records that the change did not happen after all (e.g. a merge that stopped and was aborted). */
  abandon(): Promise<void>;
}

/**
 * Journals first: writes (and fsyncs) an intent entry before the caller changes anything, so an
 * unwritable journal refuses before any change and a kill after this point leaves an entry that
 * says what may have happened. A change that throws leaves the intent for `lifeline undo` to settle.
 */
export async function beginJournal(ws: WorkspaceContext, options: ApplyOptions, intent: Omit<JournalEntry, 'id' | 'time' | 'state' | 'owner'>): Promise<Intent> {
  const j: Journal = options.journal ?? openJournal(ws);
  const entry = await j.begin(intent);
  await testPause('intent-written');
  return {
    entry,
    async commit(undo) {
      await testPause('changed');
      return j.commit(entry.id, undo);
    },
    abandon: () => j.abandon(entry.id),
  };
}

/** A path as journal entries store it (relative to the root, `/`); refuses, before any change, one outside the workspace. */
export function journalPathOf(ws: WorkspaceContext, abs: string): string {
  // An agent tool's worktree outside the repository (Codex's) is journaled by its absolute path;
  // undo accepts such a path only inside that tool's worktrees folder.
  if (!isInside(ws.root, abs) && inToolWorktreeRoot(ws, abs)) return resolve(abs);
  if (!isInside(ws.root, abs)) throw new FixupRefused(`${abs} is outside the workspace, so its undo cannot be journaled; nothing was changed`, 'unsafe');
  const rel = relative(ws.root, abs).split(sep).join('/');
  return rel === '' ? '.' : rel;
}

/** A name for backup refs from a path or branch: safe characters only. */
export function backupStem(text: string): string {
  const s = text.replace(/[^A-Za-z0-9._/-]+/g, '-').replace(/\/+/g, '/').replace(/^[-./]+|[-./]+$/g, '').replace(/\.\.+/g, '.').replace(/\.lock(\/|$)/g, '-lock$1').replace(/\/\./g, '/_');
  return s || 'worktree';
}
