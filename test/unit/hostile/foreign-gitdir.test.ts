// Hostile state, D4: a worktree git lists, whose `.git` file was rewritten. git run inside it
// follows that file, so every fix-up that runs git there must first agree with git that the
// folder is this repository's worktree, and refuse otherwise, touching neither repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../fixups/cli-harness';
import { addWorktree, git, makeRepo, outsideRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { hashTree, treeDiff } from './tree-hash';

interface Scene {
  repo: TestRepo;
  victim: string;
  wt: string;
  other: string;
}

/** A repository with two agent worktrees (one with unsaved work) and an unrelated victim repository beside it. */
function scene(t: { after(fn: () => void): void }): Scene {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const victim = outsideRepo(repo, 'victim', 'v.txt', 'precious\n');
  const wt = addWorktree(repo, '.worktrees/agent-2-ws-15', 'ws/ws-15/agent-2');
  writeFileSync(join(wt, 'work.txt'), 'unsaved\n');
  const other = addWorktree(repo, '.worktrees/agent-3-ws-16', 'ws/ws-16/agent-3');
  return { repo, victim, wt, other };
}

const SKIP = { skip: ['.git/index'] };

function snapshot(s: Scene): () => string[] {
  const a = hashTree(s.repo.root, SKIP);
  const b = hashTree(s.victim, SKIP);
  const refsA = git(s.repo.root, 'for-each-ref');
  const refsB = git(s.victim, 'for-each-ref');
  return () => [...treeDiff(a, hashTree(s.repo.root, SKIP)), ...treeDiff(b, hashTree(s.victim, SKIP)), ...(git(s.repo.root, 'for-each-ref') === refsA ? [] : ['refs of the repository changed']), ...(git(s.victim, 'for-each-ref') === refsB ? [] : ['refs of the victim changed'])];
}

test('save-wip in a worktree whose .git names another repository is refused; neither repository changes', async (t) => {
  const s = scene(t);
  writeFileSync(join(s.wt, '.git'), `gitdir: ${join(s.victim, '.git')}\n`);
  const changed = snapshot(s);
  const r = await cli(['fix', 'worktree.save-wip:.worktrees/agent-2-ws-15', '--yes'], s.repo.root);
  assert.equal(r.code, 4, r.err + r.out);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, /belongs to the repository at .*victim.*not this one/);
  assert.deepEqual(changed(), []);
  assert.equal(git(s.victim, 'log', '--format=%s', 'main').trim(), 'precious');
});

test('remove of such a worktree is refused too (its stash would run in the other repository)', async (t) => {
  const s = scene(t);
  writeFileSync(join(s.wt, '.git'), `gitdir: ${join(s.victim, '.git')}\n`);
  const changed = snapshot(s);
  const r = await cli(['fix', 'worktree.remove:.worktrees/agent-2-ws-15', '--yes', '--discard'], s.repo.root);
  assert.equal(r.code, 4, r.err + r.out);
  assert.match(r.err, /belongs to the repository at/);
  assert.deepEqual(changed(), []);
});

test("a worktree whose .git names another worktree's record of this repository is refused", async (t) => {
  const s = scene(t);
  const id = git(s.other, 'rev-parse', '--absolute-git-dir').trim();
  writeFileSync(join(s.wt, '.git'), `gitdir: ${id}\n`);
  const changed = snapshot(s);
  const r = await cli(['fix', 'worktree.save-wip:.worktrees/agent-2-ws-15', '--yes'], s.repo.root);
  assert.equal(r.code, 4, r.err + r.out);
  assert.match(r.err, /belongs to the worktree at .*agent-3-ws-16/);
  assert.deepEqual(changed(), []);
});

