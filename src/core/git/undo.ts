// Undoes a git journal entry. The entry holds typed operations (types.ts GitUndoOp), already
// shape-checked when the journal was read; here each is bound to this workspace before anything
// runs: paths resolve (symlinks included) inside the root, worktrees must be ones git lists for
// this repository, and the argv is built here, in code, never read from the file. Every
// operation is checked against the repository first (already done -> skipped; in the state the
// fix-up left -> run; otherwise -> refused), and progress is journaled after each one, so an
// undo that was killed can simply be run again.
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { inToolWorktreeRoot } from '../fixups/tool-worktrees';
import type { ApplyResult, GitUndoOp, Journal, JournalEntry, WorkspaceContext } from '../fixups/types';
import { testPause } from '../fixups/test-pause';
import { FixupRefused } from '../fixups/types';
import { isInside, realPathNearest, realRoot, samePath } from '../fixups/contain';
import { protectedBranchProblem } from './branches';
import { assertOwnWorktree } from './ownership';
import { resolveRef } from './refs';
import type { GitRunner } from './runner';
import { worktreeStatus } from './status';
import { gitFor } from './repository';
import { listWorktrees } from './worktrees';
import type { Worktree } from './worktrees';

function tampered(entry: JournalEntry, why: string): FixupRefused {
  return new FixupRefused(`refused: journal entry ${entry.id} ${why}; nothing was run`, 'unsafe');
}

/**
 * A journal path inside `base` (the workspace, or the folder a tool keeps its worktrees in, which
 * the caller recomputes, never reads from the entry) after resolving symlinks; an absolute path
 * only inside an agent tool's worktrees folder (Codex's); throws the tamper refusal otherwise.
 */
function basePath(ws: WorkspaceContext, base: string, entry: JournalEntry, stored: string): string {
  if (isAbsolute(stored)) {
    if (!inToolWorktreeRoot(ws, stored)) throw tampered(entry, `names ${JSON.stringify(stored)}, which is outside the workspace and every agent tool's worktrees folder`);
    return resolve(stored);
  }
  const abs = resolve(base, ...stored.split('/'));
  if (!isInside(realRoot(base), realPathNearest(abs))) throw tampered(entry, `names ${JSON.stringify(stored)}, which leads outside ${samePath(base, ws.root) ? 'the workspace' : base}`);
  return abs;
}

function listed(all: Worktree[], abs: string): Worktree | undefined {
  const real = realPathNearest(abs);
  return all.find((w) => !w.prunable && realPathNearest(w.path) === real);
}

/** One checked operation: `run` is undefined when the repository is already in the target state. */
interface Bound {
  what: string;
  run?: () => Promise<void>;
}

