// claude-squad.pause: a session claude-squad still lists as Running whose tmux session is gone
// (after a reboot `cs` then exits with `error capturing pane content`, claude-squad#216) is paused
// the way claude-squad's own Pause() does it: the dirty tree committed on its branch as
// `[claudesquad] update from '<title>' on <date> (paused)`, the worktree removed (no force: it is
// clean after the commit) and pruned, the branch kept, and only then `status: 3` in state.json.
// Otherwise a later Resume, which force-removes the folder and on failure deletes the branch,
// destroys the uncommitted work. Never `cs reset`, never `branch -D`. Refused while the tmux
// session or claude-squad's daemon runs, or when state.json changed since the preview. Undo
// re-creates the worktree, takes the pause commit back (the files uncommitted again) and puts
// state.json back from the backup, only while it is as the pause left it.
import { mkdir, open as openFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { displayPath, isInside, realPathNearest, samePath } from '../fixups/contain';
import { fsyncDir } from '../fixups/fsync-dir';
import { openJournal } from '../fixups/journal';
import { assertRefName, workstreamIdProblem } from '../fixups/names';
import { containedPath } from '../fixups/contain';
import { MiB, readRegularFile } from '../fixups/read-file';
import { FixupRefused } from '../fixups/types';
import type { ActionTarget, ApplyOptions, ApplyResult, FixupHandler, GitUndoOp, Journal, JournalEntry, Preview, UndoRecipe, WorkspaceContext } from '../fixups/types';
import { matchProcesses, scanProcesses } from '../git/processes';
import { assertMayApply, beginJournal, journalPathOf, refuse, runSteps } from '../git/fixups/common';
import { assertOwnWorktree } from '../git/ownership';
import { resolveRef } from '../git/refs';
import { gitFor } from '../git/repository';
import { ignoredPaths, operationInProgress, worktreeStatus } from '../git/status';
import { undoGitOps } from '../git/undo';
import { listWorktrees, shortBranch } from '../git/worktrees';
import type { Worktree } from '../git/worktrees';
import { journalPath } from '../database/locations';
import { fileStamp } from '../database/time';
import { PAUSED, SQUAD_STATUS, instanceOfRepo, liveDaemon, readSquadState, replaceFile, sha256, squadPaths, squadTmuxName, tmuxSessionState, withStatus } from './claude-squad-state';
import type { SquadInstance, SquadPaths, SquadState } from './claude-squad-state';
import { plural } from '../text/strings';

const ACTION = 'claude-squad.pause' as const;

/** Go's time.RFC822 ("02 Jan 06 15:04 MST"), in UTC: the date claude-squad writes in its pause commit. */
export function rfc822(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())} ${months[d.getUTCMonth()]} ${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

export function pauseMessage(title: string, when: Date): string {
  return `[claudesquad] update from '${title}' on ${rfc822(when)} (paused)`;
}

/** The note that carries the state file's digest, read back from the confirmed preview. */
const SHA_NOTE = /^state\.json as read: sha256 ([0-9a-f]{64})$/;

interface Plan {
  preview: Preview;
  /** Set when the preview is not refused. */
  run?: {
    paths: SquadPaths;
    state: SquadState;
    instance: SquadInstance;
    worktree: Worktree;
    branch: string;
    dirty: boolean;
    commitSteps: string[][];
    removeSteps: string[][];
    newBytes: Buffer;
  };
}

/** A worktree path relative to claude-squad's worktrees folder (`/`-separated), as the undo stores it. */
function underWorktrees(paths: SquadPaths, abs: string): string {
  return relative(realPathNearest(paths.worktrees), realPathNearest(abs)).split(sep).join('/');
}

async function plan(ws: WorkspaceContext, target: ActionTarget): Promise<Plan> {
  const title = target.subject ?? '';
  let preview: Preview = { title: `Pause claude-squad session ${title}`, notes: [], effect: 'reversible' };
  const problem = workstreamIdProblem(title);
  if (problem) return { preview: refuse(preview, `claude-squad session title ${JSON.stringify(title)} ${problem}; Lifeline acts only on plain titles`, 'unsafe') };
  const paths = squadPaths(ws.env);
  const state = await readSquadState(paths.state);
  if (state === null) return { preview: refuse(preview, `claude-squad has no ${paths.state}`) };
  if ('note' in state) return { preview: refuse(preview, state.note) };
  const mine = state.instances.filter((i) => i.title === title && instanceOfRepo(i, ws.root));
  if (mine.length === 0) return { preview: refuse(preview, `claude-squad has no session ${title} for this repository`) };
  if (mine.length > 1) return { preview: refuse(preview, `claude-squad lists session ${title} ${mine.length} times for this repository; not guessing which`, 'unsafe') };
  const instance = mine[0]!;
  if (instance.status === PAUSED) return { preview: refuse(preview, `claude-squad session ${title} is already Paused`) };
  const branch = instance.branchName ?? instance.branch;
  if (!branch || !instance.worktreePath) return { preview: refuse(preview, `claude-squad session ${title} names no worktree or branch`) };
  try {
    assertRefName(branch);
  } catch (e) {
    return { preview: refuse(preview, (e as Error).message, 'unsafe') };
  }
  const wtPath = instance.worktreePath;
  if (!isInside(realPathNearest(paths.worktrees), realPathNearest(wtPath)) || samePath(realPathNearest(wtPath), realPathNearest(paths.worktrees))) {
    return { preview: refuse(preview, `claude-squad session ${title}'s worktree ${wtPath} is not under ${paths.worktrees}; not touching it`, 'unsafe') };
  }
  const git = gitFor(ws);
  const worktree = (await listWorktrees(git)).find((w) => !w.main && !w.bare && samePath(realPathNearest(w.path), realPathNearest(wtPath)));
  const display = displayPath(ws.root, wtPath);
  if (!worktree) return { preview: refuse(preview, `${display} is not a worktree of this repository (git worktree list)`) };
  if (worktree.prunable !== null) return { preview: refuse(preview, `${display}: its folder is gone; git worktree prune drops its record`) };
  if (worktree.branch !== `refs/heads/${branch}`) return { preview: refuse(preview, `${display} has ${shortBranch(worktree.branch) ?? 'a detached HEAD'} checked out, not ${branch}`, 'unsafe') };
  try {
    await assertOwnWorktree(git, ws.root, worktree.path, display);
  } catch (e) {
    if (e instanceof FixupRefused) return { preview: refuse(preview, e.message, e.code) };
    throw e;
  }
  const busy = await operationInProgress(git, worktree.path);
  if (busy) return { preview: refuse(preview, `${display} is in the middle of ${busy}; finish or abort it first`, 'unsafe') };

  const session = squadTmuxName(title);
  const [live, daemon] = await Promise.all([tmuxSessionState(session, ws.env ?? process.env), liveDaemon(paths.daemonPid)]);
  if (live.state === 'alive') return { preview: refuse(preview, `claude-squad's tmux session ${session} is running; pause it in claude-squad itself`, 'busy') };
  if (live.state === 'unknown') return { preview: refuse(preview, `whether tmux session ${session} runs cannot be told (tmux could not be asked: ${live.why}); nothing is done on a guess`, 'unsafe') };
  if (daemon !== null) return { preview: refuse(preview, `claude-squad's daemon (pid ${daemon}, ${paths.daemonPid}) is running and rewrites ${paths.state}; stop it first`, 'busy') };

  // Processes first: the status call below is itself a process inside the worktree. An agent
  // still running there (its tmux session gone or not) would lose its folder under it.
  const inside = matchProcesses(await scanProcesses(), [worktree.path]).get(worktree.path) ?? null;
  if (inside?.length) return { preview: refuse(preview, `${plural(inside.length, 'process', 'processes')} still ${inside.length === 1 ? 'runs' : 'run'} inside ${display} (${inside.slice(0, 3).map((p) => `pid ${p.pid} ${p.command.slice(0, 60)}`).join('; ')}); stop ${inside.length === 1 ? 'it' : 'them'} first`, 'busy') };
  const files = await worktreeStatus(git, worktree.path);
  const ignored = await ignoredPaths(git, worktree.path);
  const dirty = files.length > 0;
  const message = pauseMessage(title, ws.now?.() ?? new Date());
  const commitSteps = dirty
    ? [
        ['-C', worktree.path, 'add', '--all', '--', '.'],
        ['-C', worktree.path, 'commit', '--no-verify', '--quiet', '-m', message],
      ]
    : [];
  const others = (await listWorktrees(git)).filter((w) => w.prunable !== null);
  // prune acts on every stale record of the repository; another tool's may be in use (a moved pool folder).
  const removeSteps = [['worktree', 'remove', '--end-of-options', worktree.path], ...(others.length === 0 ? [['worktree', 'prune']] : [])];
  const newBytes = withStatus(state, instance.index, PAUSED);
  const was = instance.status === null ? 'no status' : `${instance.status} (${SQUAD_STATUS[instance.status] ?? 'unknown'})`;
  preview = {
    ...preview,
    git: [...commitSteps, ...removeSteps],
    files: [paths.state, display, ...files.map((f) => `${display}/${f.path}`)],
    notes: [
      dirty ? `Commits ${plural(files.length, 'file')} on ${branch} as "${message}" (as claude-squad's pause does):` : `${display} is clean: nothing to commit.`,
      ...files.slice(0, 20).map((f) => `  ${f.code} ${f.path}`),
      ...(files.length > 20 ? [`  ... and ${files.length - 20} more`] : []),
      `Removes the worktree ${display} (no force) and keeps branch ${branch}.`,
      ...(ignored.length ? [`Removing the folder deletes ${plural(ignored.length, 'ignored path')} git does not keep (${ignored.slice(0, 5).join(', ')}${ignored.length > 5 ? ', ...' : ''}); claude-squad's pause deletes them too; undo does not bring them back.`] : []),
      ...(others.length ? [`git worktree prune is skipped: ${plural(others.length, 'other worktree record')} of this repository ${others.length === 1 ? 'is' : 'are'} stale, and pruning would drop them too.`] : []),
      `Sets session ${title}'s status in ${paths.state} from ${was} to 3 (Paused); every other byte stays. Backs it up to ${ws.config.backupsDir}/claude-squad/<time>/ first and writes it atomically.`,
      'Undo re-creates the worktree on its branch, takes the pause commit back (the files uncommitted again) and restores state.json while it is as the pause left it.',
      `state.json as read: sha256 ${state.sha256}`,
    ],
    // Ignored files go with the folder and undo cannot bring them back: confirmed exactly, as remove's are.
    ...(ignored.length ? { effect: 'destructive' as const, discards: { files: ignored, commits: [] } } : {}),
  };
  return { preview, run: { paths, state, instance, worktree, branch, dirty, commitSteps, removeSteps, newBytes } };
}

async function writeBackup(ws: WorkspaceContext, bytes: Uint8Array): Promise<string> {
  const dir = containedPath(ws.root, join(ws.config.backupsDir, 'claude-squad', fileStamp(ws.now?.() ?? new Date())), 'backup');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'state.json');
  const fh = await openFile(file, 'wx', 0o600);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsyncDir(dir);
  return file;
}

