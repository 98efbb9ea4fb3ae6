// worktree.unlock: unlocks a locked worktree; the journal keeps the reason so undo locks it again.
// Refused while the Claude Code agent or session the lock names still runs.
import type { ActionTarget, FixupHandler, Preview, WorkspaceContext } from '../../fixups/types';
import type { Worktree } from '../worktrees';
import { liveClaudeOwner } from '../../fixups/claude-lock';
import { gitFor } from '../repository';
import { assertMayApply, beginJournal, journalPathOf, refuse, resolveWorktree, runSteps } from './common';

async function plan(ws: WorkspaceContext, target: ActionTarget): Promise<{ preview: Preview; worktree: Worktree }> {
  const { worktree, display } = await resolveWorktree(ws, gitFor(ws), target.subject);
  const steps = [['worktree', 'unlock', '--end-of-options', worktree.path]];
  let preview: Preview = {
    title: `Unlock worktree ${display}`,
    git: steps,
    notes: [`Lock reason: ${worktree.locked || '(none given)'}`, 'A lock usually means someone keeps the worktree on purpose (an agent, a removable drive). Undo locks it again with the same reason.'],
    effect: 'reversible',
  };
  if (worktree.locked === null) preview = refuse(preview, `${display} is not locked`);
  // Checked again at apply (plan runs there too): the agent may have come back since the preview.
  const live = worktree.locked === null ? undefined : liveClaudeOwner(worktree.locked);
  if (live) preview = refuse(preview, `${display}: ${live}`, 'busy');
  return { preview, worktree };
}

export const unlockHandler: FixupHandler = {
  action: 'worktree.unlock',
  async preview(ws, target) {
    return (await plan(ws, target)).preview;
  },
  async apply(ws, target, options) {
    const { preview, worktree } = await plan(ws, target);
    assertMayApply(preview, options);
    const intent = await beginJournal(ws, options, {
      actionId: `worktree.unlock:${target.subject ?? ''}`,
      title: preview.title,
      undo: { kind: 'git-ops', ops: [{ op: 'lock-worktree', path: journalPathOf(ws, worktree.path), reason: worktree.locked || null }], description: `lock ${worktree.path} again` },
    });
    await runSteps(gitFor(ws), preview.git ?? [], undefined, options.onProgress);
    const entry = await intent.commit();
    return { ok: true, message: `${preview.title.replace('Unlock', 'Unlocked')}.`, journalId: entry.id };
  },
};