test('a worktree whose .git is gone or names nothing is refused: git would find the main checkout, or nothing', async (t) => {
  const s = scene(t);
  rmSync(join(s.wt, '.git'));
  const changed = snapshot(s);
  const gone = await cli(['fix', 'worktree.save-wip:.worktrees/agent-2-ws-15', '--yes'], s.repo.root);
  assert.notEqual(gone.code, 0, gone.out);
  assert.match(gone.err, /its directory is gone/);
  writeFileSync(join(s.wt, '.git'), `gitdir: ${join(s.repo.base, 'nowhere')}\n`);
  const r = await cli(['fix', 'worktree.save-wip:.worktrees/agent-2-ws-15', '--yes'], s.repo.root);
  assert.equal(r.code, 4, r.err + r.out);
  assert.match(r.err, /is not a working git checkout/);
  rmSync(join(s.wt, '.git'));
  assert.deepEqual(changed(), []);
});

test('undo of a save-wip is refused once the worktree was pointed at another repository', async (t) => {
  const s = scene(t);
  const done = await cli(['fix', 'worktree.save-wip:.worktrees/agent-2-ws-15', '--yes'], s.repo.root);
  assert.equal(done.code, 0, done.err);
  writeFileSync(join(s.wt, '.git'), `gitdir: ${join(s.victim, '.git')}\n`);
  const changed = snapshot(s);
  const r = await cli(['undo', '--yes'], s.repo.root);
  assert.equal(r.code, 4, r.err + r.out);
  assert.match(r.err, /belongs to the repository at/);
  assert.deepEqual(changed(), []);
});

interface DiagnoseJson {
  findings: { id: string; kind: string; subject: string; detail: string; actions: { id: string }[] }[];
}

test('diagnose does not trust a worktree whose .git names another repository: nothing of it is read, no action runs git there', async (t) => {
  const s = scene(t);
  writeFileSync(join(s.wt, '.git'), `gitdir: ${join(s.victim, '.git')}\n`);
  // Something only the other repository's status would list.
  writeFileSync(join(s.victim, 'victim-only.txt'), 'not ours\n');
  const changed = snapshot(s);
  const r = await cli(['diagnose', '--json'], s.repo.root);
  assert.equal(r.code, 0, r.err);
  const { findings } = JSON.parse(r.out) as DiagnoseJson;
  const foreign = findings.find((f) => f.kind === 'foreign-worktree');
  assert.ok(foreign, r.out);
  assert.equal(foreign.subject, '.worktrees/agent-2-ws-15');
  assert.match(foreign.detail, /is not trusted: it has a \.git file that names .*victim.*which is not one of this repository's worktrees/);
  assert.deepEqual(foreign.actions.map((a) => a.id), ['worktree.repair'], 'only the repair, which runs in the main checkout');
  assert.doesNotMatch(r.out, /victim-only|v\.txt/, "the other repository's files were read as this worktree's");
  for (const f of findings) {
    for (const a of f.actions) assert.ok(!a.id.endsWith(':.worktrees/agent-2-ws-15'), `${a.id} offered for the foreign worktree`);
  }
  const human = await cli(['diagnose'], s.repo.root);
  assert.match(human.out, /\[foreign-worktree\] \.worktrees\/agent-2-ws-15/);
  assert.deepEqual(changed(), []);
});

test('a .git file the files cannot judge is left to git, which is asked from inside, locked down', async (t) => {
  const s = scene(t);
  writeFileSync(join(s.wt, '.git'), 'not a gitdir line\n');
  const changed = snapshot(s);
  const r = await cli(['diagnose', '--json'], s.repo.root);
  assert.equal(r.code, 0, r.err);
  const foreign = (JSON.parse(r.out) as DiagnoseJson).findings.find((f) => f.kind === 'foreign-worktree');
  assert.ok(foreign, r.out);
  assert.match(foreign.detail, /is not trusted: it is not a working git checkout/);
  assert.deepEqual(changed(), []);
});

test('worktrees whose .git leads back to this repository are trusted as before', async (t) => {
  const s = scene(t);
  const r = await cli(['diagnose', '--json'], s.repo.root);
  assert.equal(r.code, 0, r.err);
  const { findings } = JSON.parse(r.out) as DiagnoseJson;
  assert.equal(findings.filter((f) => f.kind === 'foreign-worktree').length, 0, r.out);
  assert.ok(findings.some((f) => f.kind === 'orphaned-worktree' || f.kind === 'dirty-worktree'), r.out);
});