export const pauseHandler: FixupHandler = {
  action: ACTION,
  async preview(ws, target) {
    return (await plan(ws, target)).preview;
  },
  async apply(ws, target, options: ApplyOptions): Promise<ApplyResult> {
    const { preview, run } = await plan(ws, target);
    assertMayApply(preview, options);
    if (!run) throw new FixupRefused('nothing to pause', 'invalid');
    const seen = options.confirmed?.notes.map((n) => SHA_NOTE.exec(n)?.[1]).find(Boolean);
    if (options.confirmed && seen !== run.state.sha256) throw new FixupRefused(`${run.paths.state} changed since the preview; preview again`, 'busy');
    const journal: Journal = options.journal ?? openJournal(ws);
    await journal.preflight();
    const git = gitFor(ws);
    const at = git.at(run.worktree.path);
    const parent = await resolveRef(at, 'HEAD');
    if (!parent) throw new FixupRefused(`${run.worktree.path} has no commit on ${run.branch}`, 'invalid');
    const backup = journalPathOf(ws, await writeBackup(ws, run.state.bytes));
    const rel = underWorktrees(run.paths, run.worktree.path);
    const ref = `refs/heads/${run.branch}`;
    const ops = (after?: string): GitUndoOp[] => [
      { op: 'recreate-worktree', path: rel, branch: run.branch, sha: after ?? parent },
      ...(run.dirty ? [{ op: 'reset-branch' as const, worktree: rel, ref, to: parent, mode: 'mixed' as const, ...(after ? { expect: after } : {}) }] : []),
    ];
    const description = `re-create ${rel} on ${run.branch}${run.dirty ? ', take the pause commit back (files uncommitted again)' : ''} and put state.json back`;
    const recipe = (after?: string, written = true): UndoRecipe => ({
      kind: 'claude-squad-pause',
      title: run.instance.title,
      backup,
      originalSha256: run.state.sha256,
      ...(written ? { expectedSha256: sha256(run.newBytes) } : {}),
      ops: ops(after),
      description,
    });
    const intent = await beginJournal(ws, { ...options, journal }, { actionId: `${ACTION}:${run.instance.title}`, title: preview.title, undo: recipe() });
    await runSteps(git, run.commitSteps, run.worktree.path, options.onProgress);
    const after = run.dirty ? ((await resolveRef(at, 'HEAD')) ?? undefined) : undefined;
    const left = await worktreeStatus(git, run.worktree.path);
    if (left.length) {
      await intent.commit(recipe(after, false));
      throw new FixupRefused(`${run.worktree.path} still has ${plural(left.length, 'uncommitted file')} after the commit (${left[0]!.path}); stopped before removing it. Undo takes the commit back`, 'unsafe');
    }
    await runSteps(git, run.removeSteps, ws.root, options.onProgress);
    options.onProgress?.(`write ${run.paths.state} (status 3)`);
    try {
      await replaceFile(run.paths.state, run.newBytes, run.state.sha256);
    } catch (e) {
      // The git half is done and journaled; the file was not touched.
      await intent.commit(recipe(after, false));
      throw e;
    }
    const entry = await intent.commit(recipe(after));
    return {
      ok: true,
      message: `Paused claude-squad session ${run.instance.title}: ${run.dirty ? `work committed as ${after?.slice(0, 12)} on ${run.branch}, ` : ''}worktree removed, branch kept, status 3 in state.json.`,
      journalId: entry.id,
    };
  },
};

