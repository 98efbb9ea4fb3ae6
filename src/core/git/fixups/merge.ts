// branch.merge: merges a workstream branch into main with a merge commit (so it can later be
// found and reverted as one unit). On conflict: abort, report the conflicting files and hand
// over to the merge-conflict playbook; never leave a half-merge. Undo resets main to the
// journaled pre-merge commit, and only while main has not moved since.
import type { ActionTarget, ApplyResult, FixupHandler, Preview, WorkspaceContext } from '../../fixups/types';
import { FixupRefused } from '../../fixups/types';
import { branchParser } from '../branches';
import { isRefName, isWorkstreamId, refNameProblem } from '../../fixups/names';
import type { GitRunner } from '../runner';
import { listBranches } from '../refs';
import { gitFor } from '../repository';
import { commitOnMain, mainCheckout } from './main-checkout';
import { assertMayApply, refuse } from './common';

/** A branch named directly, or the one branch of a workstream id (`ws-15` -> `ws/ws-15/agent-1`). */
export async function resolveBranchSubject(ws: WorkspaceContext, git: GitRunner, subject: string | undefined): Promise<string> {
  if (!subject) throw new FixupRefused('this action needs a branch or workstream id, e.g. branch.merge:ws/ws-15/agent-1', 'invalid');
  const branches = await listBranches(git);
  if (isRefName(subject) && branches.has(subject)) return subject;
  if (isWorkstreamId(subject)) {
    const parse = branchParser(ws.config.branchPattern);
    const mine = [...branches.keys()].filter((b) => parse(b)?.ws === subject);
    if (mine.length === 1) return mine[0]!;
    if (mine.length > 1) throw new FixupRefused(`workstream ${subject} has several branches (${mine.join(', ')}); name one`, 'invalid');
  }
  const problem = refNameProblem(subject);
  if (problem) throw new FixupRefused(`unsafe branch name ${JSON.stringify(subject)}: ${problem}`, 'unsafe');
  throw new FixupRefused(`no branch ${JSON.stringify(subject)}`, 'invalid');
}

interface Plan {
  preview: Preview;
  branch: string;
  cwd: string;
  args: string[];
}

async function plan(ws: WorkspaceContext, target: ActionTarget): Promise<Plan> {
  const git = gitFor(ws);
  const main = ws.config.mainBranch;
  const branch = await resolveBranchSubject(ws, git, target.subject);
  const args = ['merge', '--no-ff', '--no-edit', '--end-of-options', branch];
  let preview: Preview = { title: `Merge ${branch} into ${main}`, git: [args], notes: [], effect: 'reversible' };
  const at = await mainCheckout(ws, git);
  const cwd = 'worktree' in at ? at.worktree.path : ws.root;
  if (branch === main) return { preview: refuse(preview, `${branch} is the main branch`, 'unsafe'), branch, cwd, args };
  if ('problem' in at) return { preview: refuse(preview, at.problem, at.code), branch, cwd, args };
  const log = await git.out(['log', '--format=%h %s', '--max-count=20', `refs/heads/${main}..refs/heads/${branch}`, '--']);
  const commits = log.split('\n').filter(Boolean);
  if (commits.length === 0) return { preview: refuse(preview, `${branch} has no commits that ${main} lacks`), branch, cwd, args };
  preview = {
    ...preview,
    notes: [
      `Runs in ${cwd}. Commits to bring in (newest first, up to 20):`,
      ...commits.map((c) => `  ${c}`),
      'On a conflict the merge is aborted, the conflicting files are listed and the merge-conflict playbook takes over.',
      `Undo resets ${main} to where it is now, only while nothing else has landed on it.`,
    ],
  };
  return { preview, branch, cwd, args };
}

export const mergeHandler: FixupHandler = {
  action: 'branch.merge',
  async preview(ws, target) {
    return (await plan(ws, target)).preview;
  },
  async apply(ws, target, options): Promise<ApplyResult> {
    const { preview, branch, cwd, args } = await plan(ws, target);
    assertMayApply(preview, options);
    return commitOnMain(ws, options, {
      op: 'merge',
      args,
      cwd,
      actionId: `branch.merge:${target.subject ?? branch}`,
      title: preview.title,
      what: branch,
      done: (post) => `Merged ${branch} into ${ws.config.mainBranch} as ${post.slice(0, 12)}.`,
    });
  },
};
