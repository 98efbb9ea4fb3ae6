// Lists worktrees from the files git keeps for them, as `git worktree list --porcelain` does,
// without starting git: the main worktree's .git/HEAD, and per linked worktree
// .git/worktrees/<id>/{gitdir,HEAD,locked}. Anything unusual (a separate git directory,
// core.worktree, relative gitdir paths, HEAD pointing outside refs/heads) returns null, and the
// caller asks git.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { MiB, readRegularFileSync } from '../fixups/read-file';
import { isAbsolute, join } from 'node:path';
import type { BranchInfo } from './refs';
import { normalizeGitPath } from './worktrees';
import type { Worktree } from './worktrees';

/** git's small admin files; null when absent, special (a FIFO would block) or implausibly large. */
function read(path: string): string | null {
  try {
    return readRegularFileSync(path, { what: 'git file', maxBytes: MiB })?.toString('utf8') ?? null;
  } catch {
    return null;
  }
}

/** HEAD's branch (full ref) or detached commit; undefined when HEAD is something else. */
function parseHead(text: string | null): { branch: string | null; head: string | null } | undefined {
  if (text === null) return undefined;
  const t = text.replace(/\r?\n$/, '');
  if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(t)) return { branch: null, head: t };
  const m = /^ref: (refs\/heads\/.+)$/.exec(t);
  return m ? { branch: m[1]!, head: null } : undefined;
}

/** Byte order of paths, as git sorts linked worktrees (case-sensitive file systems). */
const byPath = (a: Worktree, b: Worktree) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));

/**
 * The worktrees of the repository whose main worktree is `root`, heads left null for branches
 * (see `resolveHeads`). Null when the layout is not the plain one this reader knows.
 */
export function readWorktreeFiles(root: string): Worktree[] | null {
  if (process.platform !== 'linux' && process.platform !== 'darwin') return null;
  const common = join(root, '.git');
  let isDir: boolean;
  try {
    isDir = statSync(common).isDirectory();
  } catch {
    return null;
  }
  if (!isDir) return null;
  const config = read(join(common, 'config'));
  // core.worktree / core.bare move the main worktree; worktreeConfig can too, per worktree.
  if (config === null || /^\s*(worktree|bare\s*=\s*true|worktreeconfig)\b/im.test(config)) return null;
  const mainHead = parseHead(read(join(common, 'HEAD')));
  if (!mainHead) return null;
  const main: Worktree = { path: root, ...mainHead, detached: mainHead.branch === null, bare: false, locked: null, prunable: null, main: true };
  const linked: Worktree[] = [];
  let ids: string[];
  try {
    ids = readdirSync(join(common, 'worktrees'));
  } catch {
    ids = [];
  }
  for (const id of ids) {
    if (id.startsWith('.')) continue;
    const admin = join(common, 'worktrees', id);
    const gitdir = read(join(admin, 'gitdir'));
    if (gitdir === null) return null; // git would judge it (skip or prune): let it
    const dotgit = gitdir.replace(/\s+$/, '');
    if (!dotgit || !isAbsolute(dotgit) || !dotgit.endsWith('/.git')) return null;
    const head = parseHead(read(join(admin, 'HEAD')));
    if (!head) return null;
    // existsSync first: a thrown ENOENT per unlocked worktree costs more than the extra stat.
    const lock = existsSync(join(admin, 'locked')) ? read(join(admin, 'locked')) : null;
    const locked = lock === null ? null : lock.trim();
    const prunable = locked === null && !existsSync(dotgit) ? 'gitdir file points to non-existent location' : null;
    linked.push({ path: normalizeGitPath(dotgit.slice(0, -'/.git'.length)), ...head, detached: head.branch === null, bare: false, locked, prunable, main: false });
  }
  return [main, ...linked.sort(byPath)];
}

/** Fills each branch's head from the tips for-each-ref read (null for an unborn branch). */
export function resolveHeads(list: Worktree[], branches: ReadonlyMap<string, BranchInfo>): Worktree[] {
  for (const w of list) if (w.branch) w.head = branches.get(w.branch.slice('refs/heads/'.length))?.sha ?? null;
  return list;
}
