// claude-squad's on-disk and process facts (smtg-ai/claude-squad): where it keeps its state
// (`~/.claude-squad/state.json`, worktrees, `daemon.pid`), the instances in that file, the tmux
// session each runs in and whether it is there, and the one change Lifeline makes to the file:
// one instance's `status`, edited in place byte for byte (other instances, unknown keys, key
// order and layout kept) and written atomically. claude-squad itself rewrites the whole file
// non-atomically, so a write is only made while its owner is away (the callers check).
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { fsyncDir } from '../fixups/fsync-dir';
import { MiB, readRegularFile } from '../fixups/read-file';
import { hasControlChars, realRoot, samePath } from '../fixups/contain';
import { ownerState } from '../fixups/process-owner';
import { FixupRefused } from '../fixups/types';
import { userHome } from '../fixups/user-dirs';

/** Instance statuses as claude-squad numbers them (session/instance.go). */
export const SQUAD_STATUS: Readonly<Record<number, string>> = { 0: 'Running', 1: 'Ready', 2: 'Loading', 3: 'Paused' };
export const PAUSED = 3;

/** The file is one list of small records; far larger is not claude-squad's. */
const MAX_STATE_BYTES = 32 * MiB;

export interface SquadPaths {
  dir: string;
  state: string;
  worktrees: string;
  daemonPid: string;
}

export function squadPaths(env?: NodeJS.ProcessEnv): SquadPaths {
  const dir = join(userHome({ env }), '.claude-squad');
  return { dir, state: join(dir, 'state.json'), worktrees: join(dir, 'worktrees'), daemonPid: join(dir, 'daemon.pid') };
}

export interface SquadInstance {
  /** Position in the file's `instances` array. */
  index: number;
  title: string;
  path: string | null;
  branch: string | null;
  status: number | null;
  createdAt: string | null;
  updatedAt: string | null;
  program: string | null;
  repoPath: string | null;
  worktreePath: string | null;
  branchName: string | null;
}

export interface SquadState {
  bytes: Buffer;
  sha256: string;
  instances: SquadInstance[];
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length < 4096 ? v : null);

/** The instances of a parsed state.json; records that are not objects with a string title are skipped. */
function instancesOf(data: unknown): SquadInstance[] | string {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'it is not a JSON object';
  const list = (data as { instances?: unknown }).instances;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return '"instances" is not a list';
  const out: SquadInstance[] = [];
  list.forEach((raw: unknown, index) => {
    if (!raw || typeof raw !== 'object') return;
    const r = raw as Record<string, unknown>;
    const title = str(r.title);
    if (title === null) return;
    const w = (r.worktree && typeof r.worktree === 'object' ? r.worktree : {}) as Record<string, unknown>;
    out.push({
      index,
      title,
      path: str(r.path),
      branch: str(r.branch),
      status: Number.isInteger(r.status) ? (r.status as number) : null,
      createdAt: str(r.created_at),
      updatedAt: str(r.updated_at),
      program: str(r.program),
      repoPath: str(w.repo_path),
      worktreePath: str(w.worktree_path),
      branchName: str(w.branch_name),
    });
  });
  return out;
}

/**
 * state.json as read: null when it does not exist (one stat), `{ note }` when it cannot be read
 * as claude-squad's file (the diagnosis says so in one line and goes on), else the instances.
 */
export async function readSquadState(file: string): Promise<SquadState | { note: string } | null> {
  let bytes: Buffer | null;
  try {
    bytes = await readRegularFile(file, { what: "claude-squad's state file", maxBytes: MAX_STATE_BYTES });
  } catch (e) {
    return { note: `claude-squad's ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); its sessions are not shown.` };
  }
  if (bytes === null) return null;
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { note: `claude-squad's ${file} is not valid JSON; its sessions are not shown.` };
  }
  const instances = instancesOf(data);
  if (typeof instances === 'string') return { note: `claude-squad's ${file} is not a state file (${instances}); its sessions are not shown.` };
  return { bytes, sha256: sha256(bytes), instances };
}

