// The `codex` source, read-only: OpenAI Codex's worktrees (`<codex home>/worktrees/<id>/<repo>`,
// taken from what the git scan already listed) and its state database (`state_5.sqlite`, WAL
// mode), read through the WAL-aware snapshot so committed frames Codex has not checkpointed yet
// are seen and no byte of its files (main, -wal, -shm) is written. Its threads whose cwd is this
// repository or one of its worktrees become workstreams. Findings: git's on Codex's worktrees are
// re-tagged `codex` and keep their generic actions (prune, unlock, save-wip, remove: journaled by
// absolute path, which undo accepts only inside Codex's worktrees folder, ../fixups/tool-worktrees.ts);
// a thread whose worktree is gone (openai/codex#12895) and a database that cannot be read (#21750)
// or that a running Codex holds with a hot WAL are read-only: Lifeline never writes Codex's state.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { describeHolders, findHolders } from '../database/holders';
import { readSnapshot } from '../database/snapshot';
import { openImage, queryRows } from '../database/sqljs';
import { displayPath, hasControlChars, isInside, samePath } from '../fixups/contain';
import { actionRef } from '../fixups/action-id';
import { isRefName, isWorkstreamId } from '../fixups/names';
import { SCENARIO_FOR } from '../fixups/scenarios';
import { codexHome } from '../fixups/tool-worktrees';
import type { Finding, WorkspaceContext } from '../fixups/types';
import { userHome } from '../fixups/user-dirs';
import type { Workstream } from '../fixups/workstream';
import type { GitScan, WorktreeFacts } from '../git/scan';
import { pool as mapLimit } from '../git/scan';
import { plural } from '../text/strings';
import { gitFor } from '../git/repository';
import { worktreeStatus } from '../git/status';
import { emptyRead } from './tool-source';
import type { ToolRead, ToolSource } from './tool-source';

/** The state database Codex writes today (codex-rs/state); a later `state_<N>.sqlite` wins when present. */
export const CODEX_STATE_DB = 'state_5.sqlite';

export interface CodexPaths {
  home: string;
  /** Where the state database lives (`$CODEX_SQLITE_HOME`, else the home). */
  sqliteHome: string;
  worktrees: string;
}

function absoluteEnv(v: string | undefined): string | undefined {
  return v && isAbsolute(v) && !hasControlChars(v) ? v : undefined;
}

export function codexPaths(env: NodeJS.ProcessEnv | undefined): CodexPaths {
  const home = codexHome(env);
  return { home, sqliteHome: absoluteEnv((env ?? process.env).CODEX_SQLITE_HOME) ?? home, worktrees: join(home, 'worktrees') };
}

/** The state database to read: the highest `state_<N>.sqlite` in the folder; null when there is none. */
export function stateDbIn(dir: string): string | null {
  let best: { n: number; name: string } | null = null;
  try {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const m = /^state_(\d{1,6})\.sqlite$/.exec(d.name);
      if (!m || d.isDirectory()) continue;
      const n = Number(m[1]);
      if (!best || n > best.n) best = { n, name: d.name };
    }
  } catch {
    return null;
  }
  return best ? join(dir, best.name) : null;
}

/** A path as the user knows it: `~/...` under the home folder, else as it is. */
function tilde(home: string, p: string): string {
  if (!isInside(home, p)) return p;
  const rel = relative(home, p);
  return rel === '' ? '~' : `~/${rel.split(sep).join('/')}`;
}

/** Epoch seconds or milliseconds (Codex has written both), a numeric string, or ISO text. */
export function codexTime(v: unknown): Date | null {
  let n: number | null = null;
  if (typeof v === 'number' && Number.isFinite(v)) n = v;
  else if (typeof v === 'bigint') n = Number(v);
  else if (typeof v === 'string' && /^\d{1,16}$/.test(v)) n = Number(v);
  else if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : new Date(t);
  }
  if (n === null || n <= 0) return null;
  // 1e11 seconds is the year 5138; 1e11 milliseconds is 1973.
  const d = new Date(n >= 1e11 ? n : n * 1000);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A workstream id for a thread: its own id when that is already safe (UUIDs are), else a digest of it. */
