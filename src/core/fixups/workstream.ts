// The workstream model: one agent's unit of work as any tool records it, so the engine judges
// every tool's workstreams by one set of rules. A source (src/core/engine/sources.ts) reads a
// tool's state into it; seed 001's orchestration database is the first (`orchestration-db`).
// Pure: no I/O.

/** Where a workstream or a finding came from; each tool's source is in src/core/engine/tool-sources.ts. */
export type SourceId = 'orchestration-db' | 'git' | 'workstream-specs' | 'claude-code' | 'codex' | 'vibe-kanban' | 'claude-squad';

/** How to tell whether the owner of a workstream is still there; each part only when the tool records it. */
export interface OwnerLiveness {
  pid?: number;
  tmuxSession?: string;
  serverPort?: number;
}

export interface Workstream {
  /** As the tool wrote it; not yet validated (see `isWorkstreamId` in ./names.ts before it reaches git). */
  id: string;
  title: string | null;
  /** As the tool wrote it: `running`, `failed`, `completed`, `blocked`, ... */
  status: string;
  agent: string | null;
  /** The branch the tool names for it; null when the tool does not say (git's naming pattern then decides). */
  branch: string | null;
  /** The worktree path the tool names for it; null when the tool does not say. */
  worktree: string | null;
  startedAt: Date | null;
  updatedAt: Date | null;
  /** The tool's error message, when it failed. */
  error: string | null;
  owner: OwnerLiveness | null;
  source: SourceId;
}

export const RUNNING = 'running';
export const FAILED = 'failed';
/** Statuses of a finished workstream: its worktree, when still there, is left over. */
export const DONE_STATUSES: ReadonlySet<string> = new Set(['completed', 'done', 'merged']);

/** Minutes the workstream has been running at `now`; null without a start time. */
export function runningMinutes(w: Workstream, now: Date): number | null {
  return w.startedAt ? Math.round((now.getTime() - w.startedAt.getTime()) / 60_000) : null;
}

/** The one rule for "stuck": running for longer than the configured threshold. */
export function isStuck(w: Workstream, now: Date, stuckAfterMinutes: number): boolean {
  return w.status === RUNNING && w.startedAt !== null && now.getTime() - w.startedAt.getTime() > stuckAfterMinutes * 60_000;
}
