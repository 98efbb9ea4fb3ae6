// Workstream branch naming (`ws/{ws}/{agent}` by default): from ids to a branch and back.
import { isRefName, isWorkstreamId } from '../fixups/names';

export interface BranchOwner {
  ws: string;
  agent: string | null;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A function reading the workstream (and agent) out of a branch name, or null when it is not one. */
export function branchParser(pattern: string): (branch: string) => BranchOwner | null {
  const parts = pattern.split(/(\{ws\}|\{agent\})/);
  const order: ('ws' | 'agent')[] = [];
  const body = parts
    .map((p) => {
      if (p === '{ws}' || p === '{agent}') {
        order.push(p === '{ws}' ? 'ws' : 'agent');
        return '([^/]+)';
      }
      return escape(p);
    })
    .join('');
  const re = new RegExp(`^${body}$`);
  return (branch) => {
    const m = re.exec(branch);
    if (!m) return null;
    const v: Record<string, string> = {};
    order.forEach((k, i) => (v[k] = m[i + 1]!));
    if (!v.ws || !isWorkstreamId(v.ws)) return null;
    return { ws: v.ws, agent: v.agent ?? null };
  };
}

/** The branch for a workstream and agent, or null when the ids would not make a safe ref. */
export function branchName(pattern: string, ws: string, agent: string | null): string | null {
  if (!isWorkstreamId(ws)) return null;
  if (pattern.includes('{agent}') && (agent === null || !isWorkstreamId(agent))) return null;
  const name = pattern.replace(/\{ws\}/g, ws).replace(/\{agent\}/g, agent ?? '');
  return isRefName(name) ? name : null;
}

/**
 * Why `branch` (short name) must never be deleted or reset by a fix-up, or undefined: it is the
 * main branch, or what the main worktree has checked out. Judged from the repository, not from
 * `branchPattern`, since a pattern such as `{agent}` can build any name, `main` included.
 */
export function protectedBranchProblem(mainBranch: string, worktrees: readonly { main: boolean; branch: string | null }[], branch: string): string | undefined {
  if (branch === mainBranch) return `${branch} is the main branch`;
  const home = worktrees.find((w) => w.main);
  if (home?.branch === `refs/heads/${branch}`) return `${branch} is checked out in the main worktree`;
  return undefined;
}
