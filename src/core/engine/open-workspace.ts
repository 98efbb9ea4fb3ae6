// Opens the workspace a command runs in: the repository's main worktree (also from inside a
// linked worktree), its `.lifeline.json` overrides (the one reader, engine/config-file.ts) and
// the main branch. Every front-end (CLI, tools, editor) opens a workspace through here.
import type { LifelineConfig } from '../fixups/config';
import type { WorkspaceContext } from '../fixups/types';
import { detectMainBranch, findRepositoryRoot } from '../git/repository';
import { GitRunner } from '../git/runner';
import { loadConfig } from './config-file';

export interface OpenOptions {
  signal?: AbortSignal;
  now?: () => Date;
  /** Conventions set elsewhere (the editor's settings), over `.lifeline.json`. */
  override?: Partial<LifelineConfig>;
}

/** Resolves everything a scan or fix-up needs from a directory inside the repository. */
export async function openWorkspace(cwd: string, options: OpenOptions = {}): Promise<WorkspaceContext> {
  const root = await findRepositoryRoot(cwd, options.signal);
  const config = await loadConfig(root, options.override);
  const git = new GitRunner(root, options.signal);
  config.mainBranch = await detectMainBranch(git, config.mainBranch);
  const ws: WorkspaceContext = { root, config };
  if (options.signal) ws.signal = options.signal;
  if (options.now) ws.now = options.now;
  return ws;
}
