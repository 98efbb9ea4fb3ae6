// Hostile state, D5 and D7: a database reached through a symlink, and a database whose mode and
// owner are not ours. Writes go to the real file (the link stays a link), the busy check sees a
// process holding the real file, the target must lie inside the workspace, and a replacement
// keeps the original's mode and owner; a read-only database is refused, not replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, readlinkSync, readdirSync, renameSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../fixups/cli-harness';
import { createDb, pyRows } from '../database/helpers';
import type { Row } from '../database/helpers';
import { makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { hashTree, treeDiff } from './tree-hash';

const ROWS: Row[] = [['ws-1', 'running', 'agent-1', '2020-01-01 00:00:00', null, null, null, null]];
const SKIP = { skip: ['.git/index'] };
const NOBODY = 65534;

function workspace(t: { after(fn: () => void): void }): { repo: TestRepo; db: string } {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  mkdirSync(join(repo.root, '.state'));
  const db = join(repo.root, '.state', 'orchestration.db');
  createDb(db, ROWS);
  return { repo, db };
}

/** `.state/orchestration.db -> real/orchestration.db`, both inside the workspace. */
function linked(repo: TestRepo, db: string): string {
  const real = join(repo.root, 'real', 'orchestration.db');
  mkdirSync(join(repo.root, 'real'));
  renameSync(db, real);
  symlinkSync('../real/orchestration.db', db);
  return real;
}

const status = (db: string) => pyRows(db, 'SELECT status FROM workstream_status')[0]![0];

test('a symlinked database held open by another process is refused as busy; link and target unchanged', async (t) => {
  const { repo, db } = workspace(t);
  const real = linked(repo, db);
  const holder = spawn('python3', ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute("SELECT 1").fetchall()\nprint("ready", flush=True)\nsys.stdin.read()', real], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => holder.kill('SIGKILL'));
  await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
  const before = hashTree(repo.root, SKIP);
  const r = await cli(['fix', 'workstream.mark-failed:ws-1', '--yes'], repo.root);
  assert.equal(r.code, 5, r.err + r.out);
  assert.match(r.err + r.out, new RegExp(`pid ${holder.pid}`));
  assert.deepEqual(treeDiff(before, hashTree(repo.root, SKIP)), []);
});

test('a symlinked database is written through its link: the link stays, the target changes, undo restores the target', async (t) => {
  const { repo, db } = workspace(t);
  const real = linked(repo, db);
  const r = await cli(['fix', 'workstream.mark-failed:ws-1', '--yes'], repo.root);
  assert.equal(r.code, 0, r.err + r.out);
  assert.ok(lstatSync(db).isSymbolicLink(), 'the link was replaced by a file');
  assert.equal(readlinkSync(db), '../real/orchestration.db');
  assert.equal(status(real), 'failed');
  assert.deepEqual(readdirSync(join(repo.root, 'real')).sort(), ['orchestration.db'], 'temp or lock files left beside the target');
  const u = await cli(['undo', '--yes'], repo.root);
  assert.equal(u.code, 0, u.err + u.out);
  assert.ok(lstatSync(db).isSymbolicLink());
  assert.equal(status(real), 'running');
});

test('a database linked to a file outside the workspace is refused (4); the outside file is untouched', async (t) => {
  const { repo, db } = workspace(t);
  const outside = join(repo.base, 'outside.db');
  renameSync(db, outside);
  symlinkSync(outside, db);
  const before = hashTree(repo.base, SKIP);
  const r = await cli(['fix', 'workstream.mark-failed:ws-1', '--yes'], repo.root);
  assert.equal(r.code, 4, r.err + r.out);
  assert.match(r.err, /leads outside the workspace/);
  assert.deepEqual(treeDiff(before, hashTree(repo.base, SKIP)), []);
});

test("a rewritten database keeps its mode and owner (0600, another user's); its backup is as private", async (t) => {
  const { repo, db } = workspace(t);
  chmodSync(db, 0o600);
  chownSync(db, NOBODY, NOBODY);
  const r = await cli(['fix', 'workstream.mark-failed:ws-1', '--yes'], repo.root);
  assert.equal(r.code, 0, r.err + r.out);
  const st = statSync(db);
  assert.equal((st.mode & 0o7777).toString(8), '600');
  assert.equal(st.uid, NOBODY);
  assert.equal(st.gid, NOBODY);
  assert.equal(status(db), 'failed');
  const backups = join(repo.root, '.state', 'backups');
  const [stamp] = readdirSync(backups);
  assert.equal((statSync(join(backups, stamp!, 'orchestration.db')).mode & 0o777).toString(8), '600');
});

test('a read-only (0444) database is refused with one line and left as it was', async (t) => {
  const { repo, db } = workspace(t);
  chmodSync(db, 0o444);
  const before = hashTree(repo.root, SKIP);
  const r = await cli(['fix', 'workstream.mark-failed:ws-1', '--yes'], repo.root);
  assert.equal(r.code, 4, r.err + r.out);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, /orchestration\.db is read-only \(mode 0444\); nothing was written/);
  assert.deepEqual(treeDiff(before, hashTree(repo.root, SKIP)), []);
});
