// What a fix-up does to the workspace, in one of four words every front-end shows the same way
// (the tree's quick pick, the guide's badge, the CLI preview, `fix --json`). Each plan states its
// own effect in its preview; the table below is the most any plan of an action can do, for
// places that show an action before it is planned (the tree, `diagnose`). Pure data.
import type { FixupAction } from '../playbooks/model';

export const EFFECTS = ['read-only', 'reversible', 'irreversible', 'destructive'] as const;

/**
 * - `read-only`: changes nothing in the workspace (it may write a new report file).
 * - `reversible`: backed up or journaled first; undo restores it.
 * - `irreversible`: a change undo cannot take back (prune, repair).
 * - `destructive`: would discard work; runs only after the user confirms exactly what.
 */
export type Effect = (typeof EFFECTS)[number];

/** The most each action can do; a plan may do less (a clean worktree's removal is reversible). */
export const ACTION_EFFECTS: Readonly<Record<FixupAction, Effect>> = {
  'worktree.prune': 'irreversible',
  'worktree.repair': 'irreversible',
  'worktree.unlock': 'reversible',
  'worktree.save-wip': 'reversible',
  'worktree.remove': 'destructive',
  'branch.merge': 'reversible',
  'branch.delete': 'destructive',
  'merge.revert': 'reversible',
  'merge.find-culprit': 'read-only',
  'workstream.mark-failed': 'reversible',
  'workstream.mark-completed': 'reversible',
  'workstream.mark-pending': 'reversible',
  'workstream.mark-reverted': 'reversible',
  'workstream.unblock': 'reversible',
  'db.checkpoint': 'reversible',
  'db.integrity-check': 'read-only',
  'db.dump': 'read-only',
  'logs.bundle': 'read-only',
  'vibe-kanban.stop-ghost-run': 'reversible',
  // Destructive only when ignored files go with the worktree's folder (the plan says so).
  'claude-squad.pause': 'destructive',
};

/** How serious an effect is, for comparisons (a plan never exceeds its action's table entry). */
export function effectRank(e: Effect): number {
  return EFFECTS.indexOf(e);
}

/**
 * Whether a change with this effect can be undone from the journal. A destructive plan is
 * backed up before it discards (stash and backup refs), so its journal entry restores it too.
 */
export function effectUndoable(e: Effect): boolean {
  return e === 'reversible' || e === 'destructive';
}
