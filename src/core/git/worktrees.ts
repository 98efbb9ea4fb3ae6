// Reads `git worktree list --porcelain -z`: every worktree with its HEAD, branch, and the
// detached / bare / locked / prunable states git reports (with reasons).
import type { GitRunner } from './runner';

export interface Worktree {
  /** Absolute path as git records it (native separators on Windows after normalising). */
  path: string;
  head: string | null;
  /** Full ref, e.g. `refs/heads/ws/ws-15/agent-1`; null when detached or bare. */
  branch: string | null;
  detached: boolean;
  bare: boolean;
  /** Lock reason ('' when locked without one); null when not locked. */
  locked: string | null;
  /** Why git would prune it ('' without a reason); null when not prunable. */
  prunable: string | null;
  /** The first entry: the main worktree. */
  main: boolean;
}

/** Parses the NUL-separated porcelain output; unknown attributes are ignored (newer git). */
export function parseWorktreeList(text: string): Worktree[] {
  const out: Worktree[] = [];
  let cur: Worktree | null = null;
  for (const field of text.split('\0')) {
    if (field === '') {
      if (cur) out.push(cur);
      cur = null;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space < 0 ? field : field.slice(0, space);
    const value = space < 0 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      if (cur) out.push(cur);
      cur = { path: value, head: null, branch: null, detached: false, bare: false, locked: null, prunable: null, main: out.length === 0 };
      continue;
    }
    if (!cur) continue;
    switch (key) {
      case 'HEAD':
        cur.head = value;
        break;
      case 'branch':
        cur.branch = value;
        break;
      case 'detached':
        cur.detached = true;
        break;
      case 'bare':
        cur.bare = true;
        break;
      case 'locked':
        cur.locked = value;
        break;
      case 'prunable':
        cur.prunable = value;
        break;
    }
  }
  if (cur) out.push(cur);
  return out.map((w, i) => ({ ...w, main: i === 0, path: normalizeGitPath(w.path) }));
}

/** git prints Windows paths with forward slashes (C:/x/y); node wants native ones there. */
export function normalizeGitPath(p: string): string {
  return process.platform === 'win32' ? p.replace(/\//g, '\\') : p;
}

export const WORKTREE_LIST_ARGS = ['worktree', 'list', '--porcelain', '-z'] as const;

export async function listWorktrees(git: GitRunner): Promise<Worktree[]> {
  return parseWorktreeList(await git.out(WORKTREE_LIST_ARGS));
}

/** Short branch name (`ws/ws-15/agent-1`) from a full ref. */
export function shortBranch(ref: string | null): string | null {
  if (!ref) return null;
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
}
