// The `vibe-kanban` source: BloopAI vibe-kanban's `db.v2.sqlite` in its data folder (the
// `directories` crate's rules), read-only through the WAL-aware snapshot reader, filtered to this
// repository: repos.path -> workspace_repos -> workspaces (container_ref + '/' + repos.name is the
// worktree, branch `vk/<short id>-<slug>`) -> tasks -> sessions -> execution_processes. The DB
// holds no pid; only its server (a port in `<temp>/vibe-kanban/vibe-kanban.port`) knows a run is
// alive. A `running` row while the server is down is a ghost run, and its one write fix-up marks
// it `killed` the way the tool's own Stop does, through the safe write (backup, journal, undo).
//
// Workstream ids: `vk-<first 8 hex digits of the workspace's UUID>` (always passes isWorkstreamId;
// the branch's short id is only 4 hex digits and its prefix is user-configurable).
import { lstatSync } from 'node:fs';
import { connect } from 'node:net';
import { isAbsolute, join } from 'node:path';
import type { Database } from 'sql.js';
import { actionRef } from '../fixups/action-id';
import { displayPath, hasControlChars, samePath } from '../fixups/contain';
import { ACTION_EFFECTS } from '../fixups/effects';
import { openJournal } from '../fixups/journal';
import { isWorkstreamId } from '../fixups/names';
import { KiB, readRegularFile } from '../fixups/read-file';
import { SCENARIO_FOR } from '../fixups/scenarios';
import { FixupRefused } from '../fixups/types';
import type { ActionRef, ActionTarget, ApplyOptions, ApplyResult, FixupHandler, Journal, JournalEntry, Preview, UndoRecipe, WorkspaceContext } from '../fixups/types';
import { userTempDir } from '../fixups/user-dirs';
import type { UserDirsEnv } from '../fixups/user-dirs';
import { vibeKanbanDataDir } from '../fixups/tool-worktrees';
import type { Workstream } from '../fixups/workstream';
import { readDbHeader } from '../database/file-format';
import { busyRefusal, journaledWrite, storedPath } from '../database/handlers/common';
import { findHolders, describeHolders } from '../database/holders';
import { fingerprintFile, readSnapshot } from '../database/snapshot';
import type { Snapshot } from '../database/snapshot';
import { openImage, queryRows } from '../database/sqljs';
import { parseDbTime } from '../database/time';
import { checkManifest, readBackup } from '../database/undo';
import { journalPath } from '../database/locations';
import { gitFor } from '../git/repository';
import type { GitScan, WorktreeFacts } from '../git/scan';
import { plural } from '../text/strings';
import { worktreeStatus } from '../git/status';
import { emptyRead } from './tool-source';
import type { ToolRead, ToolSource } from './tool-source';


export { vibeKanbanDataDir };

export function vibeKanbanDbPath(o: UserDirsEnv = {}): string {
  return join(vibeKanbanDataDir(o), 'db.v2.sqlite');
}

/** The live-server marker the server writes at startup (`crates/utils/src/port_file.rs`). */
export function vibeKanbanPortFile(o: UserDirsEnv = {}): string {
  return join(userTempDir(o), 'vibe-kanban', 'vibe-kanban.port');
}

export interface ServerState {
  /** The port the port file names; null when the file is absent or not the tool's JSON. */
  port: number | null;
  alive: boolean;
  /** Why it counts as alive or down, in words. */
  why: string;
}

