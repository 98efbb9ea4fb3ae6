// Claude Code's worktree locks: its agents and sessions lock the worktree they run in with a
// reason naming their pid (`claude agent agent-<id> (pid N)`, optionally `start T`), and leave
// the lock behind when they die (anthropics/claude-code#57765). Parsed here, in the kernel, so
// the diagnosis and the fix-ups that would unlock or remove it judge the owner by one rule.
import { ownerState, processStart } from './process-owner';

export interface ClaudeLock {
  /** `agent` (a subagent's worktree) or `session` (a `claude --worktree` session). */
  role: 'agent' | 'session';
  /** What follows the role, as written (e.g. `agent-abc123`); '' when nothing. */
  name: string;
  pid: number;
  /** The process start time the lock recorded, when it did. */
  start: string | null;
}

const LOCK = /^claude (agent|session)\b\s*(.*?)\s*\(pid (\d{1,10})(?: start (\S{1,40}))?\)\s*$/;

/** The Claude Code owner a lock reason names; null for any other reason (or none). */
export function parseClaudeLock(reason: string | null): ClaudeLock | null {
  if (!reason) return null;
  const m = LOCK.exec(reason.trim());
  if (!m) return null;
  const pid = Number(m[3]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  return { role: m[1] as 'agent' | 'session', name: m[2]!, pid, start: m[4] ?? null };
}

/**
 * 'dead' only when provably so: the pid is gone, or the process now holding it started after
 * the one the lock recorded (the pid was reused). A running pid whose start cannot be compared,
 * or that seems to have started earlier (another unit, another boot), counts as alive: the lock
 * is then kept, because removing a live agent's worktree loses its work.
 */
export function claudeLockOwner(lock: ClaudeLock): 'alive' | 'dead' {
  if (ownerState({ pid: lock.pid, start: null }) === 'dead') return 'dead';
  const now = processStart(lock.pid);
  if (lock.start === null || now === null || now === lock.start) return 'alive';
  return /^\d{1,20}$/.test(lock.start) && /^\d{1,20}$/.test(now) && BigInt(now) > BigInt(lock.start) ? 'dead' : 'alive';
}

/** How a person reads the owner: `Claude Code agent agent-abc123 (pid 4242)`. */
export function describeClaudeLock(lock: ClaudeLock): string {
  return `Claude Code ${lock.role}${lock.name ? ` ${lock.name}` : ''} (pid ${lock.pid})`;
}

/** Why a fix-up must not touch a worktree with this lock reason now, or undefined when it may. */
export function liveClaudeOwner(reason: string | null): string | undefined {
  const lock = parseClaudeLock(reason);
  if (!lock || claudeLockOwner(lock) === 'dead') return undefined;
  return `the ${describeClaudeLock(lock)} that locked it is still running; stop it first (Lifeline never takes a live agent's worktree)`;
}
