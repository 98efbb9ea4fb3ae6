// branch.merge / merge.revert / merge.find-culprit on real repositories: conflicts never leave
// a half-merge, undo only while main has not moved, the culprit search never touches checkouts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeHandler } from '../../../src/core/git/fixups/merge';
import { revertHandler } from '../../../src/core/git/fixups/revert';
import { findCulpritHandler } from '../../../src/core/git/fixups/find-culprit';
import { undoGitEntry } from '../../../src/core/git/undo';
import { FixupRefused } from '../../../src/core/fixups/types';
import { git, gitStatus, journalIn, makeRepo } from './helpers';
import type { TestRepo } from './helpers';

function branchWith(repo: TestRepo, branch: string, file: string, text: string): string {
  git(repo.root, 'switch', '-q', '-c', branch, 'main');
  repo.write(file, text);
  const sha = repo.commit(`${branch}: ${file}`);
  git(repo.root, 'switch', '-q', 'main');
  return sha;
}

const head = (root: string) => git(root, 'rev-parse', 'HEAD').trim();

test('merge brings a workstream branch in with a merge commit; undo resets main', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  branchWith(repo, 'ws/ws-15/agent-1', 'feature.txt', 'feature\n');
  const pre = head(repo.root);
  const ws = repo.ws();
  const journal = journalIn(repo);
  // The workstream id resolves to its one branch.
  const preview = await mergeHandler.preview(ws, { action: 'branch.merge', subject: 'ws-15' });
  assert.deepEqual(preview.git, [['merge', '--no-ff', '--no-edit', '--end-of-options', 'ws/ws-15/agent-1']]);
  const r = await mergeHandler.apply(ws, { action: 'branch.merge', subject: 'ws-15' }, { discard: false, journal });
  assert.equal(r.ok, true);
  assert.equal(git(repo.root, 'rev-list', '--parents', '-n', '1', 'HEAD').trim().split(' ').length, 3, 'a merge commit');
  assert.ok(existsSync(join(repo.root, 'feature.txt')));
  await undoGitEntry(ws, (await journal.entries())[0]!, journal);
  assert.equal(head(repo.root), pre);
  assert.equal(existsSync(join(repo.root, 'feature.txt')), false);
});

test('a conflicting merge is aborted, reports the files, hands off, and leaves no half-merge', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  branchWith(repo, 'ws/ws-2/agent-1', 'README.md', 'theirs\n');
  repo.write('README.md', 'ours\n');
  const pre = repo.commit('main edits README');
  const journal = journalIn(repo);
  const r = await mergeHandler.apply(repo.ws(), { action: 'branch.merge', subject: 'ws/ws-2/agent-1' }, { discard: false, journal });
  assert.equal(r.ok, false);
  assert.equal(r.handOff, 'merge-conflict');
  assert.deepEqual(r.output, ['README.md']);
  assert.equal(head(repo.root), pre);
  assert.equal(gitStatus(repo.root, 'rev-parse', '-q', '--verify', 'MERGE_HEAD'), 1, 'no MERGE_HEAD left');
  assert.equal(git(repo.root, 'status', '--porcelain', '--untracked-files=no'), '');
  assert.equal(readFileSync(join(repo.root, 'README.md'), 'utf8'), 'ours\n');
  assert.deepEqual((await journal.entries()).map((e) => e.state), ['abandoned'], 'the intent is settled: nothing changed');
});

test('merge is refused while main has uncommitted changes or a merge in progress', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  branchWith(repo, 'ws/ws-3/agent-1', 'x.txt', 'x\n');
  repo.write('README.md', 'local edit\n');
  const p = await mergeHandler.preview(repo.ws(), { action: 'branch.merge', subject: 'ws/ws-3/agent-1' });
  assert.equal(p.refusal?.code, 'unsafe');
  assert.match(p.refusal?.reason ?? '', /uncommitted change/);
  await assert.rejects(mergeHandler.apply(repo.ws(), { action: 'branch.merge', subject: 'ws/ws-3/agent-1' }, { discard: false, journal: journalIn(repo) }), FixupRefused);
  assert.equal(readFileSync(join(repo.root, 'README.md'), 'utf8'), 'local edit\n');
});

test('undo of a merge refuses once main has moved on', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  branchWith(repo, 'ws/ws-4/agent-1', 'y.txt', 'y\n');
  const ws = repo.ws();
  const journal = journalIn(repo);
  await mergeHandler.apply(ws, { action: 'branch.merge', subject: 'ws/ws-4/agent-1' }, { discard: false, journal });
  repo.write('later.txt', 'later\n');
  const later = repo.commit('someone else landed');
  await assert.rejects(undoGitEntry(ws, (await journal.entries())[0]!, journal), (e: unknown) => e instanceof FixupRefused && /refs\/heads\/main is at/.test(e.message));
  assert.equal(head(repo.root), later);
});