function accepts(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = (v: boolean) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Alive when the port file's `main_port` accepts a TCP connection on 127.0.0.1 within ~300 ms. */
export async function vibeKanbanServer(ws: WorkspaceContext, timeoutMs = 300): Promise<ServerState> {
  let port: number | null = null;
  try {
    const bytes = await readRegularFile(vibeKanbanPortFile({ env: ws.env ?? process.env }), { what: 'the vibe-kanban port file', maxBytes: 4 * KiB });
    if (!bytes) return { port: null, alive: false, why: 'it has no port file' };
    const p = (JSON.parse(bytes.toString('utf8')) as { main_port?: unknown } | null)?.main_port;
    if (typeof p === 'number' && Number.isInteger(p) && p > 0 && p < 65536) port = p;
  } catch {
    port = null;
  }
  if (port === null) return { port: null, alive: false, why: 'its port file names no port' };
  return (await accepts(port, timeoutMs)) ? { port, alive: true, why: `its server answers on 127.0.0.1:${port}` } : { port, alive: false, why: `nothing answers on 127.0.0.1:${port}, the port its port file names` };
}

interface VkProcess {
  /** sessions.executor (CLAUDE_CODE, CODEX, ...), when the table has it. */
  executor: string | null;
  idBytes: Uint8Array;
  uuid: string;
  status: string;
  runReason: string | null;
  startedAt: string | null;
  createdAt: string | null;
}

export interface VkWorkspace {
  /** `vk-<8 hex>`: the workstream id. */
  id: string;
  uuid: string;
  branch: string;
  /** container_ref + repos.name, when both are usable; compared with git's list, never handed to git. */
  worktree: string | null;
  taskIdBytes: Uint8Array | null;
  taskTitle: string | null;
  taskStatus: string | null;
  /** Latest first. */
  processes: VkProcess[];
}

export type VkState = { state: 'absent' } | { state: 'unknown'; reason: string } | { state: 'ok'; path: string; snapshot: Snapshot; workspaces: VkWorkspace[] };

/** Columns each table must have for the reads and the write here (introspected before any query). */
const NEEDS: Record<string, string[]> = {
  repos: ['id', 'path', 'name'],
  workspace_repos: ['workspace_id', 'repo_id'],
  workspaces: ['id', 'task_id', 'container_ref', 'branch'],
  tasks: ['id', 'title', 'status', 'updated_at'],
  sessions: ['id', 'workspace_id'],
  execution_processes: ['id', 'session_id', 'status', 'run_reason', 'started_at', 'completed_at', 'created_at', 'updated_at'],
};

function schemaProblem(db: Database): string | undefined {
  for (const [table, cols] of Object.entries(NEEDS)) {
    const have = queryRows(db, `PRAGMA table_info(${table})`).map((r) => String(r.name));
    if (have.length === 0) return `it has no ${table} table`;
    const missing = cols.filter((c) => !have.includes(c));
    if (missing.length) return `its ${table} table has no ${missing.join(', ')} column`;
  }
  return undefined;
}

function blob(v: unknown): Uint8Array | null {
  return v instanceof Uint8Array && v.length === 16 ? v : null;
}

/** A 16-byte id as the canonical lower-case UUID text. */
export function uuidText(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function text(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** The worktree folder, only from an absolute container_ref and a one-segment repo name. */
function worktreeOf(containerRef: string | null, repoName: string | null): string | null {
  if (!containerRef || !repoName || !isAbsolute(containerRef) || hasControlChars(containerRef) || hasControlChars(repoName)) return null;
  if (repoName === '.' || repoName === '..' || /[\\/]/.test(repoName)) return null;
  return join(containerRef, repoName);
}

function workspacesOf(db: Database, root: string): VkWorkspace[] {
  const executor = queryRows(db, 'PRAGMA table_info(sessions)').some((r) => r.name === 'executor') ? 's.executor' : 'NULL';
  const rows = queryRows(
    db,
    `SELECT w.id AS wid, w.container_ref, w.branch, r.name AS repo_name, r.path AS repo_path, t.id AS tid, t.title, t.status AS task_status
       FROM workspace_repos wr JOIN repos r ON r.id = wr.repo_id JOIN workspaces w ON w.id = wr.workspace_id LEFT JOIN tasks t ON t.id = w.task_id`,
  );
  const out = new Map<string, VkWorkspace>();
  for (const r of rows) {
    const wid = blob(r.wid);
    const repoPath = text(r.repo_path);
    if (!wid || !repoPath || !isAbsolute(repoPath) || !samePath(repoPath, root)) continue;
    const uuid = uuidText(wid);
    out.set(uuid, {
      id: `vk-${uuid.slice(0, 8)}`,
      uuid,
      branch: text(r.branch) ?? '',
      worktree: worktreeOf(text(r.container_ref), text(r.repo_name)),
      taskIdBytes: blob(r.tid),
      taskTitle: text(r.title),
      taskStatus: text(r.task_status),
      processes: [],
    });
  }
  if (out.size === 0) return [];
  const procs = queryRows(
    db,
    `SELECT s.workspace_id AS wid, ${executor} AS executor, ep.id, ep.status, ep.run_reason, ep.started_at, ep.created_at
       FROM execution_processes ep JOIN sessions s ON s.id = ep.session_id ORDER BY ep.created_at DESC, ep.rowid DESC`,
  );
  for (const p of procs) {
    const wid = blob(p.wid);
    const id = blob(p.id);
    const w = wid && id ? out.get(uuidText(wid)) : undefined;
    if (!w || !id) continue;
    w.processes.push({ executor: text(p.executor), idBytes: id, uuid: uuidText(id), status: text(p.status) ?? '', runReason: text(p.run_reason), startedAt: text(p.started_at), createdAt: text(p.created_at) });
  }
  return [...out.values()];
}

/** The tool's state for this repository; `absent` after one stat when there is no database. */
export async function readVibeKanbanState(ws: WorkspaceContext): Promise<VkState> {
  const path = vibeKanbanDbPath({ env: ws.env ?? process.env });
  if (!lstatSync(path, { throwIfNoEntry: false })) return { state: 'absent' };
  try {
    const snapshot = await readSnapshot(path);
    if (typeof snapshot.header === 'string') return { state: 'unknown', reason: `db.v2.sqlite is not readable (${snapshot.header})` };
    const db = await openImage(snapshot.image);
    try {
      const problem = schemaProblem(db);
      if (problem) return { state: 'unknown', reason: `db.v2.sqlite is not a vibe-kanban schema Lifeline knows: ${problem}` };
      return { state: 'ok', path, snapshot, workspaces: workspacesOf(db, ws.root) };
    } finally {
      db.close();
    }
  } catch (e) {
    return { state: 'unknown', reason: `db.v2.sqlite could not be read: ${(e as Error).message.split('\n')[0]}` };
  }
}

function running(w: VkWorkspace): VkProcess[] {
  return w.processes.filter((p) => p.status === 'running');
}

function describeRun(w: VkWorkspace, p: VkProcess): string {
  const task = w.taskTitle ? `task "${w.taskTitle}"${w.taskStatus ? ` (${w.taskStatus})` : ''}` : `workspace ${w.uuid}`;
  return `vibe-kanban ${task} on ${w.branch || 'no branch'}: its ${p.runReason ?? 'run'} ${p.uuid} is recorded as running since ${p.startedAt ?? p.createdAt ?? 'an unknown time'}`;
}

async function readVibeKanban(ws: WorkspaceContext, git: GitScan): Promise<ToolRead | null> {
  const st = await readVibeKanbanState(ws);
  if (st.state === 'absent') return null;
  const read = emptyRead('vibe-kanban');
  if (st.state === 'unknown') return { ...read, note: st.reason };
  if (st.workspaces.length === 0) return null;
  const server = await vibeKanbanServer(ws);
  let alive = server.alive;
  let why = server.why;
  if (!alive && st.workspaces.some((w) => running(w).length)) {
    // No port, but a process holding the database open is a server too (checked only when it matters: it scans /proc).
    const holders = await findHolders([st.path, `${st.path}-journal`, `${st.path}-wal`]).catch(() => null);
    if (holders?.length) {
      alive = true;
      why = `${describeHolders(holders)}`;
    }
  }
  const runner = gitFor(ws);
  const facts = (w: VkWorkspace): WorktreeFacts | undefined => (w.worktree ? git.worktrees.find((f) => !f.worktree.main && isAbsolute(f.worktree.path) && samePath(f.worktree.path, w.worktree!)) : undefined);

  for (const w of st.workspaces) {
    const f = facts(w);
    const display = f?.display ?? (w.worktree ? displayPath(ws.root, w.worktree) : null);
    if (f) {
      read.subjects.add(f.display);
      if (alive) read.live.add(f.display);
    }
    const latest = w.processes[0];
    read.workstreams.push({
      id: w.id,
      title: w.taskTitle,
      status: latest?.status ?? w.taskStatus ?? 'idle',
      agent: latest?.executor ?? null,
      branch: w.branch || null,
      worktree: display,
      startedAt: parseDbTime(latest?.startedAt ?? null),
      updatedAt: null,
      error: null,
      owner: server.port ? { serverPort: server.port } : null,
      source: 'vibe-kanban',
    } satisfies Workstream);

    const runs = running(w);
    if (runs.length === 0 || !isWorkstreamId(w.id)) continue;
    const first = runs[0]!;
    const folderGone = !w.worktree || !(f ? f.exists : lstatSync(w.worktree, { throwIfNoEntry: false }));
    const base = { id: `ghost-run:${w.id}`, kind: 'ghost-run' as const, subject: w.id, source: 'vibe-kanban' as const, scenario: SCENARIO_FOR['ghost-run'] };
    const more = runs.length > 1 ? ` (and ${plural(runs.length - 1, 'more running row')})` : '';
    const facts0 = { branch: w.branch || null, title: w.taskTitle, runReason: first.runReason, startedAt: first.startedAt, serverPort: server.port, ownerAlive: alive, worktree: display };
    if (alive) {
      if (!folderGone) continue; // a live server with its folder: a real run
      read.findings.push({
        ...base,
        detail: `${describeRun(w, first)}${more}, but its worktree ${display ?? '(none recorded)'} is gone (vibe-kanban#1571). The server is up (${why}): press Stop on the task in vibe-kanban; Lifeline does not write the database while the server runs.`,
        actions: [],
        facts: facts0,
      });
      continue;
    }
    const actions: ActionRef[] = [];
    let dirty: number | null = null;
    if (f && f.exists && !f.foreign && f.branch) {
      try {
        dirty = (f.dirty ?? (await worktreeStatus(runner, f.worktree.path))).length;
      } catch {
        dirty = null;
      }
      if (dirty) actions.push(actionRef('worktree.save-wip', f.display));
    }
    actions.push(actionRef('vibe-kanban.stop-ghost-run', w.id));
    const work = dirty
      ? ` Its worktree ${f!.display} holds ${plural(dirty, 'uncommitted file')}: save it on ${f!.branch} first, because vibe-kanban's startup deletes worktree folders its database does not list and its 30-minute sweep removes idle ones.`
      : '';
    read.findings.push({
      ...base,
      detail: `${describeRun(w, first)}${more}, but the vibe-kanban server is not running (${why}).${work} Marking it killed is what its Stop does.`,
      actions,
      facts: { ...facts0, dirtyFiles: dirty },
    });
  }
  return read;
}

// ---- the fix-up ---------------------------------------------------------------------------

const ACTION = 'vibe-kanban.stop-ghost-run' as const;
const STOP_SQL = "UPDATE execution_processes SET status='killed', completed_at=?, updated_at=? WHERE id=? AND status='running'";
const TASK_SQL = "UPDATE tasks SET status='todo', updated_at=? WHERE id=?";
const SELECT_RUN = 'SELECT id, status, run_reason, started_at, completed_at, updated_at FROM execution_processes WHERE id = ?';
const SELECT_TASK = 'SELECT id, title, status, updated_at FROM tasks WHERE id = ?';

type Param = string | Uint8Array;

/** The time as the tool writes it next to `sample`: SQLite's `datetime('now','subsec')` text, else RFC3339 UTC with 'Z'. */
export function toolTime(now: Date, sample: string | null): string {
  const iso = now.toISOString();
  return sample && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(sample) ? iso.slice(0, 23).replace('T', ' ') : iso;
}

function sqlText(v: Param): string {
  return typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : `X'${Buffer.from(v).toString('hex').toUpperCase()}'`;
}

function rowsJson(db: Database, sql: string, id: Uint8Array): Record<string, unknown>[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind([id]);
    const out: Record<string, unknown>[] = [];
    while (stmt.step()) {
      const r = stmt.getAsObject();
      out.push(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Uint8Array ? (v.length === 16 ? uuidText(v) : Buffer.from(v).toString('hex')) : v])));
    }
    return out;
  } finally {
    stmt.free();
  }
}

