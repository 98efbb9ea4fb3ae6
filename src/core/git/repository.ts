// The repository a command runs in, as git sees it: its main worktree (also from inside a
// linked worktree), its main branch (config, else main / master / init.defaultBranch), what
// kind of folder it is, and the runner every git module uses. Opening the whole workspace
// (with `.lifeline.json`) is the engine's job: src/core/engine/open-workspace.ts.
import type { WorkspaceContext } from '../fixups/types';
import { refNameProblem } from '../fixups/names';
import { GitError, GitRunner } from './runner';
import { parseWorktreeList, WORKTREE_LIST_ARGS } from './worktrees';

/** The main worktree of the repository that contains `cwd`. */
export async function findRepositoryRoot(cwd: string, signal?: AbortSignal): Promise<string> {
  const git = new GitRunner(cwd, signal);
  let text: string;
  try {
    text = await git.out(WORKTREE_LIST_ARGS);
  } catch (e) {
    if (e instanceof GitError && /not a git repository/i.test(e.message)) throw new Error(`not inside a git repository: ${cwd}`, { cause: e });
    throw e;
  }
  const main = parseWorktreeList(text)[0];
  if (!main) throw new Error(`git listed no worktrees for ${cwd}`);
  if (main.bare) throw new Error(`${main.path} is a bare repository; run Lifeline in a checkout`);
  return main.path;
}

async function branchExists(git: GitRunner, name: string): Promise<boolean> {
  const r = await git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${name}^{commit}`], { okExit: [1] });
  return r.exitCode === 0;
}

/** The main branch: configured, else `main`, `master`, `init.defaultBranch`; error when none exists. */
export async function detectMainBranch(git: GitRunner, configured: string): Promise<string> {
  if (configured) {
    if (await branchExists(git, configured)) return configured;
    throw new Error(`configured main branch "${configured}" does not exist`);
  }
  for (const name of ['main', 'master']) if (await branchExists(git, name)) return name;
  const r = await git.run(['config', '--get', 'init.defaultBranch'], { okExit: [1] });
  const def = r.stdout.trim();
  if (def && !refNameProblem(def) && (await branchExists(git, def))) return def;
  throw new Error('cannot tell the main branch (no main, master or init.defaultBranch); set "mainBranch" in .lifeline.json');
}

/** The runner every git module uses for a workspace. */
export function gitFor(ws: WorkspaceContext, cwd = ws.root): GitRunner {
  return new GitRunner(cwd, ws.signal);
}

/** What a folder is to Lifeline: a repository with commits, a repository without any yet, or no repository. */
export type FolderKind = 'repository' | 'no-commits' | 'not-git';

/**
 * Tells the first-contact cases apart (the Stuck Workstreams view welcomes each in its own
 * words instead of showing an error). Errors other than "not a repository" (git missing,
 * a timeout) are thrown as they are.
 */
export async function folderKind(cwd: string, signal?: AbortSignal): Promise<FolderKind> {
  const git = new GitRunner(cwd, signal);
  try {
    await git.run(['rev-parse', '--is-inside-work-tree']);
  } catch (e) {
    if (e instanceof GitError && /not a git repository/i.test(e.message)) return 'not-git';
    throw e;
  }
  const head = await git.run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { okExit: [1, 128] });
  return head.exitCode === 0 ? 'repository' : 'no-commits';
}
