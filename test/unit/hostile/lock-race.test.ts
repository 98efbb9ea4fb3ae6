// Two `lifeline fix` processes on one database can never both apply (review D2). Real CLI
// processes, a real git repository, a real SQLite file written and read by python3; the test
// pause hook stops a process at an exact step, so each interleaving is forced, not hoped for:
// - inside the old window (lock being created, its content not yet in place);
// - holding the lock, and right before the final rename onto the database;
// - a lock left by a dead process (taken over), by a live process that is not ours (pid 1:
//   refused at once, naming it, files unchanged), and by a reused pid (start time differs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { createDb, pyRows } from '../database/helpers';
import { makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { bundleCli, reached, release } from './cli-process';
import type { CliBundle } from './cli-process';
import { hashTree, treeDiff } from './tree-hash';

let cli: CliBundle;
before(async () => {
  cli = await bundleCli();
});
after(() => {
  rmSync(cli.dir, { recursive: true, force: true });
  rmSync(cli.pauseDir, { recursive: true, force: true });
});

const MARK = ['fix', 'workstream.mark-failed:ws-15', '--yes', '--message', 'from A'];
const UNBLOCK = ['fix', 'workstream.unblock:ws-22', '--yes'];

function workspace(): { repo: TestRepo; db: string; lock: string; journal: string } {
  const repo = makeRepo();
  mkdirSync(join(repo.root, '.state'));
  const db = join(repo.root, '.state', 'orchestration.db');
  createDb(db, [
    ['ws-15', 'running', 'agent-2', '2025-11-29 08:05:12', null, null, null, null],
    ['ws-22', 'blocked', 'agent-3', null, null, null, 'ws-15', null],
  ]);
  return { repo, db, lock: `${db}.lifeline-lock`, journal: join(repo.root, '.state', 'lifeline-journal') };
}

/** [status of ws-15, blocked_by of ws-22] as python's sqlite3 reads them. */
function state(db: string): [unknown, unknown] {
  const rows = pyRows(db, "SELECT (SELECT status FROM workstream_status WHERE workstream_id='ws-15'), (SELECT blocked_by FROM workstream_status WHERE workstream_id='ws-22')");
  return rows[0] as [unknown, unknown];
}

function journalCount(dir: string): number {
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')).length : 0;
}

test('B runs while A is still creating its lock file: exactly one of them applies', { timeout: 60_000 }, async () => {
  const w = workspace();
  try {
    // A stops after writing its lock's content to a temp file, before putting it in place: in the
    // old code this was an empty lock file that B read as "pid 0, dead" and took over.
    const a = cli.run(MARK, w.repo.root, ['lock-temp-written']);
    await reached(cli, a.child.pid!, 'lock-temp-written');
    const b = cli.run(UNBLOCK, w.repo.root, ['locked']);
    await reached(cli, b.child.pid!, 'locked');
    release(cli, a.child.pid!, 'lock-temp-written');
    const ra = await a.done;
    release(cli, b.child.pid!, 'locked');
    const rb = await b.done;
    assert.equal(ra.code, 5, `A must be refused as busy: ${ra.err}`);
    assert.match(ra.err, new RegExp(`another Lifeline \\(pid ${b.child.pid}`), 'A names the holder');
    assert.equal(rb.code, 0, rb.err);
    assert.deepEqual(state(w.db), ['running', null], 'only B changed the database');
    assert.equal(journalCount(w.journal), 1, 'one change, one journal entry');
    assert.equal(existsSync(w.lock), false, 'the lock is gone');
  } finally {
    w.repo.cleanup();
  }
});

test('B runs while A holds the lock just before its final rename: B is refused, A applies', { timeout: 60_000 }, async () => {
  const w = workspace();
  try {
    const a = cli.run(MARK, w.repo.root, ['before-replace']);
    await reached(cli, a.child.pid!, 'before-replace');
    const rb = await cli.run(UNBLOCK, w.repo.root).done;
    release(cli, a.child.pid!, 'before-replace');
    const ra = await a.done;
    assert.equal(rb.code, 5, rb.err);
    assert.equal(rb.err.trim().split('\n').length, 1, `one line: ${rb.err}`);
    assert.equal(ra.code, 0, ra.err);
    assert.deepEqual(state(w.db), ['failed', 'ws-15']);
    assert.equal(journalCount(w.journal), 1);
  } finally {
    w.repo.cleanup();
  }
});

test('a lock left by a dead process is taken over once it is older than the bound', { timeout: 60_000 }, async () => {
  const w = workspace();
  try {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(w.lock, JSON.stringify({ pid: Number(dead.stdout), start: null, nonce: 'deadbeef', time: new Date().toISOString() }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(w.lock, old, old);
    const r = await cli.run(UNBLOCK, w.repo.root).done;
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(state(w.db), ['running', null]);
    assert.equal(existsSync(w.lock), false);
  } finally {
    w.repo.cleanup();
  }
});

test('a lock naming a live pid that is not a Lifeline (pid 1) is refused at once, naming it, and nothing changes', { timeout: 60_000 }, async () => {
  const w = workspace();
  try {
    writeFileSync(w.lock, '1');
    const before = hashTree(w.repo.root);
    const started = Date.now();
    const r = await cli.run(UNBLOCK, w.repo.root).done;
    assert.ok(Date.now() - started < 20_000, 'it does not wait for pid 1');
    assert.equal(r.code, 5, r.err);
    assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
    assert.match(r.err, /names pid 1\b.*cannot be proven.*delete .*orchestration\.db\.lifeline-lock/);
    assert.deepEqual(treeDiff(before, hashTree(w.repo.root)), []);
  } finally {
    w.repo.cleanup();
  }
});

test('a lock whose pid runs with another start time (a reused pid) is stale', { timeout: 60_000 }, async () => {
  const w = workspace();
  try {
    // This very test runner is alive; the lock claims it started at another time.
    writeFileSync(w.lock, JSON.stringify({ pid: process.pid, start: '1', nonce: 'cafef00d', time: new Date().toISOString() }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(w.lock, old, old);
    const r = await cli.run(UNBLOCK, w.repo.root).done;
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(state(w.db), ['running', null]);
  } finally {
    w.repo.cleanup();
  }
});
