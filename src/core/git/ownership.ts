// Whether a worktree git lists really belongs to this repository before git runs inside it.
// `git worktree list` reads the repository's own records, but git run *inside* a worktree
// follows that folder's `.git` file, which anyone can rewrite to `gitdir: /other/repo/.git`
// (then a commit lands in the other repository) or delete (then git finds the enclosing main
// checkout). So git is asked from inside the worktree, and its answer must match ours: the same
// common directory, the worktree itself as the top level, and, for a linked worktree, an
// administrative folder under this repository's `worktrees/` whose `gitdir` points back at it.
import { lstatSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { FixupRefused } from '../fixups/types';
import { isInside, realPathNearest, samePath } from '../fixups/contain';
import { readRegularFileSync } from '../fixups/read-file';
import type { GitRunner } from './runner';
import { normalizeGitPath } from './worktrees';

// No --path-format (git 2.31+): a relative --git-common-dir is resolved against the directory asked.
const ASK = ['rev-parse', '--git-common-dir', '--absolute-git-dir', '--show-toplevel'] as const;

interface GitDirs {
  common: string;
  gitDir: string;
  top: string;
}

async function dirsOf(git: GitRunner, cwd: string): Promise<GitDirs | string> {
  let out: string;
  try {
    out = await git.out(ASK, { cwd });
  } catch (e) {
    return (e as Error).message;
  }
  const [common, gitDir, top] = out.split(/\r?\n/).map((l) => l.trim());
  if (!common || !gitDir || !top) return 'git did not say where its directories are';
  const real = (p: string) => realPathNearest(resolve(cwd, normalizeGitPath(p)));
  return { common: real(common), gitDir: real(gitDir), top: real(top) };
}

/** Throws a one-line refusal unless git inside `worktreePath` works on this repository's worktree there. */
export async function assertOwnWorktree(git: GitRunner, root: string, worktreePath: string, display = worktreePath): Promise<void> {
  const refuse = (why: string): never => {
    throw new FixupRefused(`refused: ${display} ${why}; git run there would change another repository or worktree`, 'unsafe');
  };
  const mine = await dirsOf(git, root);
  if (typeof mine === 'string') throw new FixupRefused(`cannot tell where this repository's git directory is: ${mine}`, 'invalid');
  const theirs = await dirsOf(git, worktreePath);
  if (typeof theirs === 'string') return refuse(`is not a working git checkout (${theirs})`);
  if (!samePath(theirs.common, mine.common)) return refuse(`belongs to the repository at ${theirs.common}, not this one (its .git file was changed)`);
  const here = realPathNearest(worktreePath);
  if (!samePath(theirs.top, here)) return refuse(`is not a checkout of its own (git finds ${theirs.top} instead; its .git is missing or moved)`);
  if (samePath(theirs.gitDir, mine.common)) {
    // Only the main worktree uses the common directory itself.
    if (!samePath(here, mine.top)) refuse('uses the main checkout\'s git directory');
    return;
  }
  if (!samePath(dirname(theirs.gitDir), resolve(mine.common, 'worktrees')) || !isInside(mine.common, theirs.gitDir)) {
    return refuse(`uses the git directory ${theirs.gitDir}, which is not one of this repository's worktrees`);
  }
  // The admin folder must name this worktree's .git back (else it is another worktree's HEAD and index).
  let back: string | undefined;
  try {
    back = readRegularFileSync(resolve(theirs.gitDir, 'gitdir'), { what: 'the worktree record', maxBytes: 64 * 1024 })?.toString('utf8').trim();
  } catch {
    back = undefined;
  }
  if (!back) return refuse(`uses ${theirs.gitDir}, which records no worktree`);
  const named = normalizeGitPath(back);
  const dotgit = realPathNearest(isAbsolute(named) ? named : resolve(theirs.gitDir, named));
  if (!samePath(dotgit, resolve(here, '.git'))) refuse(`uses ${theirs.gitDir}, which belongs to the worktree at ${dirname(dotgit)}`);
}

/**
 * The same judgement from the files git would follow, without starting git (the diagnosis
 * looks at every worktree, and runs nothing inside one it has not judged): why the worktree at
 * `path` is not this repository's, given the repository's git directory `gitDir` (the main
 * checkout's `.git`); undefined when its `.git` file leads to one of this repository's worktree
 * records and that record names it back; null when the files do not say (then ask git).
 */
export function worktreeLinkProblem(gitDir: string, path: string): string | undefined | null {
  const dotgit = resolve(path, '.git');
  const st = lstatSync(dotgit, { throwIfNoEntry: false });
  if (!st) return 'has no .git file (git run there would find the main checkout instead)';
  if (st.isDirectory()) return 'has a .git folder of its own: it is a separate repository';
  if (!st.isFile()) return null;
  let text: string | undefined;
  try {
    text = readRegularFileSync(dotgit, { what: 'the .git file', maxBytes: 64 * 1024 })?.toString('utf8');
  } catch {
    return null;
  }
  const m = text === undefined ? null : /^gitdir: (.+?)\r?\n?$/.exec(text);
  if (!m) return null;
  let admin: string;
  let records: string;
  try {
    const named = normalizeGitPath(m[1]!);
    admin = realPathNearest(isAbsolute(named) ? named : resolve(path, named));
    records = resolve(realPathNearest(gitDir), 'worktrees');
  } catch {
    return null;
  }
  if (!samePath(dirname(admin), records)) return `has a .git file that names ${admin}, which is not one of this repository's worktrees`;
  let back: string | undefined;
  try {
    back = readRegularFileSync(resolve(admin, 'gitdir'), { what: 'the worktree record', maxBytes: 64 * 1024 })?.toString('utf8').trim();
  } catch {
    return null;
  }
  if (!back) return `uses ${admin}, which records no worktree`;
  const named = normalizeGitPath(back);
  const recorded = realPathNearest(isAbsolute(named) ? named : resolve(admin, named));
  if (!samePath(recorded, realPathNearest(dotgit))) return `uses ${admin}, which belongs to the worktree at ${dirname(recorded)}`;
  return undefined;
}
