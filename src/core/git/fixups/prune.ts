// worktree.prune: `git worktree prune`, previewed with git's own dry-run list, so only what git
// itself calls prunable goes. A detached prunable worktree whose HEAD holds commits no ref has
// gets a backup ref first, because its admin folder is the last thing keeping them alive.
import type { ApplyOptions, ApplyResult, FixupHandler, Preview, WorkspaceContext } from '../../fixups/types';
import { backupRefName, uniqueCommits } from '../refs';
import { gitFor } from '../repository';
import { listWorktrees } from '../worktrees';
import { assertMayApply, backupStem, beginJournal, runSteps } from './common';

export const PRUNE_ARGS = ['worktree', 'prune', '-v'];
export const PRUNE_DRY_RUN_ARGS = ['worktree', 'prune', '--dry-run', '-v'];

async function plan(ws: WorkspaceContext): Promise<{ preview: Preview; steps: string[][]; backups: string[] }> {
  const git = gitFor(ws);
  const now = (ws.now ?? (() => new Date()))();
  const dry = await git.run(PRUNE_DRY_RUN_ARGS);
  const lines = `${dry.stdout}${dry.stderr}`.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith('Removing '));
  const steps: string[][] = [];
  const backups: string[] = [];
  for (const w of await listWorktrees(git)) {
    if (w.prunable === null || !w.detached || !w.head) continue;
    if ((await uniqueCommits(git, w.head)).length === 0) continue;
    const ref = backupRefName(backupStem(w.path.split(/[\\/]/).pop() ?? 'worktree'), now);
    steps.push(['update-ref', ref, w.head, '']);
    backups.push(ref);
  }
  const notes = lines.length ? lines.map((l) => `git would say: ${l}`) : ['Nothing to prune: git lists no worktree whose directory is gone.'];
  if (lines.length) {
    notes.push('Branches are untouched; only the administrative entries of missing directories go.');
    for (const b of backups) notes.push(`Commits only a missing detached worktree still held are kept under ${b}.`);
  }
  if (lines.length) steps.push(PRUNE_ARGS);
  return { preview: { title: 'Prune worktree entries whose directories are gone', git: steps, notes, effect: lines.length ? 'irreversible' : 'read-only' }, steps, backups };
}

export const pruneHandler: FixupHandler = {
  action: 'worktree.prune',
  async preview(ws) {
    return (await plan(ws)).preview;
  },
  async apply(ws, _target, options: ApplyOptions): Promise<ApplyResult> {
    const { preview, steps, backups } = await plan(ws);
    assertMayApply(preview, options);
    if (steps.length === 0) return { ok: true, message: 'Nothing to prune.' };
    const intent = await beginJournal(ws, options, {
      actionId: 'worktree.prune',
      title: preview.title,
      undo: { kind: 'none', reason: `pruned entries pointed at directories that no longer exist; branches are untouched${backups.length ? ` and ${backups.join(', ')} keep the commits of detached ones` : ''}` },
    });
    await runSteps(gitFor(ws), steps, undefined, options.onProgress);
    const entry = await intent.commit();
    const pruned = preview.notes.filter((n) => n.startsWith('git would say: ')).length;
    return { ok: true, message: `Pruned ${pruned} worktree entr${pruned === 1 ? 'y' : 'ies'}.`, journalId: entry.id, output: preview.notes };
  },
};
