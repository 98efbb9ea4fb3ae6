// merge.revert: reverts a merge commit on main against its first parent (`git revert -m 1`).
// On conflict it aborts like a merge does; undo resets main back while it has not moved.
import { MERGE_CONFLICT_SCENARIO } from '../../fixups/scenarios';
import type { ActionTarget, ApplyResult, FixupHandler, Preview, WorkspaceContext } from '../../fixups/types';
import { FixupRefused } from '../../fixups/types';
import { isObjectId } from '../names';
import { resolveRef } from '../refs';
import { operationInProgress } from '../status';
import { gitFor } from '../workspace';
import { assertMayApply, journal, refuse } from './common';
import { abortAndVerify, conflictFiles, mainCheckout } from './main-checkout';

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
  let preview: Preview = { title: `Revert merge ${summary} on ${main}`, git: [args], notes: [], destructive: false };
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
  readOnly: false,
  async preview(ws, target) {
    return (await plan(ws, target)).preview;
  },
  async apply(ws, target, options): Promise<ApplyResult> {
    const { preview, cwd, args, sha } = await plan(ws, target);
    assertMayApply(preview, options);
    const git = gitFor(ws, cwd);
    const pre = (await resolveRef(git, 'HEAD'))!;
    options.onProgress?.(`git ${args.join(' ')}`);
    let result;
    try {
      result = await git.run(args, { okExit: [1] });
    } catch (e) {
      await abortAndVerify(git, cwd, 'revert', pre);
      throw e;
    }
    if (result.exitCode !== 0) {
      const stopped = await operationInProgress(git, cwd);
      const files = stopped ? await conflictFiles(git, cwd) : [];
      await abortAndVerify(git, cwd, 'revert', pre);
      return stopped
        ? { ok: false, message: `Reverting ${sha.slice(0, 12)} conflicts in ${files.length} file(s); aborted, ${ws.config.mainBranch} is unchanged.`, output: files, handOff: MERGE_CONFLICT_SCENARIO }
        : { ok: false, message: `Revert did not start: ${(result.stderr || result.stdout).trim().split(/\r?\n/)[0]}` };
    }
    const post = await resolveRef(git, 'HEAD');
    const entry = await journal(ws, options, {
      actionId: `merge.revert:${target.subject ?? sha}`,
      title: preview.title,
      undo: {
        kind: 'git',
        steps: [['reset', '--keep', '--quiet', pre]],
        cwd,
        expect: [{ ref: `refs/heads/${ws.config.mainBranch}`, sha: post }],
        description: `reset ${ws.config.mainBranch} to ${pre.slice(0, 12)} (before the revert)`,
      },
    });
    return { ok: true, message: `Reverted ${sha.slice(0, 12)} as ${post?.slice(0, 12)}.`, journalId: entry.id };
  },
};
