// The checkout of the main branch that merges and reverts run in: it must exist, hold no
// tracked changes and no half-done operation. Also the conflict clean-up both share: list the
// conflicting files, abort, and prove nothing was left half-merged.
import type { WorkspaceContext } from '../../fixups/types';
import type { GitRunner } from '../runner';
import { resolveRef } from '../refs';
import { operationInProgress, worktreeStatus } from '../status';
import { listWorktrees } from '../worktrees';
import type { Worktree } from '../worktrees';

/** The worktree that has main checked out, or why none can be used. */
export async function mainCheckout(ws: WorkspaceContext, git: GitRunner): Promise<{ worktree: Worktree } | { problem: string; code: 'unsafe' | 'invalid' }> {
  const main = ws.config.mainBranch;
  const wt = (await listWorktrees(git)).find((w) => w.branch === `refs/heads/${main}`);
  if (!wt) return { problem: `${main} is not checked out in any worktree; check it out (git switch ${main}) and try again`, code: 'invalid' };
  if (wt.prunable !== null) return { problem: `the checkout of ${main} (${wt.path}) is missing`, code: 'invalid' };
  const busy = await operationInProgress(git, wt.path);
  if (busy) return { problem: `the checkout of ${main} is in the middle of ${busy}; finish or abort it first`, code: 'unsafe' };
  const changed = (await worktreeStatus(git, wt.path)).filter((e) => e.code !== '??');
  if (changed.length) {
    return { problem: `the checkout of ${main} has ${changed.length} uncommitted change(s) (${changed.slice(0, 3).map((e) => e.path).join(', ')}); commit or stash them first`, code: 'unsafe' };
  }
  return { worktree: wt };
}

export async function conflictFiles(git: GitRunner, cwd: string): Promise<string[]> {
  const text = await git.out(['diff', '--name-only', '--diff-filter=U', '-z'], { cwd });
  return [...new Set(text.split('\0').filter(Boolean))];
}

/**
 * Aborts a stopped merge/revert and checks the checkout is back at `pre` with nothing
 * half-done; throws when git could not restore it (the user must then look).
 */
export async function abortAndVerify(git: GitRunner, cwd: string, op: 'merge' | 'revert', pre: string): Promise<void> {
  if (await operationInProgress(git, cwd)) await git.run([op, '--abort'], { cwd });
  const head = await resolveRef(git.at(cwd), 'HEAD');
  const left = await operationInProgress(git, cwd);
  if (head !== pre || left) throw new Error(`could not restore the checkout after the ${op} stopped (HEAD ${head?.slice(0, 12)}, expected ${pre.slice(0, 12)}); run git ${op} --abort there`);
}