interface Step {
  sql: string;
  params: Param[];
  select: string;
  id: Uint8Array;
}

interface Plan {
  title: string;
  path: string;
  steps: Step[];
  preview: Preview;
}

function planRefused(reason: string, code: 'unsafe' | 'busy' | 'invalid'): Preview {
  return { title: 'Mark a vibe-kanban ghost run killed', notes: [], effect: ACTION_EFFECTS[ACTION], refusal: { reason, code } };
}

/** Runs the steps on a copy of the image: the rows before and after, as SQLite leaves them. */
async function rehearse(image: Uint8Array, steps: Step[]): Promise<{ before: Record<string, unknown>[][]; after: Record<string, unknown>[][] }> {
  const db = await openImage(image);
  try {
    const before = steps.map((s) => rowsJson(db, s.select, s.id));
    for (const s of steps) db.run(s.sql, s.params);
    return { before, after: steps.map((s) => rowsJson(db, s.select, s.id)) };
  } finally {
    db.close();
  }
}

async function prepare(ws: WorkspaceContext, target: ActionTarget): Promise<Plan | Preview> {
  const id = target.subject;
  if (!id || !/^vk-[0-9a-f]{8}$/.test(id)) return planRefused(`${ACTION} needs a vibe-kanban workstream id, e.g. ${ACTION}:vk-1a2b3c4d`, 'invalid');
  const task = target.params?.task;
  if (task !== undefined && task !== 'todo') return planRefused(`the only task parameter is task=todo (got ${JSON.stringify(task)})`, 'invalid');
  const st = await readVibeKanbanState(ws);
  if (st.state === 'absent') return planRefused(`there is no vibe-kanban database at ${vibeKanbanDbPath({ env: ws.env ?? process.env })}`, 'invalid');
  if (st.state === 'unknown') return planRefused(st.reason, 'unsafe');
  const w = st.workspaces.find((x) => x.id === id);
  if (!w) return planRefused(`vibe-kanban has no workspace ${id} for this repository`, 'invalid');
  const runs = running(w);
  if (runs.length === 0) return planRefused(`${id} has no run recorded as running`, 'invalid');
  if (task && !w.taskIdBytes) return planRefused(`${id} has no task to set back to todo`, 'invalid');
  if ((st.snapshot.walScan?.committedFrames ?? 0) > 0) {
    return planRefused('db.v2.sqlite has a write-ahead log with committed frames (left by a WAL build of vibe-kanban); start and stop vibe-kanban once so it folds them, then try again', 'unsafe');
  }
  const now = ws.now?.() ?? new Date();
  const steps: Step[] = runs.map((p) => {
    const t = toolTime(now, p.startedAt ?? p.createdAt);
    return { sql: STOP_SQL, params: [t, t, p.idBytes], select: SELECT_RUN, id: p.idBytes };
  });
  if (task && w.taskIdBytes) steps.push({ sql: TASK_SQL, params: [toolTime(now, runs[0]!.startedAt), w.taskIdBytes], select: SELECT_TASK, id: w.taskIdBytes });
  const { before, after } = await rehearse(st.snapshot.image, steps);
  const server = await vibeKanbanServer(ws);
  const busy = server.alive
    ? { reason: `vibe-kanban's server is running (port ${server.port} answers on 127.0.0.1); press Stop in vibe-kanban instead, or stop the server first`, code: 'busy' as const }
    : await busyRefusal(st.snapshot);
  const title = `${id}: mark ${plural(runs.length, 'ghost run')} killed${task ? ' and the task back to todo' : ''}`;
  const preview: Preview = {
    title,
    sql: steps.map((s, i) => ({ statement: `${s.sql} -- with ${s.params.map(sqlText).join(', ')}`, rows: before[i]!, after: after[i]! })),
    files: [st.path, `${ws.config.backupsDir}/`],
    notes: [
      `Changes vibe-kanban's database ${st.path} while its server is down, as its Stop would (status 'killed', completed_at now).`,
      `Backs it up to ${ws.config.backupsDir}/<time>/ first; the journal mode (DELETE), the BLOB ids and the tool's time format are kept.`,
      'Refuses, changing nothing, while the server answers on its port, another process has the database open, or it changes before the write.',
      'Undo restores the backup (refused if the database changed since, or while the server runs).',
    ],
    effect: 'reversible',
    ...(busy ? { refusal: busy } : {}),
  };
  return { title, path: st.path, steps, preview };
}

