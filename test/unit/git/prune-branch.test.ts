// worktree.prune clears only what git calls prunable; branch.delete keeps unique commits
// reachable and undo re-creates the branch; unlock and save-wip round-trip through undo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pruneHandler } from '../../../src/core/git/fixups/prune';
import { branchDeleteHandler } from '../../../src/core/git/fixups/branch-delete';
import { unlockHandler } from '../../../src/core/git/fixups/unlock';
import { saveWipHandler } from '../../../src/core/git/fixups/save-wip';
import { undoGitEntry } from '../../../src/core/git/undo';
import { FixupRefused } from '../../../src/core/fixups/types';
import { addWorktree, git, gitStatus, journalIn, makeRepo, refs } from './helpers';

function listedPaths(root: string): string[] {
  return git(root, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));
}

test('prune previews git\'s dry-run list and removes exactly the prunable entries', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const gone = addWorktree(repo, '.worktrees/gone', 'ws/ws-1/agent-1');
  const goneLocked = addWorktree(repo, '.worktrees/gone-locked', 'ws/ws-2/agent-1');
  const alive = addWorktree(repo, '.worktrees/alive', 'ws/ws-3/agent-1');
  const aliveLocked = addWorktree(repo, '.worktrees/alive-locked', 'ws/ws-4/agent-1');
  git(repo.root, 'worktree', 'lock', goneLocked);
  git(repo.root, 'worktree', 'lock', aliveLocked);
  rmSync(gone, { recursive: true });
  rmSync(goneLocked, { recursive: true });
  const ws = repo.ws();
  const preview = await pruneHandler.preview(ws, { action: 'worktree.prune' });
  assert.deepEqual(preview.git, [['worktree', 'prune', '-v']]);
  const said = preview.notes.filter((n) => n.startsWith('git would say: Removing '));
  assert.equal(said.length, 1, 'only the unlocked missing one');
  assert.match(said[0]!, /worktrees\/gone:/);
  const result = await pruneHandler.apply(ws, { action: 'worktree.prune' }, { discard: false, journal: journalIn(repo) });
  assert.equal(result.ok, true);
  const left = listedPaths(repo.root);
  assert.ok(!left.includes(gone));
  for (const p of [goneLocked, alive, aliveLocked, repo.root]) assert.ok(left.includes(p), `${p} kept`);
  assert.ok(refs(repo.root).has('refs/heads/ws/ws-1/agent-1'), 'the branch of a pruned worktree stays');
});

test('prune keeps the commits of a missing detached worktree under a backup ref', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = join(repo.root, '.worktrees', 'det');
  git(repo.root, 'worktree', 'add', '-q', '--detach', wt);
  writeFileSync(join(wt, 'f.txt'), 'f\n');
  const sha = repo.commit('only here', wt);
  rmSync(wt, { recursive: true });
  await pruneHandler.apply(repo.ws(), { action: 'worktree.prune' }, { discard: false, journal: journalIn(repo) });
  assert.ok([...refs(repo.root)].some(([r, s]) => r.startsWith('refs/lifeline/backup/det-') && s === sha));
  assert.equal(git(repo.root, 'cat-file', '-t', sha).trim(), 'commit');
});

test('prune with nothing prunable changes nothing and journals nothing', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  addWorktree(repo, '.worktrees/alive', 'ws/ws-3/agent-1');
  const journal = journalIn(repo);
  const r = await pruneHandler.apply(repo.ws(), { action: 'worktree.prune' }, { discard: false, journal });
  assert.equal(r.message, 'Nothing to prune.');
  assert.equal((await journal.entries()).length, 0);
  assert.equal(listedPaths(repo.root).length, 2);
});

