// A journal is data from disk: anyone who can write the workspace can edit it (review D3). Each
// tampered entry below is refused by `lifeline undo` with one line and exit 4, and nothing runs:
// the workspace and another repository beside it hash the same before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../fixups/cli-harness';
import { git, makeRepo, outsideRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { hashTree, treeDiff } from './tree-hash';

const ID = '20261201T235959999Z-aaaaaa';

interface Scene {
  repo: TestRepo;
  victim: string;
  main: string;
  first: string;
}

function scene(): Scene {
  const repo = makeRepo();
  const first = git(repo.root, 'rev-parse', 'HEAD').trim();
  repo.write('a.txt', 'a\n');
  repo.commit('second');
  repo.write('b.txt', 'b\n');
  const main = repo.commit('third');
  const victim = outsideRepo(repo, 'victim', 'v.txt', 'precious\n');
  return { repo, victim, main, first };
}

function writeEntry(repo: TestRepo, undo: unknown): void {
  const dir = join(repo.root, '.state', 'lifeline-journal');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${ID}.json`), JSON.stringify({ id: ID, time: '2026-12-01T23:59:59.999Z', actionId: 'worktree.remove:.worktrees/x', title: 'Remove worktree .worktrees/x', undo }));
}

const HASH = { skip: ['.git/index'] };

async function refusedUnchanged(s: Scene, undo: unknown, why: RegExp): Promise<void> {
  writeEntry(s.repo, undo);
  const before = [hashTree(s.repo.base, HASH), hashTree(join(s.victim, '.git'))];
  const r = await cli(['undo', ID, '--yes'], s.repo.root);
  assert.equal(r.code, 4, `exit 4 for ${JSON.stringify(undo)}: ${r.err}`);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.err}`);
  assert.match(lines[0]!, why);
  assert.deepEqual(treeDiff(before[0]!, hashTree(s.repo.base, HASH)), [], 'the workspace (and everything beside it) is unchanged');
  assert.deepEqual(treeDiff(before[1]!, hashTree(join(s.victim, '.git'))), [], 'the other repository is unchanged');
}

test('old-format entries with raw git argv are refused by name and none of their argv runs', async (t) => {
  const s = scene();
  t.after(() => s.repo.cleanup());
  const old = (steps: string[][], extra: object = {}) => ({ kind: 'git', steps, description: 're-create x', ...extra });
  await refusedUnchanged(s, old([['-C', s.victim, 'update-ref', '-d', 'refs/heads/main']]), /holds raw git commands .*undo it by hand/);
  await refusedUnchanged(s, old([['update-ref', '-d', 'HEAD']]), /holds raw git commands/);
  await refusedUnchanged(s, old([['worktree', 'add', '--detach', join(s.repo.base, 'outside-wt'), 'HEAD']]), /holds raw git commands/);
  await refusedUnchanged(s, old([['reset', '--keep', 'HEAD~1']], { cwd: s.repo.root }), /holds raw git commands/);
});

test('typed entries that name paths outside the workspace, foreign refs or bad ids are refused when read', async (t) => {
  const s = scene();
  t.after(() => s.repo.cleanup());
  const ops = (...o: object[]) => ({ kind: 'git-ops', ops: o, description: 'undo' });
  await refusedUnchanged(s, ops({ op: 'recreate-worktree', path: '../outside', branch: 'main', sha: s.main }), /malformed \(undo\.ops\.0\.path: must not contain "\.\."/);
  await refusedUnchanged(s, ops({ op: 'recreate-worktree', path: 'C:relative', branch: null, sha: s.main }), /malformed .*must be relative to the workspace/);
  await refusedUnchanged(s, ops({ op: 'restore-ref', ref: 'HEAD', sha: s.main }), /malformed .*must be a branch or a refs\/lifeline\/ ref/);
  await refusedUnchanged(s, ops({ op: 'restore-ref', ref: 'refs/heads/-D', sha: s.main }), /malformed .*not a valid ref name/);
  await refusedUnchanged(s, ops({ op: 'apply-stash', worktree: '.', ref: 'refs/heads/main' }), /malformed .*refs\/lifeline\/ ref/);
  await refusedUnchanged(s, ops({ op: 'reset-branch', worktree: '.', ref: 'refs/heads/main', to: 'HEAD~2', mode: 'keep' }), /malformed .*full object id/);
  await refusedUnchanged(s, ops({ op: 'lock-worktree', path: '.', reason: 'x\u001b]52;c;cHduZWQ=\u0007' }), /malformed .*one short line/);
  const listed = await cli(['journal'], s.repo.root);
  assert.match(listed.out, /not trusted: 20261201T235959999Z-aaaaaa\.json: journal entry .* is malformed/);
});

test('well-formed typed entries that would do harm are refused before anything runs', async (t) => {
  const s = scene();
  t.after(() => s.repo.cleanup());
  const ops = (...o: object[]) => ({ kind: 'git-ops', ops: o, description: 'undo' });
  // Deleting main, or a branch with history.
  await refusedUnchanged(s, ops({ op: 'delete-ref', ref: 'refs/heads/main', expect: s.main }), /would delete refs\/heads\/main: main is the main branch/);
  git(s.repo.root, 'branch', 'ws/ws-1/agent-1', s.main);
  await refusedUnchanged(s, ops({ op: 'delete-ref', ref: 'refs/heads/ws/ws-1/agent-1', expect: s.main }), /which has history/);
  // Moving main back more than the one commit a fix-up made.
  await refusedUnchanged(s, ops({ op: 'reset-branch', worktree: '.', ref: 'refs/heads/main', to: s.first, expect: s.main, mode: 'keep' }), /is not the parent of its commit/);
  // An absolute path is well-formed only for an agent tool's worktree folder (Codex's); anywhere else undo refuses it.
  await refusedUnchanged(s, ops({ op: 'recreate-worktree', path: join(s.repo.base, 'outside'), branch: null, sha: s.main }), /outside the workspace and every agent tool's worktrees folder/);
  // A path that is inside by name but leads outside through a symlinked folder.
  const elsewhere = join(s.repo.base, 'elsewhere');
  mkdirSync(elsewhere);
  symlinkSync(elsewhere, join(s.repo.root, '.worktrees'));
  await refusedUnchanged(s, ops({ op: 'recreate-worktree', path: '.worktrees/x', branch: 'ws/ws-1/agent-1', sha: s.main }), /leads outside the workspace/);
  // Every path is checked before the first operation runs: a good first operation does not run either.
  await refusedUnchanged(s, ops({ op: 'restore-ref', ref: 'refs/heads/restored', sha: s.main }, { op: 'lock-worktree', path: '.worktrees/x', reason: null }), /leads outside the workspace/);
});