/** Whether an instance belongs to the repository at `root` (its `path`, else its worktree's `repo_path`). */
export function instanceOfRepo(i: SquadInstance, root: string): boolean {
  const repo = i.path ?? i.repoPath;
  if (repo === null || hasControlChars(repo) || !isAbsolute(repo)) return false;
  return samePath(repo, root) || samePath(repo, realRoot(root));
}

/** claude-squad's tmux session name for a title (session/tmux/tmux.go): whitespace removed, "." -> "_". */
export function squadTmuxName(title: string): string {
  // Go's \s: ASCII whitespace only.
  return `claudesquad_${title.replace(/[\t\n\f\r ]+/g, '').replace(/\./g, '_')}`;
}

export type Liveness = { state: 'alive' | 'gone' } | { state: 'unknown'; why: string };

/** tmux's words for "no such session" and "no server" (the socket missing, or left by a dead server). */
const GONE = /can't find session|session not found|no server running|error connecting to .*\((?:No such file or directory|Connection refused)\)/i;

/**
 * Whether tmux has the session `name`: `tmux has-session -t =<name>` (`=`: exact, not a prefix),
 * run with the workspace's environment so TMUX_TMPDIR and TMUX pick the server claude-squad
 * used. Exit 0: alive. Exit 1 saying there is no such session or no server: gone. Anything else
 * (tmux missing, a socket it may not open, a timeout) is unknown.
 */
export function tmuxSessionState(name: string, env: NodeJS.ProcessEnv = process.env): Promise<Liveness> {
  if (hasControlChars(name)) return Promise.resolve({ state: 'unknown', why: 'the session name holds control characters' });
  return new Promise((resolve) => {
    // The C locale keeps tmux's error text (strerror) in the words matched above.
    execFile('tmux', ['has-session', '-t', `=${name}`], { env: { ...env, LC_ALL: 'C' }, timeout: 5_000, encoding: 'utf8' }, (err, _stdout, stderr) => {
      if (!err) return resolve({ state: 'alive' });
      const e = err as Error & { code?: string | number | null; killed?: boolean };
      if (e.code === 'ENOENT') return resolve({ state: 'unknown', why: 'tmux is not installed' });
      if (e.code === 1 && GONE.test(String(stderr))) return resolve({ state: 'gone' });
      const said = String(stderr).trim().split('\n')[0] || (e.killed ? 'timed out' : String(e.message));
      resolve({ state: 'unknown', why: `tmux said: ${said.slice(0, 200)}` });
    });
  });
}

/** The pid in claude-squad's `daemon.pid` when that process runs (its AutoYes daemon rewrites state.json); else null. */
export async function liveDaemon(file: string): Promise<number | null> {
  let text: string | undefined;
  try {
    text = (await readRegularFile(file, { what: "claude-squad's daemon.pid", maxBytes: 64 }))?.toString('utf8');
  } catch {
    return null;
  }
  const pid = text === undefined ? NaN : Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  // No start time is recorded: a running pid counts as the daemon.
  return ownerState({ pid, start: null }) === 'dead' ? null : pid;
}

// --- the status edit ---------------------------------------------------------------------------

interface Node {
  start: number;
  end: number;
  members?: [string, Node][];
  items?: Node[];
}

const WS = /[ \t\n\r]*/y;
const PRIMITIVE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

function skip(text: string, i: number): number {
  WS.lastIndex = i;
  WS.exec(text);
  return WS.lastIndex;
}

function bad(at: number): never {
  throw new FixupRefused(`claude-squad's state.json cannot be edited safely (unexpected text at byte ${at}); nothing was changed`, 'unsafe');
}

function token(re: RegExp, text: string, i: number): number {
  re.lastIndex = i;
  const m = re.exec(text);
  if (!m) bad(i);
  return i + m[0].length;
}

