// The contract between scanners, fix-up actions, the journal and their callers (CLI, editor).
// Pure types: git and database modules implement them; nothing here does I/O.
import type { LifelineConfig } from './config';
import type { Effect } from './effects';
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
  | 'hot-wal'
  | 'stale-journal'
  | 'db-unreadable'
  | 'db-missing'
  | 'invalid-spec';

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
}

/** One fix-up action: knows how to preview, apply and undo itself. */
export interface FixupHandler {
  action: FixupAction;
  preview(ws: WorkspaceContext, target: ActionTarget): Promise<Preview>;
  apply(ws: WorkspaceContext, target: ActionTarget, options: ApplyOptions): Promise<ApplyResult>;
}

/** What the journal keeps for one applied fix-up: enough to undo it. */
export interface JournalEntry {
  id: string;
  /** ISO time. */
  time: string;
  actionId: string;
  title: string;
  /** Undo recipe, interpreted by the module that wrote it. */
  undo:
    | { kind: 'restore-db'; backup: string; walBackup?: string; expectedSha256: string }
    | {
        kind: 'git';
        /** Each git invocation as argv (without `git`), run in order. */
        steps: string[][];
        description: string;
        /** Directory the steps run in (absolute); the repository root when absent. */
        cwd?: string;
        /** Preconditions: each ref must still point at `sha` (null: must not exist), else undo refuses. */
        expect?: { ref: string; sha: string | null }[];
      }
    | { kind: 'none'; reason: string };
  undone?: string;
  /** Set on the entry an undo writes (a database undo journals its own restore): the id it undid. */
  undoes?: string;
}

/** Where journal entries are kept (implemented by src/core/fixups/journal.ts). */
export interface Journal {
  /** Stores an entry, filling `id` and `time`. */
  append(entry: Omit<JournalEntry, 'id' | 'time'>): Promise<JournalEntry>;
  /** Every entry, oldest first. */
  list(): Promise<JournalEntry[]>;
  get(id: string): Promise<JournalEntry | undefined>;
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
  handlers: FixupHandler[];
  /** Undoes a `restore-db` journal entry. */
  undo?(ws: WorkspaceContext, entry: JournalEntry): Promise<ApplyResult>;
}

/** Errors that carry a CLI exit code: refused for safety (4) or busy database (5). */
export class FixupRefused extends Error {
  constructor(message: string, readonly code: 'unsafe' | 'busy' | 'invalid') {
    super(message);
    this.name = 'FixupRefused';
  }
}
