// worktree.repair: `git worktree repair` (optionally for one path) rewrites the links between
// the repository and its worktrees after folders were moved. Metadata only: nothing to undo.
import type { FixupHandler, Preview, WorkspaceContext, ActionTarget } from '../../fixups/types';
import { gitFor } from '../workspace';
import { assertMayApply, beginJournal, resolveWorktree, runSteps } from './common';

async function plan(ws: WorkspaceContext, target: ActionTarget): Promise<{ preview: Preview; steps: string[][] }> {
  const git = gitFor(ws);
  const args = ['worktree', 'repair'];
  if (target.subject) {
    const { worktree } = await resolveWorktree(ws, git, target.subject);
    args.push('--end-of-options', worktree.path);
  }
  return {
    preview: {
      title: 'Repair worktree administrative files',
      git: [args],
      notes: ['git rewrites the .git files that link worktrees and the repository; no file content changes.', 'Nothing to undo: the links only point where the folders really are.'],
      effect: 'irreversible',
    },
    steps: [args],
  };
}

export const repairHandler: FixupHandler = {
  action: 'worktree.repair',
  async preview(ws, target) {
    return (await plan(ws, target)).preview;
  },
  async apply(ws, target, options) {
    const { preview, steps } = await plan(ws, target);
    assertMayApply(preview, options);
    const intent = await beginJournal(ws, options, { actionId: 'worktree.repair', title: preview.title, undo: { kind: 'none', reason: 'repair only rewrites links to where the worktrees are' } });
    await runSteps(gitFor(ws), steps, undefined, options.onProgress);
    const entry = await intent.commit();
    return { ok: true, message: 'Worktree links repaired.', journalId: entry.id };
  },
};
