// Undoes a git journal entry: checks every recorded precondition (a ref still where the fix-up
// left it, or still absent), then runs the recorded argv in order.
import type { ApplyResult, JournalEntry, WorkspaceContext } from '../fixups/types';
import { FixupRefused } from '../fixups/types';
import { assertRefName, isInside } from './names';
import { resolveRef } from './refs';
import { gitFor } from './workspace';
import { runSteps } from './fixups/common';

export async function undoGitEntry(ws: WorkspaceContext, entry: JournalEntry, onProgress?: (line: string) => void): Promise<ApplyResult> {
  const u = entry.undo;
  if (u.kind !== 'git') throw new Error(`entry ${entry.id} is not a git change`);
  const cwd = u.cwd ?? ws.root;
  const git = gitFor(ws, cwd);
  for (const e of u.expect ?? []) {
    if (e.ref !== 'HEAD') assertRefName(e.ref, 'ref');
    const now = await resolveRef(git, e.ref);
    if (now !== e.sha) {
      const where = now ? `is at ${now.slice(0, 12)}` : 'no longer exists';
      const wanted = e.sha ? `at ${e.sha.slice(0, 12)}` : 'absent';
      throw new FixupRefused(`refused: ${e.ref} ${where}, but undo needs it ${wanted} (something changed since); undo it by hand`, 'unsafe');
    }
  }
  if (u.cwd && !isInside(ws.root, u.cwd)) {
    // A worktree outside the repository: still only ever a directory git lists for this repository.
    const listed = (await gitFor(ws).out(['worktree', 'list', '--porcelain', '-z'])).includes(`worktree ${u.cwd}\0`);
    if (!listed) throw new FixupRefused(`refused: ${u.cwd} is no longer a worktree of this repository`, 'unsafe');
  }
  await runSteps(git, u.steps, undefined, onProgress);
  return { ok: true, message: `Undone: ${u.description}.` };
}
