// The diagnose / fix / undo / journal commands end to end on real repositories: exit codes
// (4 without a terminal or --yes, 4 for unconfirmed discards), the JSON shape, and undo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './cli-harness';
import { exitForError } from '../../../src/cli/fixup-support';
import { FixupRefused } from '../../../src/core/fixups/types';
import { addWorktree, git, makeRepo } from '../git/helpers';

test('diagnose --json prints exactly the published shape', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/agent 1 ünï', 'ws/ws-1/agent-1');
  git(repo.root, 'worktree', 'lock', '--reason', 'why not', wt);
  const r = await cli(['diagnose', '--json'], repo.root);
  assert.equal(r.code, 0);
  const data = JSON.parse(r.out) as { findings: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(data), ['findings']);
  assert.equal(data.findings.length, 1);
  assert.deepEqual(Object.keys(data.findings[0]!), ['id', 'kind', 'subject', 'source', 'scenario', 'detail', 'actions']);
  assert.deepEqual(data.findings[0], {
    id: 'locked-worktree:.worktrees/agent 1 ünï',
    kind: 'locked-worktree',
    subject: '.worktrees/agent 1 ünï',
    source: 'git',
    scenario: 'worktree-corruption',
    detail: 'Worktree .worktrees/agent 1 ünï is locked: why not.',
    actions: [{ id: 'worktree.unlock:.worktrees/agent 1 ünï', title: 'Unlock a locked worktree.', effect: 'reversible' }],
  });
  // From inside a linked worktree the workspace is still the main one.
  const inner = await cli(['diagnose', '--json', '--cwd', wt], repo.base);
  assert.deepEqual(JSON.parse(inner.out), data);
});

test('fix without a terminal and without --yes refuses with exit 4 and changes nothing', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/l', 'ws/ws-1/agent-1');
  git(repo.root, 'worktree', 'lock', wt);
  const r = await cli(['fix', 'worktree.unlock:.worktrees/l', '--cwd', repo.root], repo.base);
  assert.equal(r.code, 4);
  assert.match(r.err, /no terminal to confirm on/);
  assert.match(r.out, /git worktree unlock --end-of-options/);
  assert.match(git(repo.root, 'worktree', 'list', '--porcelain'), /locked/);
});

test('a person at a terminal confirms with y; anything else leaves it alone', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/l', 'ws/ws-1/agent-1');
  git(repo.root, 'worktree', 'lock', wt);
  const no = await cli(['fix', 'worktree.unlock:.worktrees/l'], repo.root, 'n\n', true);
  assert.equal(no.code, 4);
  assert.match(git(repo.root, 'worktree', 'list', '--porcelain'), /locked/);
  const yes = await cli(['fix', 'worktree.unlock:.worktrees/l'], repo.root, 'y\n', true);
  assert.equal(yes.code, 0, yes.err);
  assert.doesNotMatch(git(repo.root, 'worktree', 'list', '--porcelain'), /locked/);
});

test('unconfirmed discards exit 4 even with --yes; --dry-run changes nothing; --discard --yes removes and undo restores', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/agent-1-ws-1', 'ws/ws-1/agent-1');
  writeFileSync(join(wt, 'work.txt'), 'unsaved\n');
  const id = 'worktree.remove:.worktrees/agent-1-ws-1';
  const dry = await cli(['fix', id, '--dry-run', '--cwd', repo.root], repo.base);
  assert.equal(dry.code, 0);
  assert.match(dry.out, /file {3}work\.txt/);
  const refused = await cli(['fix', id, '--yes', '--cwd', repo.root], repo.base);
  assert.equal(refused.code, 4);
  assert.match(refused.err, /--discard/);
  assert.ok(existsSync(join(wt, 'work.txt')));
  const done = await cli(['fix', id, '--yes', '--discard', '--json', '--cwd', repo.root], repo.base);
  assert.equal(done.code, 0, done.out);
  const res = JSON.parse(done.out) as { result: { ok: boolean; journalId: string }; preview: { git: string[][] } };
  assert.equal(res.result.ok, true);
  assert.equal(existsSync(wt), false);
  // The ref the preview named is the one that exists.
  const named = res.preview.git.find((a) => a[0] === 'update-ref')![1]!;
  assert.equal(git(repo.root, 'show', `${named}^3:work.txt`), 'unsaved\n');

  const journal = await cli(['journal', '--json', '--cwd', repo.root], repo.base);
  const entries = (JSON.parse(journal.out) as { entries: { id: string; undone?: string }[] }).entries;
  assert.deepEqual(entries.map((e) => e.id), [res.result.journalId]);
  const noTty = await cli(['undo', '--cwd', repo.root], repo.base);
  assert.equal(noTty.code, 4);
  const undo = await cli(['undo', '--yes', '--cwd', repo.root], repo.base);
  assert.equal(undo.code, 0, undo.err);
  assert.equal(readFileSync(join(wt, 'work.txt'), 'utf8'), 'unsaved\n');
  const again = await cli(['undo', '--yes', '--cwd', repo.root], repo.base);
  assert.equal(again.code, 1);
  assert.match(again.err, /Nothing to undo/);
  const listed = await cli(['journal', '--cwd', repo.root], repo.base);
  assert.match(listed.out, /undone 20/);
});

test('bad usage exits 2; refusals map to 4, a busy database to 5', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  assert.equal((await cli(['fix', 'rm.rf:/'], repo.root)).code, 2);
  assert.equal((await cli(['fix'], repo.root)).code, 2);
  assert.equal((await cli(['diagnose', '--bogus'], repo.root)).code, 2);
  const notRepo = await cli(['diagnose', '--cwd', repo.base], repo.base);
  assert.equal(notRepo.code, 1);
  assert.match(notRepo.err, /not inside a git repository/);
  assert.equal(exitForError(new FixupRefused('x', 'busy')).code, 5);
  assert.equal(exitForError(new FixupRefused('x', 'unsafe')).code, 4);
  const opt = await cli(['fix', 'branch.delete:--force', '--yes', '--cwd', repo.root], repo.base);
  assert.equal(opt.code, 4, 'an option-like name is a safety refusal');
  assert.match(opt.err, /unsafe branch name "--force"/);
});

test('the real CLI process, stdin not a terminal, refuses with exit 4', (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/l', 'ws/ws-1/agent-1');
  git(repo.root, 'worktree', 'lock', wt);
  const main = join(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, 'fix', 'worktree.unlock:.worktrees/l', '--cwd', repo.root], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, /no terminal/);
});
