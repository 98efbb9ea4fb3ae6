// The `claude-code` source: Claude Code's own worktrees, `.claude/worktrees/<name>` (sessions on
// branch `worktree-<name>`, subagents `agent-<id>`), read from what the git scan already listed,
// into the kernel's workstream model, with the owner from the lock reason. Its findings replace
// git's for the same worktrees, because only this source knows whose lock it is and whether that
// owner still runs: a stale lock offers unlock and then the usual safe removal; a live owner gets
// nothing destructive; a broken backlink gets repair, and a worktree Claude Desktop's pool still
// lists is never offered prune (anthropics/claude-code#57765, #76144, #88255).
import { lstatSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { actionRef } from '../fixups/action-id';
import { claudeLockOwner, describeClaudeLock, parseClaudeLock } from '../fixups/claude-lock';
import type { ClaudeLock } from '../fixups/claude-lock';
import { displayPath, isInside, samePath } from '../fixups/contain';
import { processStart } from '../fixups/process-owner';
import { MiB, readRegularFileSync } from '../fixups/read-file';
import { SCENARIO_FOR } from '../fixups/scenarios';
import { userConfigDir } from '../fixups/user-dirs';
import type { ActionRef, Finding, WorkspaceContext } from '../fixups/types';
import { worktreeLinkProblem } from '../git/ownership';
import { gitFor } from '../git/repository';
import type { GitScan, WorktreeFacts } from '../git/scan';
import { pool as mapLimit } from '../git/scan';
import { plural } from '../text/strings';
import { emptyRead } from './tool-source';
import type { ToolRead, ToolSource } from './tool-source';
import { worktreeStatus } from '../git/status';

export const CLAUDE_WORKTREES = join('.claude', 'worktrees');

/** Claude Desktop's worktree pool file on this system (`git-worktrees.json`). */
export function claudePoolFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return join(userConfigDir({ env, platform }), 'Claude', 'git-worktrees.json');
}

/**
 * The absolute worktree paths the pool lists: `{"worktrees": {<key>: {path?|worktreePath?, branch, leasedBy, ...}}}`,
 * keys or entry fields. Only compared with the paths git lists, never handed to git. Empty when
 * the file is absent or unreadable (the pool is then simply not known).
 */
export function readPoolPaths(file: string): string[] {
  let data: unknown;
  try {
    const text = readRegularFileSync(file, { what: 'the Claude Desktop worktree pool', maxBytes: 4 * MiB })?.toString('utf8');
    if (text === undefined) return [];
    data = JSON.parse(text);
  } catch {
    return [];
  }
  const worktrees = (data as { worktrees?: unknown } | null)?.worktrees;
  if (!worktrees || typeof worktrees !== 'object') return [];
  const out: string[] = [];
  const take = (p: unknown) => {
    if (typeof p === 'string' && p.length < 4096 && isAbsolute(p)) out.push(resolve(p));
  };
  for (const [key, entry] of Object.entries(worktrees as Record<string, unknown>)) {
    take(key);
    if (entry && typeof entry === 'object') {
      take((entry as Record<string, unknown>).path);
      take((entry as Record<string, unknown>).worktreePath);
    }
  }
  return out;
}

/** Kept for the tests that read Claude Code's part by name. */
export type ClaudeRead = ToolRead;

function agentOf(name: string, branch: string | null, lock: ClaudeLock | null): string | null {
  if (lock?.name) return lock.name;
  if (name.startsWith('agent-')) return name;
  if (branch?.startsWith('worktree-agent-')) return branch.slice('worktree-'.length);
  return null;
}

/** Folders directly in `.claude/worktrees` (no links followed). */
function claudeFolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => join(dir, d.name));
  } catch {
    return [];
  }
}

/** Where the worktree record a folder's `.git` file names is, when it is one of this repository's. */
function recordOf(root: string, folder: string): string | null {
  try {
    const text = readRegularFileSync(join(folder, '.git'), { what: 'the .git file', maxBytes: 64 * 1024 })?.toString('utf8');
    const m = text === undefined ? null : /^gitdir: (.+?)\r?\n?$/.exec(text);
    if (!m) return null;
    const admin = resolve(folder, m[1]!);
    return samePath(dirname(admin), join(root, '.git', 'worktrees')) ? admin : null;
  } catch {
    return null;
  }
}

