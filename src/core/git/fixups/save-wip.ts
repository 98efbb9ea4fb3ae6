// worktree.save-wip: commits everything in a worktree (tracked changes and untracked files) on
// its branch, so a hung agent's partial work survives whatever comes next. Undo moves the branch
// back with a mixed reset: the files stay on disk, uncommitted again.
import type { ActionTarget, ApplyResult, FixupHandler, GitUndoOp, Preview, WorkspaceContext } from '../../fixups/types';
import { resolveRef } from '../refs';
import { operationInProgress, worktreeStatus } from '../status';
import { gitFor } from '../repository';
import { shortBranch } from '../worktrees';
import type { Worktree } from '../worktrees';
import { assertMayApply, beginJournal, journalPathOf, refuse, resolveWorktree, runSteps } from './common';
import { plural } from '../../text/strings';

export const DEFAULT_WIP_MESSAGE = 'WIP: work in progress saved by Lifeline';

async function plan(ws: WorkspaceContext, target: ActionTarget): Promise<{ preview: Preview; worktree: Worktree; steps: string[][] }> {
  const git = gitFor(ws);
  const { worktree, display } = await resolveWorktree(ws, git, target.subject);
  const message = (target.params?.message ?? '').trim() || DEFAULT_WIP_MESSAGE;
  // Hooks are skipped: a WIP safety commit must not be blocked by lint or test hooks.
  const steps = [
    ['add', '--all', '--', '.'],
    ['commit', '--no-verify', '--quiet', '-m', message],
  ];
  const branch = shortBranch(worktree.branch);
  let preview: Preview = { title: `Save work in progress in ${display}`, git: steps, notes: [], effect: 'reversible' };
  if (worktree.prunable !== null) return { preview: refuse(preview, `${display}: its directory is gone`), worktree, steps };
  if (!branch) return { preview: refuse(preview, `${display} has no branch checked out (detached HEAD); check out a branch there first`), worktree, steps };
  const busy = await operationInProgress(git, worktree.path);
  if (busy) return { preview: refuse(preview, `${display} is in the middle of ${busy}; finish or abort it first`, 'unsafe'), worktree, steps };
  const files = await worktreeStatus(git, worktree.path);
  if (files.length === 0) return { preview: refuse(preview, `${display} has nothing uncommitted to save`), worktree, steps };
  preview = {
    ...preview,
    files: files.map((f) => f.path),
    notes: [
      `Commits ${plural(files.length, 'file')} on branch ${branch} with the message "${message}" (hooks skipped).`,
      ...files.slice(0, 20).map((f) => `  ${f.code} ${f.path}`),
      ...(files.length > 20 ? [`  ... and ${files.length - 20} more`] : []),
      'Undo resets the branch to where it was; the files stay on disk, uncommitted.',
    ],
  };
  return { preview, worktree, steps };
}

export const saveWipHandler: FixupHandler = {
  action: 'worktree.save-wip',
  async preview(ws, target) {
    return (await plan(ws, target)).preview;
  },
  async apply(ws, target, options): Promise<ApplyResult> {
    const { preview, worktree, steps } = await plan(ws, target);
    assertMayApply(preview, options);
    const git = gitFor(ws, worktree.path);
    const before = await resolveRef(git, 'HEAD');
    const branchRef = worktree.branch!;
    const rel = journalPathOf(ws, worktree.path);
    // A branch born by this commit is un-born again by deleting it (only while it is still that commit).
    const undoOps = (after?: string): GitUndoOp[] =>
      before ? [{ op: 'reset-branch', worktree: rel, ref: branchRef, to: before, mode: 'mixed', ...(after ? { expect: after } : {}) }] : [{ op: 'delete-ref', ref: branchRef, ...(after ? { expect: after } : {}) }];
    const description = `move ${shortBranch(branchRef)} back to ${before ?? 'no commit'}, keeping the files`;
    const intent = await beginJournal(ws, options, { actionId: `worktree.save-wip:${target.subject ?? ''}`, title: preview.title, undo: { kind: 'git-ops', ops: undoOps(), description } });
    await runSteps(git, steps, worktree.path, options.onProgress);
    const after = await resolveRef(git, 'HEAD');
    const entry = await intent.commit({ kind: 'git-ops', ops: undoOps(after ?? undefined), description });
    return { ok: true, message: `Saved ${plural(preview.files?.length ?? 0, 'file')} as ${after?.slice(0, 12)} on ${shortBranch(branchRef)}.`, journalId: entry.id };
  },
};
