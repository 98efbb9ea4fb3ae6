// merge.revert: reverts a merge commit on main against its first parent (`git revert -m 1`).
// On conflict it aborts like a merge does; undo resets main back while it has not moved.
import type { ActionTarget, ApplyResult, FixupHandler, Preview, WorkspaceContext } from '../../fixups/types';
import { FixupRefused } from '../../fixups/types';
import { isObjectId } from '../../fixups/names';
import { resolveRef } from '../refs';
import { gitFor } from '../repository';
import { assertMayApply, refuse } from './common';
import { commitOnMain, mainCheckout } from './main-checkout';

async function plan(ws: WorkspaceContext, target: ActionTarget): Promise<{ preview: Preview; cwd: string; args: string[]; sha: string }> {
  const subject = target.subject ?? '';
  if (!isObjectId(subject)) throw new FixupRefused('merge.revert needs a commit id (hex), e.g. merge.revert:abc123f', 'invalid');
  const git = gitFor(ws);
  const main = ws.config.mainBranch;
  const sha = await resolveRef(git, subject);
  if (!sha) throw new FixupRefused(`no commit ${subject}`, 'invalid');
  const args = ['revert', '-m', '1', '--no-edit', '--end-of-options', sha];
  const line = (await git.out(['log', '-1', '--format=%P%x00%h %s', sha, '--'])).trim();
  const [parents = '', summary = sha] = line.split('\0');
  let preview: Preview = { title: `Revert merge ${summary} on ${main}`, git: [args], notes: [], effect: 'reversible' };
  const at = await mainCheckout(ws, git);
  const cwd = 'worktree' in at ? at.worktree.path : ws.root;
  if (parents.split(' ').filter(Boolean).length < 2) return { preview: refuse(preview, `${sha.slice(0, 12)} is not a merge commit`), cwd, args, sha };
  const onMain = await git.run(['merge-base', '--is-ancestor', sha, `refs/heads/${main}`], { okExit: [1] });
  if (onMain.exitCode !== 0) return { preview: refuse(preview, `${sha.slice(0, 12)} is not on ${main}`), cwd, args, sha };
  if ('problem' in at) return { preview: refuse(preview, at.problem, at.code), cwd, args, sha };
  preview = {
    ...preview,
    notes: [
      `Adds a commit on ${main} that undoes what ${summary} brought in (relative to its first parent). History is kept.`,
      'On a conflict the revert is aborted and the files are listed.',
      `Undo resets ${main} to where it is now, only while nothing else has landed on it.`,
    ],
  };
  return { preview, cwd, args, sha };
}

export const revertHandler: FixupHandler = {
  action: 'merge.revert',
  async preview(ws, target) {
    return (await plan(ws, target)).preview;
  },
  async apply(ws, target, options): Promise<ApplyResult> {
    const { preview, cwd, args, sha } = await plan(ws, target);
    assertMayApply(preview, options);
    return commitOnMain(ws, options, {
      op: 'revert',
      args,
      cwd,
      actionId: `merge.revert:${target.subject ?? sha}`,
      title: preview.title,
      what: sha.slice(0, 12),
      done: (post) => `Reverted ${sha.slice(0, 12)} as ${post.slice(0, 12)}.`,
    });
  },
};