test('option-like and unknown branch subjects are refused before git sees them', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  for (const subject of ['-f', '--force', '--upload-pack=evil']) {
    await assert.rejects(mergeHandler.preview(repo.ws(), { action: 'branch.merge', subject }), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe');
  }
  // A name that is merely not there is no safety matter.
  await assert.rejects(mergeHandler.preview(repo.ws(), { action: 'branch.merge', subject: 'no-such-branch' }), (e: unknown) => e instanceof FixupRefused && e.code === 'invalid');
});

test('revert -m 1 undoes a merge on main; undo of the revert restores it', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  branchWith(repo, 'ws/ws-5/agent-1', 'bad.txt', 'bad\n');
  git(repo.root, 'merge', '-q', '--no-ff', '--no-edit', 'ws/ws-5/agent-1');
  const mergeSha = head(repo.root);
  const ws = repo.ws();
  const journal = journalIn(repo);
  const preview = await revertHandler.preview(ws, { action: 'merge.revert', subject: mergeSha.slice(0, 10) });
  assert.deepEqual(preview.git, [['revert', '-m', '1', '--no-edit', '--end-of-options', mergeSha]]);
  await revertHandler.apply(ws, { action: 'merge.revert', subject: mergeSha.slice(0, 10) }, { discard: false, journal });
  assert.equal(existsSync(join(repo.root, 'bad.txt')), false);
  await undoGitEntry(ws, (await journal.entries())[0]!, journal);
  assert.equal(head(repo.root), mergeSha);
  const plain = await revertHandler.preview(ws, { action: 'merge.revert', subject: git(repo.root, 'rev-parse', 'HEAD^2').trim() });
  assert.match(plain.refusal?.reason ?? '', /not a merge commit/);
  await assert.rejects(revertHandler.preview(ws, { action: 'merge.revert', subject: '--hard' }), FixupRefused);
});

test('find-culprit bisects the recent merges in a temporary worktree and names the first bad one', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  // The "test suite": fails when broken.txt exists.
  const merges: string[] = [];
  for (const [i, breaks] of [[1, false], [2, false], [3, true], [4, false], [5, false]] as const) {
    branchWith(repo, `ws/ws-${i}/agent-1`, breaks ? 'broken.txt' : `ok-${i}.txt`, `${i}\n`);
    git(repo.root, 'merge', '-q', '--no-ff', '--no-edit', `ws/ws-${i}/agent-1`);
    merges.push(head(repo.root));
  }
  const userHead = head(repo.root);
  repo.write('uncommitted.txt', 'user work\n');
  const worktreesBefore = git(repo.root, 'worktree', 'list', '--porcelain');
  const test = ['-e', "process.exit(require('fs').existsSync('broken.txt') ? 1 : 0)"];
  const target = { action: 'merge.find-culprit' as const, params: { test: JSON.stringify([process.execPath, ...test]) } };
  const preview = await findCulpritHandler.preview(repo.ws(), target);
  assert.equal(preview.effect, 'read-only');
  assert.equal(preview.refusal, undefined);
  const r = await findCulpritHandler.apply(repo.ws(), target, { discard: false });
  assert.equal(r.ok, true);
  assert.ok(r.message.includes(merges[2]!.slice(0, 7)), r.message);
  // What later steps act on: the merge to revert and, from its branch, the workstream to mark.
  assert.deepEqual(r.values, { 'merge-sha': merges[2], 'ws-id': 'ws-3' });
  assert.doesNotMatch(r.message, /merge\.revert:/, 'a sentence for people, not a CLI id');
  assert.ok((r.output?.length ?? 0) <= 5, `bisected, not a linear walk: ${r.output?.join(' | ')}`);
  assert.equal(head(repo.root), userHead);
  assert.equal(readFileSync(join(repo.root, 'uncommitted.txt'), 'utf8'), 'user work\n');
  assert.equal(git(repo.root, 'worktree', 'list', '--porcelain'), worktreesBefore, 'the temporary worktree is gone');
});

test('find-culprit says so when the tests pass at main, and needs a test command', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  branchWith(repo, 'ws/ws-1/agent-1', 'ok.txt', 'ok\n');
  git(repo.root, 'merge', '-q', '--no-ff', '--no-edit', 'ws/ws-1/agent-1');
  const r = await findCulpritHandler.apply(repo.ws(), { action: 'merge.find-culprit', params: { test: JSON.stringify([process.execPath, '-e', '0']) } }, { discard: false });
  assert.match(r.message, /pass at main/);
  await assert.rejects(findCulpritHandler.preview(repo.ws(), { action: 'merge.find-culprit' }), /needs the test command/);
});