function recipeOf(ws: WorkspaceContext) {
  return (p: { backup: string; sha256: string; originalSha256: string }): UndoRecipe => ({
    kind: 'restore-tool-db',
    tool: 'vibe-kanban',
    backup: storedPath(ws, p.backup),
    expectedSha256: p.sha256,
    originalSha256: p.originalSha256,
  });
}

export const stopGhostRunHandler: FixupHandler = {
  action: ACTION,
  async preview(ws, target) {
    const p = await prepare(ws, target);
    return 'steps' in p ? p.preview : p;
  },
  async apply(ws: WorkspaceContext, target: ActionTarget, options: ApplyOptions): Promise<ApplyResult> {
    const p = await prepare(ws, target);
    if (!('steps' in p)) throw new FixupRefused(p.refusal?.reason ?? 'refused', p.refusal?.code ?? 'invalid');
    if (p.preview.refusal) throw new FixupRefused(p.preview.refusal.reason, p.preview.refusal.code);
    const confirmed = options.confirmed?.sql;
    if (confirmed) {
      const same = confirmed.length === p.steps.length && confirmed.every((c, i) => JSON.stringify(c.rows) === JSON.stringify(p.preview.sql![i]!.rows));
      if (!same) throw new FixupRefused(`${target.subject} changed since the preview; nothing was written, preview it again`, 'unsafe');
    }
    const before = p.preview.sql!.map((s) => s.rows);
    const { outcome, journalId } = await journaledWrite(
      ws,
      options,
      { actionId: `${ACTION}:${target.subject}`, title: p.title },
      {
        target: { path: p.path, label: p.path },
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        build: async (snap) => {
          if ((snap.walScan?.committedFrames ?? 0) > 0) throw new FixupRefused('db.v2.sqlite grew a write-ahead log since the preview; nothing was written', 'unsafe');
          const db = await openImage(snap.image);
          try {
            const now = p.steps.map((s) => rowsJson(db, s.select, s.id));
            if (JSON.stringify(now) !== JSON.stringify(before)) throw new FixupRefused(`${target.subject} changed while the fix-up ran; nothing was written`, 'unsafe');
            for (const s of p.steps) {
              db.run(s.sql, s.params);
              if (db.getRowsModified() !== 1) throw new FixupRefused(`an update touched ${db.getRowsModified()} rows, expected 1; nothing was written`, 'unsafe');
            }
            return db.export();
          } finally {
            db.close();
          }
        },
      },
      recipeOf(ws),
    );
    return { ok: true, message: `${p.title} (backup in ${storedPath(ws, outcome.backupDir)})`, output: p.preview.sql!.map((s) => s.statement), journalId };
  },
};