/**
 * Undoes a pause: refuses first when state.json is neither as the pause left it nor as it was
 * (claude-squad wrote it since), then re-creates the worktree and takes the commit back (the git
 * undo's checks), then puts the backup in place (only while the file still has the digest the
 * pause left). Run again after a kill, it skips what is done.
 */
export async function undoSquadPause(ws: WorkspaceContext, entry: JournalEntry, journal: Journal, onProgress?: (line: string) => void): Promise<ApplyResult> {
  const u = entry.undo;
  if (u.kind !== 'claude-squad-pause') throw new Error(`entry ${entry.id} is not a claude-squad pause`);
  const paths = squadPaths(ws.env);
  const daemon = await liveDaemon(paths.daemonPid);
  if (daemon !== null) throw new FixupRefused(`claude-squad's daemon (pid ${daemon}) is running and rewrites ${paths.state}; stop it first`, 'busy');
  const current = await readRegularFile(paths.state, { what: "claude-squad's state file", maxBytes: 32 * MiB });
  const now = current ? sha256(current) : null;
  const restore = u.expectedSha256 !== undefined && now === u.expectedSha256;
  if (!restore && now !== u.originalSha256 && u.expectedSha256 !== undefined) {
    throw new FixupRefused(`${paths.state} changed since the pause (claude-squad wrote it); undo refused, nothing was changed. Put the session back in claude-squad by hand`, 'busy');
  }
  let backup: Buffer | null = null;
  if (restore) {
    backup = await readRegularFile(journalPath(ws, u.backup, ws.config.backupsDir, 'backup'), { what: 'the state.json backup', maxBytes: 32 * MiB });
    if (!backup || sha256(backup) !== u.originalSha256) throw new FixupRefused(`the backup ${u.backup} is missing or was changed after it was taken; not restoring it`, 'unsafe');
  }
  const did = await undoGitOps(ws, entry, u.ops, journal, { base: paths.worktrees, ...(onProgress ? { onProgress } : {}) });
  if (restore && backup) {
    onProgress?.(`restore ${paths.state} from ${u.backup}`);
    await replaceFile(paths.state, backup, u.expectedSha256!);
    did.push('state.json restored');
  }
  if (entry.state === 'intent' && did.length === 0) return { ok: true, notApplied: true, message: `Settled: the interrupted pause of ${u.title} had changed nothing; entry ${entry.id} is closed.` };
  return { ok: true, message: `Undone: ${u.description}.` };
}
