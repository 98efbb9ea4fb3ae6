// The contract between scanners, fix-up actions, the journal and their callers (CLI, editor).
// Pure types: git and database modules implement them; nothing here does I/O.
import type { LifelineConfig } from './config';
import type { Effect } from './effects';
import type { SourceId } from './workstream';
import type { FixupAction } from '../playbooks/model';

/** A workspace under diagnosis. */
export interface WorkspaceContext {
  /** Absolute path of the repository root (the main worktree). */
  root: string;
  config: LifelineConfig;
  /** Cancels long git/database work. */
  signal?: AbortSignal;
  /** Clock, injectable so tests can age things. */
  now?: () => Date;
  /** Where the tools' per-user state is looked up (HOME, XDG_*, TMPDIR, APPDATA); the process's environment when absent. */
  env?: NodeJS.ProcessEnv;
}

export type FindingKind =
  | 'stuck-workstream'
  | 'failed-workstream'
  | 'dependency-cycle'
  | 'dangling-dependency'
  | 'prunable-worktree'
  | 'locked-worktree'
  | 'orphaned-worktree'
  | 'dirty-worktree'
  | 'foreign-worktree'
  | 'hot-wal'
  | 'stale-journal'
  | 'db-unreadable'
  | 'db-missing'
  | 'invalid-spec'
  /** A tool records a run as going on while its owner (server, tmux session) is gone. */
  | 'ghost-run';

/** A reference to a fix-up that applies to a finding; `id` reads `<action>` or `<action>:<subject>`. */
export interface ActionRef {
  id: string;
  title: string;
  /** The most this action can do (its plan's preview says exactly); see effects.ts. */
  effect: Effect;
}

export interface Finding {
  /** Stable across runs for the same problem: `<kind>:<subject>`. */
  id: string;
  kind: FindingKind;
  /** The workstream id or the worktree path (relative to the root when inside it). */
  subject: string;
  /** Whose state it was found in: the orchestration database, git (plain worktrees), the workstream specs. */
  source: SourceId;
  /** The playbook that handles it. */
  scenario: string;
  /** One line a person reads. */
  detail: string;
  actions: ActionRef[];
  /** Facts behind the finding, for views (age in minutes, branch, commits ahead, pid, ...). */
  facts?: Record<string, string | number | boolean | null>;
}

/** A parsed action id. */
export interface ActionTarget {
  action: FixupAction;
  /** Workstream id, worktree path, branch or commit; absent for workspace-wide actions. */
  subject?: string;
  /** Extra parameters (e.g. `message`, `testCommand`). */
  params?: Record<string, string>;
}

/** Exactly what an action will do, shown before the user confirms. */
export interface Preview {
  title: string;
  /** Each git invocation as argv (without the leading `git`). */
  git?: string[][];
  /**
   * Each SQL statement with the rows it will change: `rows` before the change and, for writes,
   * `after` (the same rows, in the same order, as SQLite leaves them when the statement runs on
   * a copy of the database).
   */
  sql?: { statement: string; rows: Record<string, unknown>[]; after?: Record<string, unknown>[] }[];
  /** Files the action writes, moves or deletes. */
  files?: string[];
  /** Plain-language lines: what changes, what is kept, how to undo. */
  notes: string[];
  /** What running this plan does to the workspace; the one value every front-end shows. */
  effect: Effect;
  /** Set when the action must not run now; the reason is one line. */
  refusal?: { reason: string; code: 'unsafe' | 'busy' | 'invalid' };
  /** Work that would be lost; the user must confirm discarding exactly this (CLI `--discard`). */
  discards?: { files: string[]; commits: string[] };
}

export interface ApplyOptions {
  /** The user confirmed discarding exactly `preview.discards`. */
  discard: boolean;
  /** The preview the user confirmed: apply refuses when what it would discard differs from it. */
  confirmed?: Preview;
  /** Where the change is journaled; the workspace's default journal when absent. */
  journal?: Journal;
  signal?: AbortSignal;
  /** Progress lines for a UI or terminal. */
  onProgress?: (line: string) => void;
}

