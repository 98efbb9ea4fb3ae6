// The folders outside the repository where agent tools keep its worktrees (Codex:
// `$CODEX_HOME/worktrees`, else `~/.codex/worktrees`). A fix-up may journal a worktree there by
// its absolute path, and undo re-creates or touches one only there, so a forged journal entry
// still cannot reach anywhere else. Read from the workspace's environment, as every source does.
import { isAbsolute, join, resolve } from 'node:path';
import { hasControlChars, isInside, realPathNearest, samePath } from './contain';
import type { WorkspaceContext } from './types';
import { userHome } from './user-dirs';

/** Codex's home: `$CODEX_HOME` when absolute, else `<home>/.codex`. */
export function codexHome(env: NodeJS.ProcessEnv | undefined): string {
  const v = (env ?? process.env).CODEX_HOME;
  return v && isAbsolute(v) && !hasControlChars(v) ? v : join(userHome({ env }), '.codex');
}

export function toolWorktreeRoots(ws: Pick<WorkspaceContext, 'env'>): string[] {
  return [join(codexHome(ws.env), 'worktrees')];
}

/**
 * Whether `abs` lies strictly inside one of the tools' worktree folders, symlinks resolved
 * (a folder itself is never a worktree).
 */
export function inToolWorktreeRoot(ws: Pick<WorkspaceContext, 'env'>, abs: string): boolean {
  if (!isAbsolute(abs) || hasControlChars(abs)) return false;
  let real: string;
  try {
    real = realPathNearest(resolve(abs));
  } catch {
    return false;
  }
  return toolWorktreeRoots(ws).some((root) => {
    let r: string;
    try {
      r = realPathNearest(root);
    } catch {
      return false;
    }
    return isInside(r, real) && !samePath(r, real);
  });
}