async function bind(ws: WorkspaceContext, base: string, entry: JournalEntry, git: GitRunner, all: Worktree[], op: GitUndoOp, interrupted: boolean): Promise<Bound> {
  const moved = (ref: string, now: string | null, wanted: string) =>
    new FixupRefused(`refused: ${ref} ${now ? `is at ${now.slice(0, 12)}` : 'no longer exists'}, but undo needs it ${wanted} (something changed since); undo it by hand`, 'unsafe');
  switch (op.op) {
    case 'restore-ref': {
      const now = await resolveRef(git, op.ref);
      if (now === op.sha) return { what: `${op.ref} is already at ${op.sha.slice(0, 12)}` };
      if (now !== null) throw moved(op.ref, now, 'absent');
      // git checks the old value itself ('' = must not exist): the compare and the create are one step.
      return { what: `re-create ${op.ref} at ${op.sha.slice(0, 12)}`, run: () => git.run(['update-ref', '--end-of-options', op.ref, op.sha, '']).then(() => undefined) };
    }
    case 'delete-ref': {
      const kept = op.ref.startsWith('refs/heads/') ? protectedBranchProblem(ws.config.mainBranch, all, op.ref.slice('refs/heads/'.length)) : undefined;
      if (kept) throw tampered(entry, `would delete ${op.ref}: ${kept}`);
      const now = await resolveRef(git, op.ref);
      if (now === null) return { what: `${op.ref} is already gone` };
      if (!op.expect) throw new FixupRefused(`refused: the fix-up was interrupted before it recorded where ${op.ref} ended; check it with git log and delete it by hand if it is Lifeline's`, 'unsafe');
      if (now !== op.expect) throw moved(op.ref, now, `at ${op.expect.slice(0, 12)}`);
      // Only ever a branch born by one fix-up commit: a root commit, so nothing else hangs on the ref.
      if ((await git.out(['rev-list', '--parents', '-n', '1', '--end-of-options', now])).trim().split(' ').length !== 1) throw tampered(entry, `would delete ${op.ref}, which has history`);
      return { what: `delete ${op.ref}`, run: () => git.run(['update-ref', '-d', '--end-of-options', op.ref, op.expect!]).then(() => undefined) };
    }
    case 'reset-branch': {
      const dir = basePath(ws, base, entry, op.worktree);
      const wt = listed(all, dir);
      if (!wt) throw new FixupRefused(`refused: ${op.worktree} is no longer a worktree of this repository`, 'unsafe');
      if (wt.branch !== op.ref) throw new FixupRefused(`refused: ${op.worktree} has ${wt.branch ?? 'a detached HEAD'} checked out, not ${op.ref}; undo it by hand`, 'unsafe');
      // The worktree's .git file may have been pointed elsewhere since the fix-up.
      if (!samePath(wt.path, ws.root)) await assertOwnWorktree(git, ws.root, wt.path, op.worktree);
      const at = git.at(wt.path);
      const now = await resolveRef(at, op.ref);
      if (now === op.to) return { what: `${op.ref} is already at ${op.to.slice(0, 12)}` };
      let expect = op.expect;
      if (!expect && interrupted && now) {
        // Interrupted before the new commit was recorded: it is the fix-up's only if it sits right on `to`.
        const parent = (await at.out(['rev-parse', '--verify', '--quiet', `${now}^1`]).catch(() => '')).trim();
        if (parent === op.to) expect = now;
      }
      if (!expect || now !== expect) throw moved(op.ref, now, expect ? `at ${expect.slice(0, 12)}` : `one commit above ${op.to.slice(0, 12)}`);
      // Only ever the one commit the fix-up made: `to` must be its first parent.
      const first = (await at.out(['rev-parse', '--verify', '--quiet', `${now}^1`]).catch(() => '')).trim();
      if (first !== op.to) throw tampered(entry, `would reset ${op.ref} to ${op.to.slice(0, 12)}, which is not the parent of its commit`);
      return { what: `reset ${op.ref} to ${op.to.slice(0, 12)} (${op.mode})`, run: () => at.run(['reset', op.mode === 'mixed' ? '--mixed' : '--keep', '--quiet', op.to]).then(() => undefined) };
    }
    case 'recreate-worktree': {
      const dir = basePath(ws, base, entry, op.path);
      const wt = listed(all, dir);
      if (wt) {
        const same = op.branch ? wt.branch === `refs/heads/${op.branch}` : wt.head === op.sha;
        if (same) return { what: `${op.path} is already a worktree` };
        throw new FixupRefused(`refused: ${op.path} is a worktree again, on something else; undo it by hand`, 'unsafe');
      }
      if (existsSync(dir) && readdirSync(dir).length) throw new FixupRefused(`refused: ${op.path} exists and is not empty; move it away first`, 'unsafe');
      const argv = op.branch ? ['worktree', 'add', '--end-of-options', dir, op.branch] : ['worktree', 'add', '--detach', '--end-of-options', dir, op.sha];
      return { what: `re-create ${op.path}`, run: () => git.run(argv).then(() => undefined) };
    }
    case 'apply-stash': {
      const dir = basePath(ws, base, entry, op.worktree);
      const saved = await resolveRef(git, op.ref);
      if (!saved) {
        if (interrupted) return { what: `${op.ref} was never written (the fix-up stopped before stashing)` };
        throw new FixupRefused(`refused: the backup ${op.ref} no longer exists, so the stashed files cannot be brought back`, 'unsafe');
      }
      return {
        what: `apply ${op.ref} in ${op.worktree}`,
        run: async () => {
          const wt = listed(await listWorktrees(git), dir);
          if (!wt) throw new FixupRefused(`refused: ${op.worktree} is not a worktree of this repository`, 'unsafe');
          if (!samePath(wt.path, ws.root)) await assertOwnWorktree(git, ws.root, wt.path, op.worktree);
          // Files already there: the stash may have been applied by an undo that was killed; never apply twice.
          if ((await worktreeStatus(git, wt.path)).length) throw new FixupRefused(`refused: ${op.worktree} already has uncommitted files; check them, then git stash apply ${op.ref} there by hand if they are not the saved ones`, 'unsafe');
          await git.run(['stash', 'apply', '--quiet', '--end-of-options', op.ref], { cwd: wt.path });
        },
      };
    }
    case 'lock-worktree': {
      const dir = basePath(ws, base, entry, op.path);
      return {
        what: `lock ${op.path}`,
        run: async () => {
          const wt = listed(await listWorktrees(git), dir);
          if (!wt) throw new FixupRefused(`refused: ${op.path} is not a worktree of this repository`, 'unsafe');
          if (wt.locked !== null) return;
          await git.run(['worktree', 'lock', ...(op.reason ? ['--reason', op.reason] : []), '--end-of-options', wt.path]);
        },
      };
    }
  }
}