export interface ApplyResult {
  ok: boolean;
  /** One line for the user. */
  message: string;
  /** Output worth showing (e.g. conflicting files, bisect log). */
  output?: string[];
  /** Journal entry written for this change; absent for read-only actions. */
  journalId?: string;
  /** A playbook to continue with (e.g. merge-conflict after an aborted merge). */
  handOff?: string;
  /** What it found that later steps act on, by placeholder name (the merge it blamed: `merge-sha`, its `ws-id`). */
  values?: Record<string, string>;
  /** Undo of an interrupted intent whose change had not happened: the entry is closed as abandoned, not undone. */
  notApplied?: boolean;
}

/** One fix-up action: knows how to preview, apply and undo itself. */
export interface FixupHandler {
  action: FixupAction;
  preview(ws: WorkspaceContext, target: ActionTarget): Promise<Preview>;
  apply(ws: WorkspaceContext, target: ActionTarget, options: ApplyOptions): Promise<ApplyResult>;
}

/**
 * One git operation an undo performs. The journal holds these typed operations, never argv:
 * they are validated when read (workspace-relative paths, ref names by git's rules, full object
 * ids) and turned into git argv only by src/core/git/undo.ts. Each is also checked against the
 * repository before it runs: already in its target state -> skipped (so an interrupted undo can
 * simply run again), in the state the fix-up left -> done, anything else -> refused. Each is as
 * narrow as what a fix-up needs, so even a forged entry can at most re-create what is missing
 * or take back one commit on a branch (still in the reflog); it never deletes main or moves a
 * ref elsewhere. Paths are relative to the root with `/` ("." is the root), or absolute for a worktree
 * in an agent tool's worktrees folder outside the repository (./tool-worktrees.ts), accepted only there.
 */
export type GitUndoOp =
  /** Re-create a deleted `ref` at `sha`, only while it does not exist (never moves an existing ref). */
  | { op: 'restore-ref'; ref: string; sha: string }
  /** Delete branch `ref` that a fix-up created with one root commit, only while it is at `expect` (absent: not known, the fix-up was interrupted). */
  | { op: 'delete-ref'; ref: string; expect?: string }
  /**
   * In the worktree at `worktree`, whose HEAD is `ref`: take back the one commit a fix-up made
   * (`to` must be its first parent), only while `ref` is at `expect`. mixed keeps the files as
   * changes; keep refuses to overwrite local changes.
   */
  | { op: 'reset-branch'; worktree: string; ref: string; to: string; expect?: string; mode: 'mixed' | 'keep' }
  /** Re-create a removed worktree at `path` on `branch` (short name), or detached at `sha`. */
  | { op: 'recreate-worktree'; path: string; branch: string | null; sha: string }
  /** `git stash apply` the stash saved under `ref` in the worktree at `worktree`. */
  | { op: 'apply-stash'; worktree: string; ref: string }
  /** Lock the worktree at `path` again (with its old reason). */
  | { op: 'lock-worktree'; path: string; reason: string | null };

/** Undo recipe of a journal entry, interpreted by the module that wrote it. */
export type UndoRecipe =
  | { kind: 'restore-db'; backup: string; walBackup?: string; expectedSha256: string; /** SHA-256 of the database file before the change, and once its WAL was folded in: an interrupted intent found in either state never changed it. */ originalSha256?: string; foldedSha256?: string }
  /**
   * Puts an agent tool's own database back from the backup (workspace-relative, under the backup
   * folder) while the file still has `expectedSha256`. The file restored is recomputed from the
   * tool's data folder, never read from here, so an edited entry cannot steer a write elsewhere.
   */
  | { kind: 'restore-tool-db'; tool: 'vibe-kanban'; backup: string; expectedSha256: string; originalSha256?: string }
  | { kind: 'git-ops'; ops: GitUndoOp[]; description: string }
  /**
   * A claude-squad session paused by Lifeline: `ops` (re-create the worktree, take back the pause
   * commit) with paths relative to claude-squad's worktrees folder, then its `state.json` put back
   * from `backup` (under backupsDir) only while it still has `expectedSha256` (absent: the file
   * was never written). The state file's own path is recomputed from the user's home on undo.
   */
  | { kind: 'claude-squad-pause'; title: string; backup: string; originalSha256: string; expectedSha256?: string; ops: GitUndoOp[]; description: string }
  /**
   * Written by Lifeline before typed undo: raw git argv. Listed, never run: `undo` refuses it
   * (argv read from a file that anyone with write access could have edited).
   */
  | { kind: 'git'; steps: string[][]; description: string; cwd?: string; expect?: { ref: string; sha: string | null }[] }
  | { kind: 'none'; reason: string };

