// The checkout of the main branch that merges and reverts run in: it must exist, hold no
// tracked changes and no half-done operation. Also the conflict clean-up both share: list the
// conflicting files, abort, and prove nothing was left half-merged; and running a merge or revert
// there with exactly that clean-up, journaling a reset of main as the undo.
import { MERGE_CONFLICT_SCENARIO } from '../../fixups/scenarios';
import type { ApplyOptions, ApplyResult, UndoRecipe, WorkspaceContext } from '../../fixups/types';
import { gitFor } from '../repository';
import { beginJournal, journalPathOf } from './common';
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

/** What the caller of `commitOnMain` names: the operation, its argv and how to word the outcome. */
export interface MainCommit {
  op: 'merge' | 'revert';
  args: string[];
  cwd: string;
  actionId: string;
  title: string;
  /** What is being brought in or reverted, for messages. */
  what: string;
  done(post: string): string;
}

/**
 * Runs a merge or revert in the main checkout. On a conflict it aborts, lists the files and
 * hands over to the merge-conflict playbook, leaving main exactly as it was; on success it
 * journals a reset of main to the commit before, guarded by main still being where it landed.
 */
export async function commitOnMain(ws: WorkspaceContext, options: ApplyOptions, c: MainCommit): Promise<ApplyResult> {
  const main = ws.config.mainBranch;
  const git = gitFor(ws, c.cwd);
  const pre = await resolveRef(git, 'HEAD');
  if (!pre) throw new Error(`${main} has no commit to ${c.op} into`);
  const ref = `refs/heads/${main}`;
  const description = `reset ${main} to ${pre.slice(0, 12)} (before the ${c.op})`;
  const undo = (post?: string): UndoRecipe => ({ kind: 'git-ops', ops: [{ op: 'reset-branch', worktree: journalPathOf(ws, c.cwd), ref, to: pre, mode: 'keep', ...(post ? { expect: post } : {}) }], description });
  const intent = await beginJournal(ws, options, { actionId: c.actionId, title: c.title, undo: undo() });
  options.onProgress?.(`git ${c.args.join(' ')}`);
  let result;
  try {
    result = await git.run(c.args, { okExit: [1] });
  } catch (e) {
    await abortAndVerify(git, c.cwd, c.op, pre);
    await intent.abandon();
    throw e;
  }
  if (result.exitCode !== 0) {
    const stopped = await operationInProgress(git, c.cwd);
    const files = stopped ? await conflictFiles(git, c.cwd) : [];
    await abortAndVerify(git, c.cwd, c.op, pre);
    // Verified back at `pre` with nothing half-done: the change did not happen.
    await intent.abandon();
    if (!stopped) {
      const why = `${result.stderr}${result.stdout}`.split(/\r?\n/).find((l) => l.trim()) ?? `git ${c.op} failed`;
      return { ok: false, message: `The ${c.op} of ${c.what} did not start: ${why.trim()}` };
    }
    return {
      ok: false,
      message: `The ${c.op} of ${c.what} conflicts in ${files.length} file(s); aborted, ${main} is unchanged.`,
      output: files,
      handOff: MERGE_CONFLICT_SCENARIO,
    };
  }
  const post = (await resolveRef(git, 'HEAD'))!;
  const entry = await intent.commit(undo(post));
  return { ok: true, message: c.done(post), journalId: entry.id };
}