test('deleting a branch with unique commits needs --discard, backs it up, and undo re-creates it', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  git(repo.root, 'switch', '-q', '-c', 'ws/ws-9/agent-1');
  repo.write('w.txt', 'w\n');
  const sha = repo.commit('unmerged work');
  git(repo.root, 'switch', '-q', 'main');
  const ws = repo.ws();
  const journal = journalIn(repo);
  const target = { action: 'branch.delete' as const, subject: 'ws/ws-9/agent-1' };
  const preview = await branchDeleteHandler.preview(ws, target);
  assert.equal(preview.discards?.commits.length, 1);
  await assert.rejects(branchDeleteHandler.apply(ws, target, { discard: false, journal }), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe');
  assert.equal(refs(repo.root).get('refs/heads/ws/ws-9/agent-1'), sha);
  await branchDeleteHandler.apply(ws, target, { discard: true, confirmed: preview, journal });
  const after = refs(repo.root);
  assert.equal(after.has('refs/heads/ws/ws-9/agent-1'), false);
  assert.ok([...after].some(([r, s]) => r.startsWith('refs/lifeline/backup/ws/ws-9/agent-1-') && s === sha));
  const [entry] = await journal.entries();
  await undoGitEntry(ws, entry!, journal);
  assert.equal(refs(repo.root).get('refs/heads/ws/ws-9/agent-1'), sha);
});

test('a merged branch deletes without --discard; a checked-out one and option-like names are refused', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  git(repo.root, 'branch', 'ws/ws-1/agent-1');
  addWorktree(repo, '.worktrees/w', 'ws/ws-2/agent-1');
  const ws = repo.ws();
  const journal = journalIn(repo);
  await branchDeleteHandler.apply(ws, { action: 'branch.delete', subject: 'ws/ws-1/agent-1' }, { discard: false, journal });
  assert.equal(refs(repo.root).has('refs/heads/ws/ws-1/agent-1'), false);
  const held = await branchDeleteHandler.preview(ws, { action: 'branch.delete', subject: 'ws/ws-2/agent-1' });
  assert.match(held.refusal?.reason ?? '', /checked out in \.worktrees\/w/);
  const before = refs(repo.root);
  for (const subject of ['-f', '--force', '-D', 'main..x', 'a b']) {
    await assert.rejects(branchDeleteHandler.preview(ws, { action: 'branch.delete', subject }), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe');
  }
  const main = await branchDeleteHandler.preview(ws, { action: 'branch.delete', subject: 'main' });
  assert.match(main.refusal?.reason ?? '', /main branch/);
  assert.equal(main.refusal?.code, 'unsafe');
  assert.equal(held.refusal?.code, 'unsafe');
  assert.deepEqual(refs(repo.root), before);
});

test('undo of a branch delete refuses when the branch exists again', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  git(repo.root, 'branch', 'ws/ws-1/agent-1');
  const ws = repo.ws();
  const journal = journalIn(repo);
  await branchDeleteHandler.apply(ws, { action: 'branch.delete', subject: 'ws/ws-1/agent-1' }, { discard: false, journal });
  repo.write('n.txt', 'n\n');
  const newer = repo.commit('newer');
  git(repo.root, 'branch', 'ws/ws-1/agent-1');
  const [entry] = await journal.entries();
  await assert.rejects(undoGitEntry(ws, entry!, journal), /something changed since/);
  assert.equal(refs(repo.root).get('refs/heads/ws/ws-1/agent-1'), newer);
});

test('unlock journals the reason; undo locks again', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/l', 'ws/ws-1/agent-1');
  git(repo.root, 'worktree', 'lock', '--reason', 'keep me', wt);
  const ws = repo.ws();
  const journal = journalIn(repo);
  await unlockHandler.apply(ws, { action: 'worktree.unlock', subject: '.worktrees/l' }, { discard: false, journal });
  assert.doesNotMatch(git(repo.root, 'worktree', 'list', '--porcelain'), /locked/);
  const again = await unlockHandler.preview(ws, { action: 'worktree.unlock', subject: '.worktrees/l' });
  assert.match(again.refusal?.reason ?? '', /not locked/);
  await undoGitEntry(ws, (await journal.entries())[0]!, journal);
  assert.match(git(repo.root, 'worktree', 'list', '--porcelain'), /locked keep me/);
});