/** Null when the repository has neither `.claude/worktrees` nor a worktree the Desktop pool lists. */
export async function readClaudeCode(ws: WorkspaceContext, git: GitScan, poolFile = claudePoolFile()): Promise<ClaudeRead | null> {
  const dir = join(ws.root, CLAUDE_WORKTREES);
  const hasDir = lstatSync(dir, { throwIfNoEntry: false })?.isDirectory() === true;
  const pool = readPoolPaths(poolFile);
  const pooled = (f: WorktreeFacts) => pool.some((p) => samePath(p, f.worktree.path));
  const ours = git.worktrees.filter((f) => !f.worktree.main && !f.worktree.bare && ((hasDir && isAbsolute(f.worktree.path) && samePath(dirname(f.worktree.path), dir)) || pooled(f)));
  if (!hasDir && ours.length === 0) return null;

  const read = emptyRead('claude-code');
  const push = (f: Omit<Finding, 'id' | 'source' | 'scenario'>) => {
    const id = `${f.kind}:${f.subject}`;
    read.findings.push({ id, source: 'claude-code', scenario: SCENARIO_FOR[f.kind], ...f });
    read.replaces.add(id);
  };
  const runner = gitFor(ws);
  const stale: { f: WorktreeFacts; lock: ClaudeLock; facts: NonNullable<Finding['facts']> }[] = [];

  for (const f of ours) {
    const w = f.worktree;
    const name = basename(w.path);
    const lock = parseClaudeLock(w.locked);
    const state = lock ? claudeLockOwner(lock) : null;
    read.subjects.add(f.display);
    read.workstreams.push({
      id: name,
      title: null,
      status: state === 'alive' ? 'running' : state === 'dead' ? 'abandoned' : 'idle',
      agent: agentOf(name, f.branch, lock),
      branch: f.branch,
      worktree: f.display,
      startedAt: null,
      updatedAt: null,
      error: null,
      owner: lock ? { pid: lock.pid } : null,
      source: 'claude-code',
    });
    const facts = { branch: f.branch, agent: agentOf(name, f.branch, lock), pid: lock?.pid ?? null, ownerAlive: state === null ? null : state === 'alive' };

    if (w.prunable !== null && pooled(f)) {
      // The pool recycles its folders: git's "prunable" may be a folder Desktop moved or is
      // about to lease again, and pruning drops the record of a worktree in use (#88255).
      push({
        kind: 'prunable-worktree',
        subject: f.display,
        detail: `Worktree ${f.display} is prunable (${w.prunable || 'its directory is gone'}), but Claude Desktop's worktree pool still lists it; Lifeline does not prune a pooled worktree. If its folder moved, git worktree repair <new folder> relinks it; otherwise let Desktop recycle it.`,
        actions: [],
        facts: { ...facts, pooled: true },
      });
      continue;
    }
    if (!lock) continue;
    if (state === 'alive') {
      read.live.add(f.display);
      push({
        kind: 'locked-worktree',
        subject: f.display,
        detail: `Worktree ${f.display} is locked by ${describeClaudeLock(lock)}, which is still running; nothing is offered while the agent is alive.`,
        actions: [],
        facts: { ...facts, reason: w.locked },
      });
      continue;
    }
    stale.push({ f, lock, facts });
  }

  // Uncommitted work decides whether save-wip is offered; git status for each stale worktree,
  // four at a time (the scan checks only the configured worktrees folder).
  const dirtyOf = await mapLimit(stale, 4, async ({ f }) => {
    if (!f.exists || f.foreign) return null;
    try {
      return (f.dirty ?? (await worktreeStatus(runner, f.worktree.path))).length;
    } catch {
      return null; // unreadable: no save-wip offered on a guess, remove's own preview decides
    }
  });
  stale.forEach(({ f, lock, facts }, i) => {
    const dirty = dirtyOf[i] ?? null;
    const reused = processStart(lock.pid) !== null;
    const actions: ActionRef[] = [actionRef('worktree.unlock', f.display)];
    if (dirty && f.branch) actions.push(actionRef('worktree.save-wip', f.display));
    if (f.exists && !f.foreign) actions.push(actionRef('worktree.remove', f.display));
    const owner = reused ? `pid ${lock.pid} now belongs to another process (it started at another time)` : `pid ${lock.pid} is no longer running`;
    const work = dirty === null ? '' : dirty ? `; ${plural(dirty, 'uncommitted file')} inside` : '; clean';
    push({
      kind: 'locked-worktree',
      subject: f.display,
      detail: `Worktree ${f.display} has a stale lock: ${describeClaudeLock(lock)} locked it and ${owner}${work}. Unlock it first; removal then keeps uncommitted work in a backup ref.`,
      actions,
      facts: { ...facts, reason: f.worktree.locked, pidReused: reused, dirtyFiles: dirty },
    });
  });

  // A record whose gitdir does not name its folder back (Claude Code wrote `.git` into it,
  // #76144): git lists the worktree under the wrong path and may call it prunable, and pruning
  // deletes a worktree in use. Found from the folder's own .git file; repair rewrites the link.
  for (const folder of hasDir ? claudeFolders(dir) : []) {
    if (git.worktrees.some((f) => isAbsolute(f.worktree.path) && samePath(f.worktree.path, folder))) continue;
    const record = recordOf(ws.root, folder);
    if (!record) continue;
    let problem: string | undefined | null;
    try {
      problem = worktreeLinkProblem(join(ws.root, '.git'), folder);
    } catch {
      problem = null;
    }
    if (!problem) continue;
    let back: string;
    try {
      back = readRegularFileSync(join(record, 'gitdir'), { what: 'the worktree record', maxBytes: 64 * 1024 })?.toString('utf8').trim() ?? '';
    } catch {
      back = '';
    }
    // git's listing of that record, whatever path it took from the broken gitdir.
    const listedAs = back ? [back, back.replace(/[\\/]\.git$/, ''), resolve(record, back), dirname(resolve(record, back))] : [];
    for (const f of git.worktrees) {
      if (f.worktree.main || !listedAs.some((p) => p === f.worktree.path || (isAbsolute(p) && isAbsolute(f.worktree.path) && samePath(p, f.worktree.path)))) continue;
      for (const kind of ['prunable-worktree', 'foreign-worktree', 'locked-worktree'] as const) read.replaces.add(`${kind}:${f.display}`);
    }
    const display = displayPath(ws.root, folder);
    read.subjects.add(display);
    push({
      kind: 'foreign-worktree',
      subject: display,
      detail: `Worktree ${display}: its record ${displayPath(ws.root, record)}/gitdir holds ${JSON.stringify(back)} instead of the path of ${display}/.git, so git lists it wrongly and may call it prunable. Repair rewrites the link; never prune it, that deletes a worktree in use.`,
      actions: [actionRef('worktree.repair', display)],
      facts: { record: displayPath(ws.root, record), recordedGitdir: back, insideWorkspace: isInside(ws.root, folder) },
    });
  }
  return read;
}

export const claudeCodeSource: ToolSource = {
  id: 'claude-code',
  read: (ws, git) => readClaudeCode(ws, git, claudePoolFile(ws.env)),
};