/** Undoes a `git-ops` entry; refuses the old raw-argv format by name, running none of it. */
export async function undoGitEntry(ws: WorkspaceContext, entry: JournalEntry, journal: Journal, onProgress?: (line: string) => void): Promise<ApplyResult> {
  const u = entry.undo;
  if (u.kind === 'git') {
    throw new FixupRefused(
      `refused: journal entry ${entry.id} holds raw git commands (written by an older Lifeline); Lifeline no longer runs commands read from the journal: undo it by hand (lifeline journal --json shows them)`,
      'unsafe',
    );
  }
  if (u.kind !== 'git-ops') throw new Error(`entry ${entry.id} is not a git change`);
  const did = await undoGitOps(ws, entry, u.ops, journal, { base: ws.root, ...(onProgress ? { onProgress } : {}) });
  if (entry.state === 'intent' && did.length === 0) return { ok: true, notApplied: true, message: `Settled: the interrupted fix-up (${entry.title}) had changed nothing; entry ${entry.id} is closed.` };
  return { ok: true, message: `Undone: ${u.description}.` };
}

/**
 * Runs the typed operations of `entry` (its git-ops, or the git part of a tool's recipe), each
 * path relative to `base`; returns what was done (empty when everything was already in place).
 * Progress is journaled after each one, so a killed undo skips what it finished.
 */
export async function undoGitOps(ws: WorkspaceContext, entry: JournalEntry, ops: readonly GitUndoOp[], journal: Journal, options: { base: string; onProgress?: (line: string) => void }): Promise<string[]> {
  const { base, onProgress } = options;
  const git = gitFor(ws);
  const interrupted = entry.state === 'intent';
  const start = entry.undoing?.done ?? 0;
  const all = await listWorktrees(git);
  // Every path is checked before anything runs (refs were checked when the entry was read); each
  // operation's state is checked just before it runs (it depends on the ones before).
  for (const op of ops) {
    for (const p of 'path' in op ? [op.path] : 'worktree' in op ? [op.worktree] : []) basePath(ws, base, entry, p);
  }
  const did: string[] = [];
  for (let i = start; i < ops.length; i++) {
    const bound = await bind(ws, base, entry, git, i === start ? all : await listWorktrees(git), ops[i]!, interrupted);
    if (bound.run) {
      // Journal first: the undo is on record before its first change, and after each one.
      if (!entry.undoing && did.length === 0) await journal.markUndoing(entry.id, i);
      await testPause('undo-intent-written');
      onProgress?.(bound.what);
      await bound.run();
      did.push(bound.what);
    }
    if (entry.undoing || did.length) await journal.markUndoing(entry.id, i + 1);
  }
  return did;
}