test('save-wip commits tracked and untracked changes on the branch; undo leaves them uncommitted', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/agent 1', 'ws/ws-1/agent-1');
  const before = git(wt, 'rev-parse', 'HEAD').trim();
  writeFileSync(join(wt, 'README.md'), 'edited\n');
  writeFileSync(join(wt, 'new file.txt'), 'new\n');
  const ws = repo.ws();
  const journal = journalIn(repo);
  const target = { action: 'worktree.save-wip' as const, subject: '.worktrees/agent 1', params: { message: 'WIP before timeout' } };
  const preview = await saveWipHandler.preview(ws, target);
  assert.deepEqual(preview.files?.sort(), ['README.md', 'new file.txt']);
  await saveWipHandler.apply(ws, target, { discard: false, journal });
  assert.equal(git(wt, 'status', '--porcelain'), '');
  assert.equal(git(wt, 'log', '-1', '--format=%s').trim(), 'WIP before timeout');
  assert.equal(git(wt, 'show', 'HEAD:new file.txt'), 'new\n');
  await undoGitEntry(ws, (await journal.entries())[0]!, journal);
  assert.equal(git(wt, 'rev-parse', 'HEAD').trim(), before);
  assert.equal(readFileSync(join(wt, 'new file.txt'), 'utf8'), 'new\n');
  assert.equal(readFileSync(join(wt, 'README.md'), 'utf8'), 'edited\n');
  assert.ok(existsSync(join(wt, 'new file.txt')));
  assert.match(git(wt, 'status', '--porcelain'), /\?\? "new file.txt"/);
});

test('a branch that really is named like an option (made with update-ref) is never passed to git', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const sha = git(repo.root, 'rev-parse', 'HEAD').trim();
  git(repo.root, 'update-ref', 'refs/heads/-f', sha);
  git(repo.root, 'update-ref', 'refs/heads/ws/--force/agent-1', sha);
  const ws = repo.ws();
  const before = refs(repo.root);
  for (const subject of ['-f', '--force']) {
    await assert.rejects(branchDeleteHandler.preview(ws, { action: 'branch.delete', subject }), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe');
  }
  // A dash inside a name cannot read as an option; it still goes after --end-of-options.
  const inner = await branchDeleteHandler.preview(ws, { action: 'branch.delete', subject: 'ws/--force/agent-1' });
  assert.deepEqual(inner.git, [['branch', '-D', '--end-of-options', 'ws/--force/agent-1']]);
  // Diagnose still works beside them and offers nothing for them.
  const { diagnose } = await import('../../../src/core/engine/diagnose');
  const report = await diagnose(ws, {});
  assert.deepEqual(report.findings, []);
  assert.deepEqual(refs(repo.root), before);
});

test('undo refuses old-format journal entries holding raw git argv, running none of it', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const journal = journalIn(repo);
  // Even a step Lifeline itself once wrote: argv read from a file is never run.
  for (const steps of [[['config', 'core.hooksPath', '/tmp/evil']], [['branch', '--end-of-options', 'restored', 'HEAD']]]) {
    const entry = await journal.append({ actionId: 'branch.delete:x', title: 't', undo: { kind: 'git', steps, description: 'd' } });
    await assert.rejects(undoGitEntry(repo.ws(), entry, journal), /holds raw git commands \(written by an older Lifeline\)/);
  }
  assert.equal(gitStatus(repo.root, 'config', '--get', 'core.hooksPath'), 1, 'nothing ran: the key is still unset');
  assert.equal(gitStatus(repo.root, 'rev-parse', '--verify', '--quiet', 'refs/heads/restored'), 1, 'nothing ran: no branch was made');
});