/** What the journal keeps for one fix-up: written before the change (an intent), then committed. */
export interface JournalEntry {
  id: string;
  /** ISO time. */
  time: string;
  actionId: string;
  title: string;
  undo: UndoRecipe;
  undone?: string;
  /**
   * `intent`: written (fsynced) before the change; the change may or may not have happened if
   * the process died. `done`: the change was made (entries from before intents have no state and
   * mean done too). `abandoned`: settled, the change did not happen.
   */
  state?: 'intent' | 'done' | 'abandoned';
  /** The process writing an intent, so an entry still being worked on is not mistaken for an interrupted one. */
  owner?: { pid: number; start: string | null };
  /** Set before an undo starts and kept until it is recorded: `done` counts the operations finished. */
  undoing?: { time: string; done: number; owner: { pid: number; start: string | null } };
  /** The entry this one undid (its own undo restores what that undo replaced). */
  undoOf?: string;
}

/** Where journal entries are kept (implemented by src/core/fixups/journal.ts). */
export interface Journal {
  /** Checks the journal folder can be written, before anything is changed; throws FixupRefused. */
  preflight(): Promise<void>;
  /** Stores a committed entry, filling `id` and `time` (for changes with no intent phase). */
  append(entry: Omit<JournalEntry, 'id' | 'time'>): Promise<JournalEntry>;
  /** Stores an intent (state `intent`, fsynced) before the change is made. */
  begin(entry: Omit<JournalEntry, 'id' | 'time' | 'state' | 'owner'>): Promise<JournalEntry>;
  /** Records that the change of an intent was made, with the final undo recipe when it changed. */
  commit(id: string, undo?: UndoRecipe): Promise<JournalEntry>;
  /** Records that an intent's change did not happen. */
  abandon(id: string): Promise<void>;
  /** Every entry, oldest first. */
  list(): Promise<JournalEntry[]>;
  get(id: string): Promise<JournalEntry | undefined>;
  /** Records that an undo of the entry started, or how far it got. */
  markUndoing(id: string, done: number): Promise<void>;
  /** Records that an entry was undone (ISO time). */
  markUndone(id: string, time: string): Promise<void>;
}

/** One row of the orchestration table (seed 001's columns; names come from the config). */
export interface WorkstreamRow {
  workstream_id: string;
  status: string;
  agent_id: string | null;
  started_at: string | null;
  completed_at: string | null;
  error_message: string | null;
  blocked_by: string | null;
  notes: string | null;
}

/** The database half as diagnose, probes and the CLI use it (src/core/database provides it). */
export interface DatabaseSource {
  /** Findings about the database and its rows: stuck, failed, hot-wal, db-unreadable, ... */
  scan(ws: WorkspaceContext): Promise<Finding[]>;
  /** The rows (WAL-aware), or null when the database is missing or unreadable. */
  readRows(ws: WorkspaceContext): Promise<WorkstreamRow[] | null>;
  /** Whether another process has the database open; null when that cannot be told. */
  inUse?(ws: WorkspaceContext): Promise<boolean | null>;
  /** Who has it open, in words ("pid 4242 (python3) has orchestration.db open"); null when nobody or unknown. */
  holders?(ws: WorkspaceContext): Promise<string | null>;
  handlers: FixupHandler[];
  /** Starts loading what a read needs (sql.js compiles off the main thread) while the caller still opens the workspace. */
  warm?(): void;
  /** Undoes a `restore-db` journal entry, recording the undo in `journal`; `force` restores even over later writes (backed up first). */
  undo?(ws: WorkspaceContext, entry: JournalEntry, journal: Journal, options?: { force?: boolean }): Promise<ApplyResult>;
}

/**
 * The one typed refusal. `unsafe`: Lifeline will not do it, because it could lose work or let a
 * name or path from a file steer it (a hostile name, a path leading outside the workspace, the
 * main branch or checkout, a tampered journal): CLI exit 4. `busy`: someone else has the
 * database or the entry (exit 5). `invalid`: the request does not apply here (no such
 * workstream, nothing to save): exit 1.
 */
export class FixupRefused extends Error {
  constructor(message: string, readonly code: 'unsafe' | 'busy' | 'invalid') {
    super(message);
    this.name = 'FixupRefused';
  }
}
