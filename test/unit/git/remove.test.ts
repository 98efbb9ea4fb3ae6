// The worktree matrix for worktree.remove: no uncommitted or unmerged work is lost without
// --discard, and with it everything stays reachable from a ref.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeHandler } from '../../../src/core/git/fixups/remove';
import { undoGitEntry } from '../../../src/core/git/undo';
import { FixupRefused } from '../../../src/core/fixups/types';
import { addWorktree, git, journalIn, makeRepo, refs, sleeperIn } from './helpers';

async function refusedWith(p: Promise<unknown>, code: 'unsafe' | 'invalid', re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof FixupRefused && e.code === code && re.test(e.message));
}

test('a dirty worktree is refused without --discard and nothing changes', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/agent-1-ws-1', 'ws/ws-1/agent-1');
  writeFileSync(join(wt, 'notes.txt'), 'precious\n');
  writeFileSync(join(wt, 'README.md'), 'changed\n');
  const ws = repo.ws();
  const target = { action: 'worktree.remove' as const, subject: '.worktrees/agent-1-ws-1' };
  const preview = await removeHandler.preview(ws, target);
  assert.deepEqual(preview.discards?.files.sort(), ['README.md', 'notes.txt']);
  assert.equal(preview.effect, 'destructive');
  const before = refs(repo.root);
  await refusedWith(removeHandler.apply(ws, target, { discard: false, journal: journalIn(repo) }), 'unsafe', /--discard/);
  assert.equal(readFileSync(join(wt, 'notes.txt'), 'utf8'), 'precious\n');
  assert.equal(readFileSync(join(wt, 'README.md'), 'utf8'), 'changed\n');
  assert.deepEqual(refs(repo.root), before);
});

test('with --discard the files are stashed into a backup ref first, and undo brings them back', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/agent-1-ws-1', 'ws/ws-1/agent-1');
  writeFileSync(join(wt, 'notes.txt'), 'precious\n');
  writeFileSync(join(wt, 'README.md'), 'changed\n');
  const ws = repo.ws();
  const journal = journalIn(repo);
  const target = { action: 'worktree.remove' as const, subject: '.worktrees/agent-1-ws-1' };
  const preview = await removeHandler.preview(ws, target);
  const result = await removeHandler.apply(ws, target, { discard: true, confirmed: preview, journal });
  assert.equal(result.ok, true);
  assert.equal(existsSync(wt), false);
  const backup = [...refs(repo.root).keys()].find((r) => r.startsWith('refs/lifeline/backup/agent-1-ws-1-files-'));
  assert.ok(backup, 'backup ref created');
  assert.equal(git(repo.root, 'show', `${backup}^3:notes.txt`), 'precious\n');
  assert.equal(git(repo.root, 'show', `${backup}:README.md`), 'changed\n');
  assert.ok(refs(repo.root).has('refs/heads/ws/ws-1/agent-1'), 'branch kept');
  assert.equal(git(repo.root, 'stash', 'list'), '', 'the temporary stash entry is gone');

  const [entry] = await journal.entries();
  assert.ok(entry && entry.undo.kind === 'git-ops');
  assert.deepEqual(entry.undo.ops.map((o) => o.op), ['recreate-worktree', 'apply-stash']);
  await undoGitEntry(ws, entry, journal);
  assert.equal(readFileSync(join(wt, 'notes.txt'), 'utf8'), 'precious\n');
  assert.equal(readFileSync(join(wt, 'README.md'), 'utf8'), 'changed\n');
});

test('a discard confirmed for other files than are there now is refused', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/w', 'ws/ws-1/agent-1');
  writeFileSync(join(wt, 'a.txt'), 'a\n');
  const ws = repo.ws();
  const target = { action: 'worktree.remove' as const, subject: '.worktrees/w' };
  const preview = await removeHandler.preview(ws, target);
  writeFileSync(join(wt, 'b.txt'), 'written after the preview\n');
  await refusedWith(removeHandler.apply(ws, target, { discard: true, confirmed: preview, journal: journalIn(repo) }), 'unsafe', /changed since the preview/);
  assert.ok(existsSync(join(wt, 'b.txt')));
});

test('commits on no other ref need --discard, and the branch keeps them afterwards', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/w', 'ws/ws-2/agent-1');
  writeFileSync(join(wt, 'work.txt'), 'work\n');
  const sha = repo.commit('agent work', wt);
  const ws = repo.ws();
  const target = { action: 'worktree.remove' as const, subject: '.worktrees/w' };
  const preview = await removeHandler.preview(ws, target);
  assert.deepEqual(preview.discards?.files, []);
  assert.equal(preview.discards?.commits.length, 1);
  assert.match(preview.discards!.commits[0]!, /agent work/);
  await refusedWith(removeHandler.apply(ws, target, { discard: false, journal: journalIn(repo) }), 'unsafe', /1 commit/);
  assert.ok(existsSync(wt));
  await removeHandler.apply(ws, target, { discard: true, confirmed: preview, journal: journalIn(repo) });
  assert.equal(existsSync(wt), false);
  assert.equal(refs(repo.root).get('refs/heads/ws/ws-2/agent-1'), sha);
});

