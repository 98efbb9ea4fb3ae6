// worktree.remove: removes an agent's worktree. Refused while it holds uncommitted or ignored
// files, has commits no other ref has, is locked, or has a live process inside, unless the user
// confirms exactly what the preview lists (--discard). Uncommitted files are stashed into
// refs/lifeline/backup/..., the branch is kept, and a detached HEAD's commits get a backup ref;
// undo re-creates the worktree and re-applies the stashed files. Ignored files are the one thing
// not backed up, which is why they must be confirmed by name.
import type { ActionTarget, ApplyResult, FixupHandler, GitUndoOp, Preview, WorkspaceContext } from '../../fixups/types';
import { FixupRefused } from '../../fixups/types';
import { liveClaudeOwner } from '../../fixups/claude-lock';
import { matchProcesses, scanProcesses } from '../processes';
import type { LiveProcess } from '../processes';
import { backupRefName, uniqueCommits } from '../refs';
import { ignoredPaths, worktreeStatus } from '../status';
import { gitFor } from '../repository';
import { shortBranch } from '../worktrees';
import type { Worktree } from '../worktrees';
import { assertMayApply, backupStem, beginJournal, journalPathOf, refuse, resolveWorktree, runSteps } from './common';
import { inToolWorktreeRoot } from '../../fixups/tool-worktrees';
import { displayPath, isInside } from '../../fixups/contain';
import { plural } from '../../text/strings';

interface Plan {
  preview: Preview;
  worktree: Worktree;
  steps: string[][];
  undo: GitUndoOp[];
  /** Reasons beyond files/commits that also need --discard (lock, live processes). */
  hazards: string[];
  backups: string[];
}

function describe(p: LiveProcess): string {
  return `${p.pid} ${p.command.slice(0, 80)}`;
}

