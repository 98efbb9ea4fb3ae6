// Journal first (review D6): a change is never made without an entry that says so. Real CLI
// processes are killed with SIGKILL at exact steps (the test pause hook) of `fix` and of `undo`,
// on a python-written database and on a real git worktree; after each kill `lifeline journal`
// explains what may have happened and `lifeline undo` finishes or settles it, leaving the
// workspace as it was before the fix-up and no entry open. An unwritable journal (a file where
// its folder should be) refuses before anything changes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDb, pyRows } from '../database/helpers';
import { cli } from '../fixups/cli-harness';
import { addWorktree, makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { bundleCli, reached, release } from './cli-process';
import type { CliBundle } from './cli-process';
import { hashTree, treeDiff } from './tree-hash';

let proc: CliBundle;
before(async () => {
  proc = await bundleCli();
});
after(() => {
  rmSync(proc.dir, { recursive: true, force: true });
  rmSync(proc.pauseDir, { recursive: true, force: true });
});

function dbWorkspace(): { repo: TestRepo; db: string } {
  const repo = makeRepo();
  mkdirSync(join(repo.root, '.state'));
  const db = join(repo.root, '.state', 'orchestration.db');
  createDb(db, [['ws-15', 'running', 'agent-2', '2025-11-29 08:05:12', null, null, null, null]]);
  return { repo, db };
}

function status(db: string): unknown {
  return pyRows(db, "SELECT status FROM workstream_status WHERE workstream_id='ws-15'")[0]?.[0];
}

/** Runs the CLI as a process, stops it at the n-th `step` and kills it with SIGKILL there. */
async function killAt(args: string[], cwd: string, step: string, n = 1): Promise<void> {
  const run = proc.run(args, cwd, [step]);
  for (let i = 1; i < n; i++) {
    await reached(proc, run.child.pid!, step, i);
    release(proc, run.child.pid!, step, i);
  }
  await reached(proc, run.child.pid!, step, n);
  run.child.kill('SIGKILL');
  const r = await run.done;
  assert.equal(r.signal, 'SIGKILL', `killed at ${step}: ${r.err}`);
}

async function journalJson(root: string): Promise<{ id: string; status: string; undoOf?: string }[]> {
  const r = await cli(['journal', '--json'], root);
  assert.equal(r.code, 0, r.err);
  return (JSON.parse(r.out) as { entries: { id: string; status: string; undoOf?: string }[] }).entries;
}

/** Nothing left to finish: every entry is undone, settled, or the undo of one. */
async function allSettled(root: string): Promise<void> {
  const open = (await journalJson(root)).filter((e) => !['undone', 'abandoned'].includes(e.status) && !e.undoOf);
  assert.deepEqual(open, [], 'no entry is left open');
}

const FIX = ['fix', 'workstream.mark-failed:ws-15', '--yes'];

test('fix killed after its intent, before the change: journal says interrupted, undo settles it, the database never changed', { timeout: 60_000 }, async () => {
  const { repo, db } = dbWorkspace();
  try {
    await killAt(FIX, repo.root, 'intent-written');
    assert.equal(status(db), 'running');
    const j = await cli(['journal'], repo.root);
    assert.match(j.out, /interrupted: intent recorded, the change may or may not have happened/);
    const u = await cli(['undo', '--yes'], repo.root);
    assert.equal(u.code, 0, u.err);
    assert.match(u.out, /Settled: the interrupted fix-up .* had not changed/);
    assert.equal(status(db), 'running');
    assert.deepEqual((await journalJson(repo.root)).map((e) => e.status), ['abandoned']);
  } finally {
    repo.cleanup();
  }
});

test('fix killed after the change, before the commit: journal says interrupted, undo restores the backup', { timeout: 60_000 }, async () => {
  const { repo, db } = dbWorkspace();
  try {
    await killAt(FIX, repo.root, 'changed');
    assert.equal(status(db), 'failed', 'the change happened');
    assert.deepEqual((await journalJson(repo.root)).map((e) => e.status), ['interrupted'], 'and is on record');
    const u = await cli(['undo', '--yes'], repo.root);
    assert.equal(u.code, 0, u.err);
    assert.equal(status(db), 'running');
    await allSettled(repo.root);
  } finally {
    repo.cleanup();
  }
});

test('fix killed holding the lock, before any intent: nothing changed, nothing journaled, the next fix goes ahead', { timeout: 60_000 }, async () => {
  const { repo, db } = dbWorkspace();
  try {
    await killAt(FIX, repo.root, 'locked');
    assert.equal(status(db), 'running');
    assert.deepEqual(await journalJson(repo.root), []);
    const again = await cli(FIX, repo.root);
    assert.equal(again.code, 0, again.err);
    assert.equal(status(db), 'failed');
  } finally {
    repo.cleanup();
  }
});

for (const [step, restored] of [
  ['intent-written', false],
  ['changed', true],
] as const) {
  test(`undo killed at ${step} (database ${restored ? 'restored' : 'not yet restored'}): the next undo finishes it`, { timeout: 60_000 }, async () => {
    const { repo, db } = dbWorkspace();
    try {
      assert.equal((await cli(FIX, repo.root)).code, 0);
      await killAt(['undo', '--yes'], repo.root, step);
      assert.equal(status(db), restored ? 'running' : 'failed');
      const listed = (await cli(['journal'], repo.root)).out;
      assert.match(listed, /interrupted undo of \S+: lifeline undo \S+ finishes or settles it/);
      const u = await cli(['undo', '--yes'], repo.root);
      assert.equal(u.code, 0, u.err);
      if (restored) assert.match(u.out, /finished the interrupted undo/);
      assert.equal(status(db), 'running');
      await allSettled(repo.root);
      // And what is left is consistent: the undo's own entry is never offered (undoing it would
      // make the change again), so nothing is left to undo and the database stays restored.
      const again = await cli(['undo', '--yes'], repo.root);
      assert.notEqual(again.code, 0);
      assert.match(again.err, /Nothing to undo/);
      assert.equal(status(db), 'running');
    } finally {
      repo.cleanup();
    }
  });
}

function gitWorkspace(): { repo: TestRepo; wt: string } {
  const repo = makeRepo();
  const wt = addWorktree(repo, '.worktrees/agent-1-ws-1', 'ws/ws-1/agent-1');
  writeFileSync(join(wt, 'notes.txt'), 'precious\n');
  return { repo, wt };
}

const REMOVE = ['fix', 'worktree.remove:.worktrees/agent-1-ws-1', '--yes', '--discard'];

test('worktree.remove killed after its intent: undo settles it and the worktree is untouched', { timeout: 60_000 }, async () => {
  const { repo, wt } = gitWorkspace();
  try {
    await killAt(REMOVE, repo.root, 'intent-written');
    assert.equal(readFileSync(join(wt, 'notes.txt'), 'utf8'), 'precious\n');
    assert.deepEqual((await journalJson(repo.root)).map((e) => e.status), ['interrupted']);
    const u = await cli(['undo', '--yes'], repo.root);
    assert.equal(u.code, 0, u.err);
    assert.match(u.out, /Settled: the interrupted fix-up .* had changed nothing/);
    assert.equal(readFileSync(join(wt, 'notes.txt'), 'utf8'), 'precious\n');
    assert.deepEqual((await journalJson(repo.root)).map((e) => e.status), ['abandoned']);
  } finally {
    repo.cleanup();
  }
});

test('worktree.remove killed after the removal, before the commit: undo brings the worktree and its files back', { timeout: 60_000 }, async () => {
  const { repo, wt } = gitWorkspace();
  try {
    await killAt(REMOVE, repo.root, 'changed');
    assert.equal(existsSync(wt), false);
    const u = await cli(['undo', '--yes'], repo.root);
    assert.equal(u.code, 0, u.err);
    assert.equal(readFileSync(join(wt, 'notes.txt'), 'utf8'), 'precious\n');
    await allSettled(repo.root);
  } finally {
    repo.cleanup();
  }
});

test('undo of worktree.remove killed between re-creating the worktree and restoring its files: the next undo finishes', { timeout: 60_000 }, async () => {
  const { repo, wt } = gitWorkspace();
  try {
    assert.equal((await cli(REMOVE, repo.root)).code, 0);
    // The pause comes before each operation that runs: the second is the stash apply.
    await killAt(['undo', '--yes'], repo.root, 'undo-intent-written', 2);
    assert.ok(existsSync(wt), 'the worktree is back');
    assert.equal(existsSync(join(wt, 'notes.txt')), false, 'its files not yet');
    assert.match((await cli(['journal'], repo.root)).out, /undo interrupted after 1 step: lifeline undo \S+ finishes it/);
    const u = await cli(['undo', '--yes'], repo.root);
    assert.equal(u.code, 0, u.err);
    assert.equal(readFileSync(join(wt, 'notes.txt'), 'utf8'), 'precious\n');
    await allSettled(repo.root);
  } finally {
    repo.cleanup();
  }
});

test('a journal folder that cannot be written refuses before the database or a worktree is touched', async () => {
  const { repo } = dbWorkspace();
  try {
    const wt = addWorktree(repo, '.worktrees/agent-1-ws-1', 'ws/ws-1/agent-1');
    writeFileSync(join(repo.root, '.lifeline.json'), JSON.stringify({ journalDir: 'README.md/journal' }));
    const skip = { skip: ['.git/index', '.git/worktrees/agent-1-ws-1/index'] };
    for (const args of [FIX, ['fix', 'worktree.remove:.worktrees/agent-1-ws-1', '--yes']]) {
      const before = hashTree(repo.root, skip);
      const r = await cli(args, repo.root);
      assert.equal(r.code, 4, `${args[1]}: ${r.err}`);
      assert.match(r.err, /cannot write the journal in .*README\.md.* \(ENOTDIR: a file is in the way of the folder\); nothing was changed/);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.deepEqual(treeDiff(before, hashTree(repo.root, skip)), [], `${args[1]} changed nothing`);
    }
    assert.ok(existsSync(wt));
  } finally {
    repo.cleanup();
  }
});
