// worktree.repair: `git worktree repair` (optionally for one path) rewrites the links between
// the repository and its worktrees after folders were moved. Metadata only: nothing to undo.
// git writes where files anyone can edit point, so every place it would write must resolve
// inside the workspace first.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { FixupHandler, Preview, WorkspaceContext, ActionTarget } from '../../fixups/types';
import { FixupRefused } from '../../fixups/types';
import { containedPath, displayPath, isInside, realPathNearest, realRoot, samePath } from '../../fixups/contain';
import { readRegularFileSync } from '../../fixups/read-file';
import { gitFor } from '../repository';
import { listWorktrees, normalizeGitPath } from '../worktrees';
import type { Worktree } from '../worktrees';
import { assertMayApply, beginJournal, refuse, resolveWorktree, runSteps } from './common';

/** The record a worktree's `.git` file names (`gitdir: X`), or null when it names none git would follow. */
function recordOf(worktree: string): string | null {
  let text: string | undefined;
  try {
    text = readRegularFileSync(join(worktree, '.git'), { what: 'the .git file', maxBytes: 64 * 1024 })?.toString('utf8');
  } catch {
    return null;
  }
  const m = text === undefined ? null : /^gitdir: (.+?)\r?\n?$/.exec(text);
  if (!m) return null;
  const named = normalizeGitPath(m[1]!);
  return isAbsolute(named) ? named : resolve(worktree, named);
}

/**
 * Why git worktree repair must not run, or undefined. It rewrites `<path>/.git` of every recorded
 * worktree whose folder exists (with or without a path argument, git repairs them all), at the
 * path `.git/worktrees/<id>/gitdir` names; for a path given, also the `gitdir` file of the record
 * that path's `.git` names. Each target is resolved as git's write would (links followed).
 */
function writesOutside(ws: WorkspaceContext, all: readonly Worktree[], given?: Worktree): string | undefined {
  const root = realRoot(ws.root);
  // A path git lists relative (a record holding a relative gitdir) is relative to where git runs: the root.
  const targets = all
    .map((w) => ({ ...w, path: resolve(ws.root, w.path) }))
    .filter((w) => !w.main && !w.bare && existsSync(w.path))
    .map((w) => join(w.path, '.git'));
  const record = given ? recordOf(given.path) : null;
  if (record) targets.push(join(record, 'gitdir'));
  for (const target of targets) {
    let real: string;
    try {
      real = realPathNearest(target);
    } catch {
      real = target; // unresolvable (a link loop, no permission): not proved inside
    }
    if (isInside(root, real)) continue;
    const via = isInside(ws.root, target) || isInside(root, target) ? ` (through ${displayPath(ws.root, target)})` : '';
    return `git worktree repair would write ${real}${via}, outside the workspace; nothing was run`;
  }
  return undefined;
}

/**
 * The folder `subject` names, as a worktree to repair, when its `.git` file names one of this
 * repository's worktree records (`<git dir>/worktrees/<id>`); null otherwise.
 */
function backlinkedFolder(ws: WorkspaceContext, subject: string): Worktree | null {
  let abs: string;
  try {
    abs = containedPath(ws.root, subject, 'worktree');
  } catch {
    return null;
  }
  const record = recordOf(abs);
  if (!record) return null;
  let real: string;
  try {
    real = realPathNearest(record);
  } catch {
    return null;
  }
  const records = join(realRoot(ws.root), '.git', 'worktrees');
  if (!samePath(dirname(real), records) || !existsSync(join(real, 'gitdir'))) return null;
  return { path: abs, head: null, branch: null, detached: false, bare: false, locked: null, prunable: null, main: false };
}

async function plan(ws: WorkspaceContext, target: ActionTarget): Promise<{ preview: Preview; steps: string[][] }> {
  const git = gitFor(ws);
  const args = ['worktree', 'repair'];
  let given: Worktree | undefined;
  let all: Worktree[];
  if (target.subject) {
    try {
      ({ worktree: given, all } = await resolveWorktree(ws, git, target.subject));
    } catch (e) {
      // A record whose gitdir does not name its folder back makes git list the worktree under
      // another path (Claude Code writes literally `.git` there, anthropics/claude-code#76144):
      // the folder is found from its own .git file instead, which is what repair reads too.
      const found = e instanceof FixupRefused && e.code === 'invalid' ? backlinkedFolder(ws, target.subject) : null;
      if (!found) throw e;
      all = await listWorktrees(git);
      given = found;
    }
    args.push('--end-of-options', given.path);
  } else all = await listWorktrees(git);
  const preview: Preview = {
    title: 'Repair worktree administrative files',
    git: [args],
    notes: ['git rewrites the .git files that link worktrees and the repository; no file content changes.', 'Nothing to undo: the links only point where the folders really are.'],
    effect: 'irreversible',
  };
  const outside = writesOutside(ws, all, given);
  return { preview: outside ? refuse(preview, outside, 'unsafe') : preview, steps: [args] };
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
