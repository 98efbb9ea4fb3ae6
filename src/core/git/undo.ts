// Undoes a git journal entry: checks every recorded precondition (a ref still where the fix-up
// left it, or still absent), then runs the recorded argv in order.
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { ApplyResult, JournalEntry, WorkspaceContext } from '../fixups/types';
import { FixupRefused } from '../fixups/types';
import { assertRefName } from './names';
import { isInside, samePath } from '../paths/contain';
import { assertOwnWorktree } from './ownership';
import { resolveRef } from './refs';
import { gitFor } from './workspace';
import { runSteps } from './fixups/common';

/** What a journal may ask git to do on undo: the shapes our handlers write, nothing else. */
const UNDO_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  worktree: ['add', 'lock'],
  stash: ['apply'],
  reset: [],
  branch: [],
  'update-ref': [],
};
const UNDO_FLAGS = new Set(['--end-of-options', '--keep', '--mixed', '--quiet', '--detach', '--reason', '-d']);

/**
 * The journal is a file anyone with write access to the workspace could edit: its undo argv is
 * checked against what our handlers write before git runs any of it.
 */
export function undoStepProblem(argv: readonly string[]): string | undefined {
  let rest = argv;
  if (rest[0] === '-C') {
    if (!rest[1] || !isAbsolute(rest[1])) return '-C needs an absolute directory';
    rest = rest.slice(2);
  }
  const [cmd, sub] = rest;
  if (!cmd || !Object.hasOwn(UNDO_COMMANDS, cmd)) return `git ${cmd ?? ''} is not an undo step Lifeline writes`;
  const subs = UNDO_COMMANDS[cmd]!;
  if (subs.length && (!sub || !subs.includes(sub))) return `git ${cmd} ${sub ?? ''} is not an undo step Lifeline writes`;
  const afterEnd = rest.indexOf('--end-of-options');
  for (const [i, a] of rest.entries()) {
    if (afterEnd >= 0 && i > afterEnd) break;
    if (a.startsWith('-') && !UNDO_FLAGS.has(a)) return `option ${JSON.stringify(a)} is not allowed in an undo step`;
    if ([...a].some((c) => (c.codePointAt(0) ?? 0) < 0x20)) return 'control characters in an undo step';
  }
  return undefined;
}

export async function undoGitEntry(ws: WorkspaceContext, entry: JournalEntry, onProgress?: (line: string) => void): Promise<ApplyResult> {
  const u = entry.undo;
  if (u.kind !== 'git') throw new Error(`entry ${entry.id} is not a git change`);
  for (const step of u.steps) {
    const problem = Array.isArray(step) && step.every((a) => typeof a === 'string') ? undoStepProblem(step) : 'a step is not a list of strings';
    if (problem) throw new FixupRefused(`refused: journal entry ${entry.id} looks tampered with (${problem})`, 'unsafe');
  }
  if (u.cwd !== undefined && (typeof u.cwd !== 'string' || !isAbsolute(u.cwd))) throw new FixupRefused(`refused: journal entry ${entry.id} has a bad directory`, 'unsafe');
  const cwd = u.cwd ?? ws.root;
  const git = gitFor(ws, cwd);
  // The worktree's .git file may have been pointed elsewhere since the fix-up.
  if (u.cwd && existsSync(u.cwd) && !samePath(u.cwd, ws.root)) await assertOwnWorktree(gitFor(ws), ws.root, u.cwd);
  for (const e of u.expect ?? []) {
    if (e.ref !== 'HEAD') assertRefName(e.ref, 'ref');
    const now = await resolveRef(git, e.ref);
    if (now !== e.sha) {
      const where = now ? `is at ${now.slice(0, 12)}` : 'no longer exists';
      const wanted = e.sha ? `at ${e.sha.slice(0, 12)}` : 'absent';
      throw new FixupRefused(`refused: ${e.ref} ${where}, but undo needs it ${wanted} (something changed since); undo it by hand`, 'unsafe');
    }
  }
  if (u.cwd && !isInside(ws.root, u.cwd)) {
    // A worktree outside the repository: still only ever a directory git lists for this repository.
    const listed = (await gitFor(ws).out(['worktree', 'list', '--porcelain', '-z'])).includes(`worktree ${u.cwd}\0`);
    if (!listed) throw new FixupRefused(`refused: ${u.cwd} is no longer a worktree of this repository`, 'unsafe');
  }
  await runSteps(git, u.steps, undefined, onProgress);
  return { ok: true, message: `Undone: ${u.description}.` };
}
