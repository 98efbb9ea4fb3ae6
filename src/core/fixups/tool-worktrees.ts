// The folders outside the repository where agent tools keep their worktrees (Codex:
// `$CODEX_HOME/worktrees`, else `~/.codex/worktrees`; vibe-kanban: `worktrees` in its temp
// folder, `/var/tmp` on older builds, or the `workspace_dir` of its config). A fix-up may journal a worktree there by
// its absolute path, and undo re-creates or touches one only there, so a forged journal entry
// still cannot reach anywhere else. Read from the workspace's environment, as every source does.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { hasControlChars, isInside, realPathNearest, samePath } from './contain';
import { MiB, readRegularFileSync } from './read-file';
import type { WorkspaceContext } from './types';
import { userDataDir, userHome, userTempDir } from './user-dirs';
import type { UserDirsEnv } from './user-dirs';


/** vibe-kanban's data folder: `ProjectDirs::from("ai", "bloop", "vibe-kanban").data_dir()`. */
export function vibeKanbanDataDir(o: UserDirsEnv = {}): string {
  const platform = o.platform ?? process.platform;
  const base = userDataDir(o);
  if (platform === 'darwin') return join(base, 'ai.bloop.vibe-kanban');
  if (platform === 'win32') return join(base, 'bloop', 'vibe-kanban', 'data');
  return join(base, 'vibe-kanban');
}

/** Where vibe-kanban puts its workspaces' worktrees: its config's `workspace_dir`, else `worktrees` under its temp folder (and `/var/tmp` of older builds). */
export function vibeKanbanWorktreeRoots(o: UserDirsEnv = {}): string[] {
  const platform = o.platform ?? process.platform;
  const roots = [join(userTempDir(o), 'vibe-kanban', 'worktrees')];
  if (platform !== 'win32') roots.push('/var/tmp/vibe-kanban/worktrees');
  try {
    const text = readRegularFileSync(join(vibeKanbanDataDir(o), 'config.json'), { what: "vibe-kanban's config", maxBytes: MiB })?.toString('utf8');
    const dir = text === undefined ? undefined : (JSON.parse(text) as { workspace_dir?: unknown }).workspace_dir;
    // A folder of its own only: the file system's root or a folder holding the home would let
    // an undo reach almost anywhere.
    if (typeof dir === 'string' && isAbsolute(dir) && !hasControlChars(dir) && dirname(resolve(dir)) !== resolve(dir) && !isInside(resolve(dir), userHome(o))) roots.push(dir);
  } catch {
    // no config, or not JSON: the defaults
  }
  return roots;
}

/** Codex's home: `$CODEX_HOME` when absolute, else `<home>/.codex`. */
export function codexHome(env: NodeJS.ProcessEnv | undefined): string {
  const v = (env ?? process.env).CODEX_HOME;
  return v && isAbsolute(v) && !hasControlChars(v) ? v : join(userHome({ env }), '.codex');
}

export function toolWorktreeRoots(ws: Pick<WorkspaceContext, 'env'>): string[] {
  return [join(codexHome(ws.env), 'worktrees'), ...vibeKanbanWorktreeRoots(ws.env ? { env: ws.env } : {})];
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