async function plan(ws: WorkspaceContext, target: ActionTarget): Promise<Plan> {
  const git = gitFor(ws);
  const now = (ws.now ?? (() => new Date()))();
  const { worktree: w, display } = await resolveWorktree(ws, git, target.subject);
  const base: Preview = { title: `Remove worktree ${display}`, git: [], notes: [], effect: 'destructive' };
  const empty = { worktree: w, steps: [], undo: [], hazards: [], backups: [] };
  if (w.main) return { ...empty, preview: refuse(base, `${display} is the main worktree; it is never removed`, 'unsafe') };
  if (w.bare) return { ...empty, preview: refuse(base, `${display} is a bare repository entry`, 'unsafe') };
  if (w.prunable !== null) return { ...empty, preview: refuse(base, `${display}: its directory is gone; use worktree.prune`) };
  // A live Claude Code agent's worktree is never taken, not even with --discard.
  const live = liveClaudeOwner(w.locked);
  if (live) return { ...empty, preview: refuse(base, `${display}: ${live}`, 'busy') };

  const branch = shortBranch(w.branch);
  // Processes first: the status call below is itself a process inside the worktree.
  const scan = await scanProcesses();
  const dirty = await worktreeStatus(git, w.path);
  // Ignored files are not stashed (they are often huge and regenerable), so they are lost with
  // the folder: they go on the discard list, and --discard confirms exactly them too.
  const ignored = await ignoredPaths(git, w.path);
  const commits = w.head ? await uniqueCommits(git, w.head, w.branch ? [w.branch] : []) : [];
  const processes = matchProcesses(scan, [w.path]).get(w.path) ?? null;
  const stem = backupStem(display.split('/').pop() ?? 'worktree');
  const steps: string[][] = [];
  const undo: GitUndoOp[] = [];
  const backups: string[] = [];
  const hazards: string[] = [];
  const notes: string[] = [];

  if (w.locked !== null) hazards.push(`it is locked (${w.locked || 'no reason given'})`);
  if (processes && processes.length) hazards.push(`${plural(processes.length, 'process', 'processes')} still ${processes.length === 1 ? 'runs' : 'run'} inside: ${processes.slice(0, 5).map(describe).join('; ')}`);
  if (processes === null) notes.push('Whether a process still runs inside cannot be told on this system.');

  if (dirty.length) {
    const ref = backupRefName(`${stem}-files`, now);
    backups.push(ref);
    steps.push(['-C', w.path, 'stash', 'push', '--include-untracked', '--quiet', '-m', `lifeline: uncommitted work of ${display}`]);
    steps.push(['update-ref', ref, 'refs/stash', '']); // '' as old value: create, never overwrite
    steps.push(['stash', 'drop', '--quiet']);
    notes.push(`${plural(dirty.length, 'uncommitted file')} ${dirty.length === 1 ? 'is' : 'are'} stashed into ${ref} first (git stash apply ${ref} brings them back):`);
    notes.push(...dirty.slice(0, 30).map((e) => `  ${e.code} ${e.path}`), ...(dirty.length > 30 ? [`  ... and ${dirty.length - 30} more`] : []));
  }
  if (commits.length) {
    if (branch) notes.push(`${plural(commits.length, 'commit')} ${commits.length === 1 ? 'exists' : 'exist'} on no other ref; ${commits.length === 1 ? 'it stays' : 'they stay'} on branch ${branch}, which is kept.`);
    else {
      const ref = backupRefName(`${stem}-head`, now);
      backups.push(ref);
      steps.push(['update-ref', ref, w.head!, '']);
      notes.push(`${plural(commits.length, 'commit')} of the detached HEAD ${commits.length === 1 ? 'exists' : 'exist'} on no ref; ${commits.length === 1 ? 'it is' : 'they are'} kept under ${ref}.`);
    }
  }
  steps.push(['worktree', 'remove', ...(w.locked !== null ? ['--force', '--force'] : []), '--end-of-options', w.path]);
  if (branch) notes.push(`Branch ${branch} is kept.`);
  if (ignored.length) {
    notes.push(`${plural(ignored.length, 'path')} git ignores ${ignored.length === 1 ? 'is' : 'are'} deleted with the folder and not backed up (undo does not bring them back):`);
    notes.push(...ignored.slice(0, 30).map((p) => `  !! ${p}`), ...(ignored.length > 30 ? [`  ... and ${ignored.length - 30} more`] : []));
  }

  // Typed undo operations (the journal never holds argv). A worktree outside the workspace, or one
  // with no commit, has no journalable undo: apply refuses it before changing anything.
  if (w.head && (isInside(ws.root, w.path) || inToolWorktreeRoot(ws, w.path))) {
    const rel = isInside(ws.root, w.path) ? displayPath(ws.root, w.path) : journalPathOf(ws, w.path);
    undo.push({ op: 'recreate-worktree', path: rel, branch, sha: w.head });
    if (backups[0] && dirty.length) undo.push({ op: 'apply-stash', worktree: rel, ref: backups[0] });
    if (w.locked !== null) undo.push({ op: 'lock-worktree', path: rel, reason: w.locked || null });
  }
  for (const h of hazards) notes.unshift(`Needs --discard: ${h}.`);

  const preview: Preview = {
    ...base,
    git: steps,
    files: [w.path],
    notes,
    // Without anything to confirm, undo re-creates the worktree at its branch: reversible.
    effect: dirty.length || ignored.length || commits.length || hazards.length ? 'destructive' : 'reversible',
    discards: { files: [...dirty.map((e) => e.path), ...ignored], commits: commits.map((c) => `${c.sha.slice(0, 12)} ${c.subject}`) },
  };
  return { preview, worktree: w, steps, undo, hazards, backups };
}

export const removeHandler: FixupHandler = {
  action: 'worktree.remove',
  async preview(ws, target) {
    return (await plan(ws, target)).preview;
  },
  async apply(ws, target, options): Promise<ApplyResult> {
    const { preview, worktree, steps, undo, hazards, backups } = await plan(ws, target);
    if (hazards.length && !preview.refusal && !options.discard) {
      throw new FixupRefused(`refused: ${hazards.join('; ')}; review the preview and pass --discard to confirm`, 'unsafe');
    }
    assertMayApply(preview, options);
    if (!undo.length) throw new FixupRefused(`refused: ${preview.title.replace('Remove worktree ', '')} ${worktree.head ? 'is outside the workspace' : 'has no commit'}, so undo could not re-create it; remove it by hand if you mean to`, 'unsafe');
    const intent = await beginJournal(ws, options, {
      actionId: `worktree.remove:${target.subject ?? ''}`,
      title: preview.title,
      undo: { kind: 'git-ops', ops: undo, description: `re-create ${worktree.path}${backups.length ? ` and restore from ${backups.join(', ')}` : ''}` },
    });
    await runSteps(gitFor(ws), steps, undefined, options.onProgress);
    const entry = await intent.commit();
    return { ok: true, message: `Removed ${preview.title.replace('Remove worktree ', '')}${backups.length ? `; backups: ${backups.join(', ')}` : ''}.`, journalId: entry.id };
  },
};
