// branch.delete: deletes a workstream branch. Its SHA is journaled (undo re-creates it), a
// branch checked out in a worktree is refused, and a branch with commits no other ref has needs
// --discard and first gets refs/lifeline/backup/<name>-<time>, so those commits stay reachable.
import type { ActionTarget, ApplyResult, FixupHandler, Preview, WorkspaceContext } from '../../fixups/types';
import { protectedBranchProblem } from '../branches';
import { backupRefName, resolveRef, uniqueCommits } from '../refs';
import { gitFor } from '../repository';
import { displayPath } from '../../fixups/contain';
import { listWorktrees } from '../worktrees';
import { assertMayApply, beginJournal, refuse, runSteps } from './common';
import { resolveBranchSubject } from './merge';

interface Plan {
  preview: Preview;
  branch: string;
  sha: string;
  steps: string[][];
}

async function plan(ws: WorkspaceContext, target: ActionTarget): Promise<Plan> {
  const git = gitFor(ws);
  const branch = await resolveBranchSubject(ws, git, target.subject);
  const sha = (await resolveRef(git, `refs/heads/${branch}`))!;
  const del = ['branch', '-D', '--end-of-options', branch];
  const base: Preview = { title: `Delete branch ${branch}`, git: [del], notes: [], effect: 'destructive' };
  const worktrees = await listWorktrees(git);
  const kept = protectedBranchProblem(ws.config.mainBranch, worktrees, branch);
  if (kept) return { preview: refuse(base, kept, 'unsafe'), branch, sha, steps: [] };
  const holder = worktrees.find((w) => w.branch === `refs/heads/${branch}`);
  if (holder) return { preview: refuse(base, `${branch} is checked out in ${displayPath(ws.root, holder.path)}; remove that worktree first`, 'unsafe'), branch, sha, steps: [] };
  const commits = await uniqueCommits(git, sha, [`refs/heads/${branch}`]);
  const steps: string[][] = [];
  const notes = [`${branch} points at ${sha.slice(0, 12)}; undo re-creates it there.`];
  if (commits.length) {
    const ref = backupRefName(branch, (ws.now ?? (() => new Date()))());
    steps.push(['update-ref', ref, sha, '']); // '' as old value: create, never overwrite
    notes.push(`${commits.length} commit(s) exist on no other ref; they are kept under ${ref}:`, ...commits.slice(0, 20).map((c) => `  ${c.sha.slice(0, 12)} ${c.subject}`));
  } else notes.push('Every commit on it is also on another ref: nothing is lost.');
  steps.push(del);
  return {
    preview: { ...base, git: steps, notes, effect: commits.length ? 'destructive' : 'reversible', discards: { files: [], commits: commits.map((c) => `${c.sha.slice(0, 12)} ${c.subject}`) } },
    branch,
    sha,
    steps,
  };
}

export const branchDeleteHandler: FixupHandler = {
  action: 'branch.delete',
  async preview(ws, target) {
    return (await plan(ws, target)).preview;
  },
  async apply(ws, target, options): Promise<ApplyResult> {
    const { preview, branch, sha, steps } = await plan(ws, target);
    assertMayApply(preview, options);
    const intent = await beginJournal(ws, options, {
      actionId: `branch.delete:${target.subject ?? branch}`,
      title: preview.title,
      undo: { kind: 'git-ops', ops: [{ op: 'restore-ref', ref: `refs/heads/${branch}`, sha }], description: `re-create ${branch} at ${sha.slice(0, 12)}` },
    });
    await runSteps(gitFor(ws), steps, undefined, options.onProgress);
    const entry = await intent.commit();
    return { ok: true, message: `Deleted ${branch} (was ${sha.slice(0, 12)}).`, journalId: entry.id };
  },
};
