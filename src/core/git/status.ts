// Uncommitted work in a worktree, from `git status --porcelain=v1 -z` (every untracked file
// listed, so a discard confirmation names exactly what would go).
import type { GitRunner } from './runner';

export interface StatusEntry {
  /** Two-letter porcelain code, e.g. " M", "??", "A ". */
  code: string;
  path: string;
  /** Original path of a rename or copy. */
  from?: string;
}

// --no-optional-locks: looking must never take index.lock from under an agent that is working there.
// -b: the branch header means git always prints something, and simple-git waits 50 ms for output
// from a process that printed nothing; the header is skipped when parsing.
export const STATUS_ARGS = ['--no-optional-locks', 'status', '--porcelain=v1', '-b', '-z', '--untracked-files=all', '--ignore-submodules=none'] as const;

export function parseStatus(text: string): StatusEntry[] {
  const out: StatusEntry[] = [];
  const fields = text.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.length < 4 || f.startsWith('## ')) continue;
    const code = f.slice(0, 2);
    const entry: StatusEntry = { code, path: f.slice(3) };
    if (code[0] === 'R' || code[0] === 'C') {
      const from = fields[++i];
      if (from) entry.from = from;
    }
    out.push(entry);
  }
  return out;
}

export async function worktreeStatus(git: GitRunner, dir: string): Promise<StatusEntry[]> {
  return parseStatus(await git.out(STATUS_ARGS, { cwd: dir }));
}

// Ignored paths as git matches them: an ignored folder is one entry (`node_modules/`), not its
// thousands of files, so a preview can list what removing the folder would delete.
const IGNORED_ARGS = ['--no-optional-locks', 'status', '--porcelain=v1', '-b', '-z', '--ignored=matching', '--untracked-files=normal', '--ignore-submodules=none'] as const;

/** Files and folders git ignores in the worktree at `dir` (folders end with "/"). */
export async function ignoredPaths(git: GitRunner, dir: string): Promise<string[]> {
  return parseStatus(await git.out(IGNORED_ARGS, { cwd: dir }))
    .filter((e) => e.code === '!!')
    .map((e) => e.path);
}

/** Whether a merge, rebase, cherry-pick or revert is half-done in the worktree at `dir`. */
export async function operationInProgress(git: GitRunner, dir: string): Promise<string | null> {
  for (const [ref, what] of [
    ['MERGE_HEAD', 'a merge'],
    ['CHERRY_PICK_HEAD', 'a cherry-pick'],
    ['REVERT_HEAD', 'a revert'],
    ['REBASE_HEAD', 'a rebase'],
  ] as const) {
    const r = await git.run(['rev-parse', '-q', '--verify', ref], { cwd: dir, okExit: [1] });
    if (r.exitCode === 0) return what;
  }
  return null;
}