export function threadWorkstreamId(id: string): string {
  return isWorkstreamId(id) && id.length <= 64 ? id : `codex-${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;
}

function text(v: unknown, max = 200): string | null {
  if (typeof v !== 'string' || v.length === 0) return null;
  const one = Array.from(v, (ch) => (hasControlChars(ch) ? ' ' : ch))
    .join('')
    .trim();
  return one ? (one.length > max ? `${one.slice(0, max - 3)}...` : one) : null;
}

export interface CodexThread {
  id: string;
  title: string | null;
  cwd: string;
  branch: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  archived: boolean;
  rolloutPath: string | null;
}

/** The `threads` columns this reader knows; only these are ever named in SQL. */
const KNOWN = ['id', 'title', 'name', 'cwd', 'git_branch', 'created_at', 'updated_at', 'updated_at_ms', 'archived', 'rollout_path'] as const;

type DbRead = { state: 'absent' } | { state: 'unreadable'; path: string; reason: string } | { state: 'ok'; path: string; threads: CodexThread[]; walTransactions: number; walPending: number };

/** Every thread in the state database, read from an in-memory image (WAL folded in); never opens the file for writing. */
export async function readCodexState(dbPath: string | null): Promise<DbRead> {
  if (!dbPath) return { state: 'absent' };
  let snap;
  try {
    snap = await readSnapshot(dbPath);
  } catch (e) {
    return { state: 'unreadable', path: dbPath, reason: (e instanceof Error ? e.message : String(e)).split('\n')[0]! };
  }
  if (!snap.db && !snap.wal) return { state: 'absent' };
  if (typeof snap.header === 'string') return { state: 'unreadable', path: dbPath, reason: snap.header };
  const wal = { walTransactions: snap.walScan?.transactions ?? 0, walPending: snap.walPending };
  let db;
  try {
    db = await openImage(snap.image);
  } catch (e) {
    return { state: 'unreadable', path: dbPath, reason: (e instanceof Error ? e.message : String(e)).split('\n')[0]! };
  }
  try {
    const cols = new Set(queryRows(db, 'PRAGMA table_info(threads)').map((r) => String(r.name)));
    if (!cols.has('id') || !cols.has('cwd')) return { state: 'ok', path: dbPath, threads: [], ...wal };
    const use = KNOWN.filter((c) => cols.has(c));
    const rows = queryRows(db, `SELECT ${use.map((c) => `"${c}"`).join(', ')} FROM threads`);
    const threads: CodexThread[] = [];
    for (const r of rows) {
      const id = typeof r.id === 'string' ? r.id : typeof r.id === 'number' ? String(r.id) : null;
      const cwd = typeof r.cwd === 'string' && isAbsolute(r.cwd) && !hasControlChars(r.cwd) ? r.cwd : null;
      if (!id || !cwd) continue;
      const branch = typeof r.git_branch === 'string' && isRefName(r.git_branch) ? r.git_branch : null;
      const rollout = typeof r.rollout_path === 'string' && isAbsolute(r.rollout_path) && !hasControlChars(r.rollout_path) ? r.rollout_path : null;
      threads.push({
        id,
        title: text(r.title) ?? text(r.name),
        cwd,
        branch,
        createdAt: codexTime(r.created_at),
        updatedAt: codexTime(r.updated_at_ms) ?? codexTime(r.updated_at),
        archived: r.archived !== undefined && r.archived !== null && Number(r.archived) !== 0,
        rolloutPath: rollout,
      });
    }
    return { state: 'ok', path: dbPath, threads, ...wal };
  } catch (e) {
    return { state: 'unreadable', path: dbPath, reason: (e instanceof Error ? e.message : String(e)).split('\n')[0]! };
  } finally {
    db.close();
  }
}

/** `<worktrees>/<id>/<repo>` for a cwd under Codex's worktrees folder; null otherwise. */
function codexWorktreeOf(worktrees: string, cwd: string): string | null {
  if (!isInside(worktrees, cwd)) return null;
  const parts = relative(worktrees, cwd).split(sep).filter(Boolean);
  return parts.length >= 2 ? join(worktrees, parts[0]!, parts[1]!) : null;
}

export async function readCodex(ws: WorkspaceContext, git: GitScan): Promise<ToolRead | null> {
  const paths = codexPaths(ws.env);
  const under = (f: WorktreeFacts) => !f.worktree.main && !f.worktree.bare && isAbsolute(f.worktree.path) && isInside(paths.worktrees, f.worktree.path) && !samePath(paths.worktrees, f.worktree.path);
  const ours = git.worktrees.filter(under);
  const hasHome = lstatSync(paths.home, { throwIfNoEntry: false })?.isDirectory() === true;
  if (!hasHome && ours.length === 0) return null;

  const read = emptyRead('codex');
  const home = userHome({ env: ws.env });
  const push = (f: Omit<Finding, 'id' | 'source' | 'scenario'>) => read.findings.push({ id: `${f.kind}:${f.subject}`, source: 'codex', scenario: SCENARIO_FOR[f.kind], ...f });
  for (const f of ours) read.subjects.add(f.display);

  const state = await readCodexState(hasHome || !samePath(paths.sqliteHome, paths.home) ? stateDbIn(paths.sqliteHome) : null);
  if (state.state === 'unreadable') {
    const shown = tilde(home, state.path);
    push({
      kind: 'db-unreadable',
      subject: shown,
      detail: `Codex's state database ${shown} cannot be read: ${state.reason}. If Codex fails to start on it too (openai/codex#21750): quit every Codex window and CLI before moving anything, then move it aside together with its -wal and -shm, never one without the others. The conversations stay in the rollout files under ${tilde(home, join(paths.home, 'sessions'))}.`,
      actions: [],
      facts: { reason: state.reason },
    });
  }
  if (state.state !== 'ok') return read;

  // Codex runs while a process holds its state database: then nothing destructive is offered on
  // its worktrees (remove, prune, unlock), whichever finding would offer it.
  const holders = ours.length || state.walPending > 0 ? await findHolders([state.path, `${state.path}-wal`, `${state.path}-shm`]) : null;
  if (holders?.length) for (const f of ours) read.live.add(f.display);

  // Uncommitted work in a Codex worktree: Codex removes worktrees "to save disk space"
  // (openai/codex#12895), so saving it on its branch is offered; git's scan checks only the
  // configured worktrees folder. Four git status calls at a time, only where the files do not say.
  const present = ours.filter((f) => f.exists && !f.foreign);
  const dirtyOf = await mapLimit(present, 4, async (f) => {
    try {
      return (f.dirty ?? (await worktreeStatus(gitFor(ws), f.worktree.path))).length;
    } catch {
      return null; // unreadable: nothing offered on a guess
    }
  });
  present.forEach((f, i) => {
    const n = dirtyOf[i];
    if (!n) return;
    const id = `dirty-worktree:${f.display}`;
    read.replaces.add(id);
    const running = holders?.length ? ' Codex is running, so nothing that removes it is offered.' : '';
    push({
      kind: 'dirty-worktree',
      subject: f.display,
      detail: `Codex worktree ${f.display}${f.branch ? ` on ${f.branch}` : ''} holds ${plural(n, 'uncommitted file')}. Codex can remove its worktrees to save disk space; commit the work on its branch to keep it.${running}`,
      actions: f.branch ? [actionRef('worktree.save-wip', f.display)] : [],
      facts: { branch: f.branch, dirtyFiles: n, ownerAlive: holders ? holders.length > 0 : null },
    });
  });

  if (state.walPending > 0) {
    // Normal while Codex runs; worth saying because moving its files then loses those commits.
    if (holders?.length) {
      const shown = tilde(home, state.path);
      push({
        kind: 'hot-wal',
        subject: shown,
        detail: `Codex is running: ${describeHolders(holders)}, and ${plural(state.walTransactions, 'committed transaction')} (${plural(state.walPending, 'page')}) of ${shown} are only in its -wal (the threads shown include them). Quit Codex before moving, pruning or deleting anything of its; never delete the -wal or -shm.`,
        actions: [],
        facts: { pendingPages: state.walPending, transactions: state.walTransactions, holders: describeHolders(holders) },
      });
    }
  }

  // Only this repository's threads: cwd in the main checkout or in one of its listed worktrees;
  // a gone, unlisted Codex worktree counts only when its branch is one of this repository's.
  const listed = git.worktrees.filter((f) => !f.worktree.bare && isAbsolute(f.worktree.path));
  for (const t of state.threads) {
    const wt = listed.filter((f) => isInside(f.worktree.path, t.cwd)).sort((a, b) => b.worktree.path.length - a.worktree.path.length)[0];
    let worktree: { display: string; exists: boolean; listed: WorktreeFacts | null } | null = null;
    if (wt && !wt.worktree.main) worktree = { display: wt.display, exists: wt.exists, listed: wt };
    else if (!wt) {
      const gone = codexWorktreeOf(paths.worktrees, t.cwd);
      const mine = gone !== null && t.branch !== null && t.branch !== ws.config.mainBranch && git.branch(t.branch) !== null;
      if (!mine || lstatSync(gone, { throwIfNoEntry: false }) !== undefined) continue;
      worktree = { display: displayPath(ws.root, gone), exists: false, listed: null };
    }
    const workstream: Workstream = {
      id: threadWorkstreamId(t.id),
      title: t.title,
      status: t.archived ? 'archived' : 'idle',
      agent: 'codex',
      branch: t.branch ?? worktree?.listed?.branch ?? null,
      worktree: worktree?.display ?? null,
      startedAt: t.createdAt,
      updatedAt: t.updatedAt,
      error: null,
      owner: null,
      source: 'codex',
    };
    read.workstreams.push(workstream);
    if (!worktree || worktree.exists || t.archived) continue;

    const branch = workstream.branch;
    const title = t.title ? `"${t.title}"` : `thread ${t.id}`;
    const id = `orphaned-worktree:${worktree.display}`;
    const same = read.findings.find((f) => f.id === id);
    if (same) {
      // One finding per worktree: a second thread in it is named there.
      same.detail = `${same.detail} Thread ${title} worked there too.`;
      continue;
    }
    const head = worktree.listed?.worktree.head?.slice(0, 12);
    const keep = branch
      ? `branch ${branch} still holds its commits (git log ${branch})`
      : head
        ? `it was detached at ${head} (git log ${head}); commits on no branch are kept only while something refers to them`
        : 'it was on no branch Codex recorded';
    const rollout = t.rolloutPath ? `; the conversation survives in ${tilde(home, t.rolloutPath)}` : '';
    const record = worktree.listed ? ' git still records the worktree (see its prunable finding).' : '';
    push({
      kind: 'orphaned-worktree',
      subject: worktree.display,
      detail: `Codex thread ${title} works in ${worktree.display}, which no longer exists: ${keep}${rollout}.${record} To go on, check the branch out in a new worktree and resume the thread there, or archive the thread in Codex.`,
      actions: [],
      facts: { branch, thread: t.id, title: t.title, rollout: t.rolloutPath ? tilde(home, t.rolloutPath) : null, exists: false },
    });
  }
  return read;
}

export const codexSource: ToolSource = {
  id: 'codex',
  read: readCodex,
};