test('a detached HEAD with its own commits gets a backup ref before removal', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = join(repo.root, '.worktrees', 'detached');
  git(repo.root, 'worktree', 'add', '-q', '--detach', wt);
  writeFileSync(join(wt, 'x.txt'), 'x\n');
  const sha = repo.commit('detached work', wt);
  const ws = repo.ws();
  const target = { action: 'worktree.remove' as const, subject: '.worktrees/detached' };
  const preview = await removeHandler.preview(ws, target);
  await removeHandler.apply(ws, target, { discard: true, confirmed: preview, journal: journalIn(repo) });
  const backup = [...refs(repo.root)].find(([r]) => r.startsWith('refs/lifeline/backup/detached-head-'));
  assert.equal(backup?.[1], sha);
});

test('a locked worktree needs --discard; undo locks it again with its reason', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/locked', 'ws/ws-3/agent-1');
  git(repo.root, 'worktree', 'lock', '--reason', 'agent on a USB disk', wt);
  const ws = repo.ws();
  const journal = journalIn(repo);
  const target = { action: 'worktree.remove' as const, subject: '.worktrees/locked' };
  await refusedWith(removeHandler.apply(ws, target, { discard: false, journal }), 'unsafe', /locked \(agent on a USB disk\)/);
  assert.ok(existsSync(wt));
  await removeHandler.apply(ws, target, { discard: true, journal });
  assert.equal(existsSync(wt), false);
  const [entry] = await journal.entries();
  await undoGitEntry(ws, entry!, journal);
  assert.ok(existsSync(wt));
  assert.match(git(repo.root, 'worktree', 'list', '--porcelain'), /locked agent on a USB disk/);
});

test('a worktree whose directory is gone is left to prune', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/gone', 'ws/ws-4/agent-1');
  rmSync(wt, { recursive: true, force: true });
  const preview = await removeHandler.preview(repo.ws(), { action: 'worktree.remove', subject: '.worktrees/gone' });
  assert.match(preview.refusal?.reason ?? '', /directory is gone; use worktree.prune/);
});

test('a live process inside the worktree is named and refused without --discard', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/busy', 'ws/ws-5/agent-1');
  const child = await sleeperIn(wt);
  t.after(() => child.kill('SIGKILL'));
  const ws = repo.ws();
  const preview = await removeHandler.preview(ws, { action: 'worktree.remove', subject: '.worktrees/busy' });
  assert.ok(preview.notes.some((n) => n.includes(String(child.pid))), 'the pid is shown');
  await refusedWith(removeHandler.apply(ws, { action: 'worktree.remove', subject: '.worktrees/busy' }, { discard: false, journal: journalIn(repo) }), 'unsafe', new RegExp(`${child.pid}`));
  assert.ok(existsSync(wt));
});

test('spaces and non-ASCII in the path work; a worktree outside the workspace is refused before anything changes', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const inside = addWorktree(repo, '.worktrees/agent 1 ünïcødé', 'ws/ws-6/agent-1');
  const outsidePath = join(repo.base, 'outside wt');
  git(repo.root, 'worktree', 'add', '-q', '-b', 'ws/ws-7/agent-1', outsidePath);
  const ws = repo.ws();
  const journal = journalIn(repo);
  const r1 = await removeHandler.apply(ws, { action: 'worktree.remove', subject: '.worktrees/agent 1 ünïcødé' }, { discard: false, journal });
  assert.equal(r1.ok, true);
  assert.equal(existsSync(inside), false);
  await undoGitEntry(ws, (await journal.entries())[0]!, journal);
  assert.ok(existsSync(inside), 'the inside one comes back where it was');
  // Undo could only name the outside one by a path outside the workspace, which the journal never holds.
  await assert.rejects(removeHandler.apply(ws, { action: 'worktree.remove', subject: outsidePath }, { discard: false, journal }), /is outside the workspace, so undo could not re-create it/);
  assert.ok(existsSync(outsidePath));
  assert.equal((await journal.entries()).length, 1, 'nothing journaled for the refusal');
});

test('subjects that are not listed worktrees or read as options are refused before git sees them', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const ws = repo.ws();
  const before = refs(repo.root);
  // Inside the repository but not a worktree git lists: not found.
  for (const subject of ['--force', '-f', '.worktrees/none']) {
    await assert.rejects(removeHandler.preview(ws, { action: 'worktree.remove', subject }), (e: unknown) => e instanceof FixupRefused && e.code === 'invalid');
  }
  // Outside the repository and its worktrees: a safety refusal.
  for (const subject of ['../elsewhere', '/etc']) {
    await assert.rejects(removeHandler.preview(ws, { action: 'worktree.remove', subject }), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe');
  }
  const main = await removeHandler.preview(ws, { action: 'worktree.remove', subject: '.' });
  assert.match(main.refusal?.reason ?? '', /main worktree/);
  assert.equal(main.refusal?.code, 'unsafe');
  assert.deepEqual(refs(repo.root), before);
});
