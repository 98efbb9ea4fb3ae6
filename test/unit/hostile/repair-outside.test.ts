// Hostile state: `git worktree repair` rewrites `<worktree>/.git` for every worktree the
// repository records, at the path its `.git/worktrees/<id>/gitdir` file names. That file is
// data anyone can edit, so worktree.repair must refuse (exit 4, one line) when a worktree git
// would repair leads outside the workspace, and the outside must hash the same afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../fixups/cli-harness';
import { addWorktree, git, makeRepo, outsideRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { hashTree, treeDiff } from './tree-hash';

interface Scene {
  repo: TestRepo;
  /** Beside the workspace: another repository and one of its linked worktrees. */
  other: string;
  otherWt: string;
  wt: string;
}

function scene(t: { after(fn: () => void): void }): Scene {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const other = outsideRepo(repo, 'other', 'o.txt', 'theirs\n');
  const otherWt = join(repo.base, 'other-wt');
  git(other, 'worktree', 'add', '-q', otherWt);
  const wt = addWorktree(repo, '.worktrees/agent-1-ws-1', 'ws/ws-1/agent-1');
  return { repo, other, otherWt, wt };
}

const SKIP = { skip: ['.git/index'] };

/** Every file beside the workspace, and the workspace itself. */
function snapshot(s: Scene): () => string[] {
  const outside = [s.other, s.otherWt].map((d) => [d, hashTree(d, SKIP)] as const);
  const inside = hashTree(s.repo.root, SKIP);
  return () => [...outside.flatMap(([d, h]) => treeDiff(h, hashTree(d, SKIP)).map((l) => `${d}: ${l}`)), ...treeDiff(inside, hashTree(s.repo.root, SKIP))];
}

async function refused(s: Scene, args: string[], why: RegExp): Promise<void> {
  const changed = snapshot(s);
  const dry = await cli(['fix', ...args, '--dry-run'], s.repo.root);
  assert.equal(dry.code, 4, dry.err + dry.out);
  assert.match(dry.out, /Refused: /);
  const r = await cli(['fix', ...args, '--yes'], s.repo.root);
  assert.equal(r.code, 4, r.err + r.out);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0]!, why);
  assert.deepEqual(changed(), [], 'nothing changed, inside or outside');
  assert.equal(readFileSync(join(s.otherWt, '.git'), 'utf8'), `gitdir: ${join(s.other, '.git', 'worktrees', 'other-wt')}\n`);
}

test("a worktree record whose gitdir names another repository's worktree: repair is refused and that worktree keeps its .git", async (t) => {
  const s = scene(t);
  // Without the check git rewrites other-wt/.git to point here, cutting it off from its repository.
  writeFileSync(join(s.repo.root, '.git', 'worktrees', 'agent-1-ws-1', 'gitdir'), `${join(s.otherWt, '.git')}\n`);
  await refused(s, ['worktree.repair'], /^lifeline: refused: git worktree repair would write .*other-wt.*outside the workspace; nothing was run$/);
});

test("a worktree inside the workspace whose .git is a link to a file outside: repair is refused (git would write through the link)", async (t) => {
  const s = scene(t);
  rmSync(join(s.wt, '.git'));
  symlinkSync(join(s.otherWt, '.git'), join(s.wt, '.git'));
  await refused(s, ['worktree.repair'], /^lifeline: refused: git worktree repair would write .*other-wt.*outside the workspace; nothing was run$/);
});

test('the same refusal when a path is given: git repairs every recorded worktree either way', async (t) => {
  const s = scene(t);
  const second = addWorktree(s.repo, '.worktrees/agent-2-ws-2', 'ws/ws-2/agent-2');
  assert.ok(second);
  writeFileSync(join(s.repo.root, '.git', 'worktrees', 'agent-1-ws-1', 'gitdir'), `${join(s.otherWt, '.git')}\n`);
  await refused(s, ['worktree.repair:.worktrees/agent-2-ws-2'], /^lifeline: refused: git worktree repair would write .*other-wt.*outside the workspace; nothing was run$/);
});

test('a repair that stays inside still runs: a worktree whose .git was pointed elsewhere is linked back', async (t) => {
  const s = scene(t);
  writeFileSync(join(s.wt, '.git'), `gitdir: ${join(s.other, '.git')}\n`);
  const outside = [s.other, s.otherWt].map((d) => [d, hashTree(d, SKIP)] as const);
  const r = await cli(['fix', 'worktree.repair', '--yes'], s.repo.root);
  assert.equal(r.code, 0, r.err + r.out);
  assert.equal(readFileSync(join(s.wt, '.git'), 'utf8').trim(), `gitdir: ${join(s.repo.root, '.git', 'worktrees', 'agent-1-ws-1')}`);
  for (const [d, h] of outside) assert.deepEqual(treeDiff(h, hashTree(d, SKIP)), [], d);
});