/**
 * Undoes a `restore-tool-db` entry: the database file is recomputed from the tool's data folder
 * (never taken from the journal), restored only while it still has the SHA-256 the fix-up left
 * and the server is down, through the same safe write, itself journaled (undoOf).
 */
export async function undoVibeKanbanEntry(ws: WorkspaceContext, entry: JournalEntry, journal: Journal = openJournal(ws)): Promise<ApplyResult> {
  const u = entry.undo;
  if (u.kind !== 'restore-tool-db' || u.tool !== 'vibe-kanban') throw new FixupRefused(`entry ${entry.id} is not a vibe-kanban change`, 'invalid');
  await journal.preflight();
  const path = vibeKanbanDbPath({ env: ws.env ?? process.env });
  const server = await vibeKanbanServer(ws);
  if (server.alive) throw new FixupRefused(`vibe-kanban's server is running (port ${server.port} answers on 127.0.0.1); stop it before undoing`, 'busy');
  const current = (await fingerprintFile(path)).sha256;
  for (const e of await journal.list()) {
    if (e.undoOf !== entry.id || e.state === 'abandoned') continue;
    if (e.state !== 'intent') return { ok: true, message: `finished the interrupted undo of ${entry.id} (undo entry ${e.id} had been recorded)`, journalId: e.id };
    if (e.undo.kind === 'restore-tool-db' && current === e.undo.expectedSha256) {
      await journal.commit(e.id);
      return { ok: true, message: `finished the interrupted undo of ${entry.id} (undo entry ${e.id})`, journalId: e.id };
    }
    await journal.abandon(e.id);
  }
  if (entry.state === 'intent' && current === u.originalSha256) {
    return { ok: true, notApplied: true, message: `Settled: the interrupted fix-up (${entry.title}) had not changed vibe-kanban's database; entry ${entry.id} is closed` };
  }
  const backup = journalPath(ws, u.backup, ws.config.backupsDir, 'backup');
  const bytes = await readBackup(backup, 'backup');
  await checkManifest(backup, bytes);
  const header = readDbHeader(bytes);
  if (typeof header === 'string') throw new FixupRefused(`the backup is not a usable database (${header}); nothing was restored`, 'unsafe');
  const { outcome, journalId } = await journaledWrite(
    ws,
    { discard: false, journal },
    { actionId: entry.actionId, title: `Undo: ${entry.title}`, undoOf: entry.id },
    {
      target: { path, label: path },
      build: (snap) => {
        if (snap.fingerprints.db.sha256 !== u.expectedSha256 || (snap.walScan?.committedFrames ?? 0) > 0) {
          throw new FixupRefused(`vibe-kanban's database changed after "${entry.title}" (it ran since); restoring the backup would discard that, so nothing was restored`, 'unsafe');
        }
        return bytes;
      },
    },
    recipeOf(ws),
  );
  return { ok: true, message: `restored vibe-kanban's database from the backup taken before "${entry.title}" (the state before the undo is kept in ${storedPath(ws, outcome.backupDir)})`, journalId };
}

export const vibeKanbanSource: ToolSource = {
  id: 'vibe-kanban',
  read: readVibeKanban,
  handlers: [stopGhostRunHandler],
};