/** A JSON value with the span of every object member and array item (the file was JSON.parse'd already). */
function parseAt(text: string, at: number, depth = 0): Node {
  if (depth > 64) bad(at);
  const i = skip(text, at);
  const c = text[i];
  if (c === '{' || c === '[') {
    const node: Node = { start: i, end: i, ...(c === '{' ? { members: [] } : { items: [] }) };
    let j = skip(text, i + 1);
    const close = c === '{' ? '}' : ']';
    if (text[j] === close) return { ...node, end: j + 1 };
    for (;;) {
      if (node.members) {
        const keyEnd = token(STRING, text, j);
        const key = JSON.parse(text.slice(j, keyEnd)) as string;
        j = skip(text, keyEnd);
        if (text[j] !== ':') bad(j);
        const value = parseAt(text, j + 1, depth + 1);
        node.members.push([key, value]);
        j = skip(text, value.end);
      } else {
        const value = parseAt(text, j, depth + 1);
        node.items!.push(value);
        j = skip(text, value.end);
      }
      if (text[j] === ',') j = skip(text, j + 1);
      else if (text[j] === close) return { ...node, end: j + 1 };
      else bad(j);
    }
  }
  if (c === '"') return { start: i, end: token(STRING, text, i) };
  return { start: i, end: token(PRIMITIVE, text, i) };
}

/** The one member named `key`; a duplicate key (which JSON readers resolve differently) is refused. */
function member(node: Node | undefined, key: string): Node | undefined {
  const found = (node?.members ?? []).filter(([k]) => k === key);
  if (found.length > 1) throw new FixupRefused(`claude-squad's state.json has "${key}" twice in one record; not editing it`, 'unsafe');
  return found[0]?.[1];
}

/**
 * The file's bytes with instance `index`'s status set to `status`, every other byte as it was.
 * Checked: read back, the result differs from the original in that one value only.
 */
export function withStatus(state: SquadState, index: number, status: number): Buffer {
  const text = state.bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(state.bytes)) throw new FixupRefused("claude-squad's state.json is not valid UTF-8; not editing it", 'unsafe');
  const root = parseAt(text, 0);
  if (skip(text, root.end) !== text.length) bad(root.end);
  const record = member(root, 'instances')?.items?.[index];
  if (!record?.members) throw new FixupRefused(`claude-squad's state.json has no instance record ${index}; nothing was changed`, 'invalid');
  const value = member(record, 'status');
  if (!value) throw new FixupRefused(`claude-squad's instance record ${index} has no status; not adding one`, 'unsafe');
  const out = Buffer.from(text.slice(0, value.start) + String(status) + text.slice(value.end), 'utf8');
  const want = JSON.parse(text) as { instances: Record<string, unknown>[] };
  want.instances[index]!.status = status;
  if (JSON.stringify(JSON.parse(out.toString('utf8'))) !== JSON.stringify(want)) bad(value.start);
  return out;
}

/**
 * Replaces `file` with `bytes` atomically: a temp file in the same folder with the file's mode,
 * fsynced, then (only while the file still has `expectSha`) renamed over it, and the folder
 * fsynced. Refuses (busy) when someone wrote the file meanwhile; nothing is replaced then.
 */
export async function replaceFile(file: string, bytes: Uint8Array, expectSha: string): Promise<void> {
  const st = await stat(file);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && uid !== 0 && st.uid !== uid) throw new FixupRefused(`${file} belongs to uid ${st.uid}, not this process's ${uid}; nothing was written`, 'unsafe');
  const tmp = join(dirname(file), `.state.json.lifeline-${process.pid}-${randomBytes(3).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      if (process.platform !== 'win32') await fh.chmod(st.mode & 0o7777);
      if (uid === 0 && (st.uid !== 0 || st.gid !== (process.getgid?.() ?? st.gid))) await fh.chown(st.uid, st.gid);
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    const now = await readRegularFile(file, { what: "claude-squad's state file", maxBytes: MAX_STATE_BYTES });
    if (!now || sha256(now) !== expectSha) throw new FixupRefused(`${file} changed while Lifeline was writing it (claude-squad is running?); it was not replaced`, 'busy');
    await rename(tmp, file);
    await fsyncDir(dirname(file));
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}
