// The WAL reader against files SQLite itself wrote: whatever python's sqlite3 reads from a
// database + WAL (intact, torn, corrupted, re-encoded big-endian, shrunk by VACUUM), our
// WAL-aware read must show the same rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, truncateSync, statSync } from 'node:fs';
import { readSnapshot } from '../../../src/core/database/snapshot';
import { openImage, queryRows } from '../../../src/core/database/sqljs';
import { scanWal, walChecksum, WAL_HEADER_SIZE, WAL_FRAME_HEADER_SIZE } from '../../../src/core/database/wal';
import { copyForPython, hotWal, py, pyRows, tempWorkspace } from './helpers';

/** Our rows, read through snapshot + sql.js, in the shape python prints them. */
async function ourRows(path: string, sql = 'SELECT * FROM workstream_status ORDER BY workstream_id'): Promise<unknown[][]> {
  const snap = await readSnapshot(path);
  const db = await openImage(snap.image);
  try {
    return queryRows(db, sql).map((r) => Object.values(r));
  } finally {
    db.close();
  }
}

test('committed WAL frames that were never checkpointed are read: same rows as SQLite', async () => {
  const t = tempWorkspace();
  try {
    await hotWal(t.db, 500, 50);
    const snap = await readSnapshot(t.db);
    assert.equal(snap.walScan?.transactions, 11, 'CREATE TABLE + 10 batches');
    assert.ok(snap.walPending > 0);
    const ours = await ourRows(t.db);
    assert.equal(ours.length, 500);
    assert.deepEqual(ours, pyRows(copyForPython(t.db)));
  } finally {
    t.cleanup();
  }
});

test('a torn frame at the end of the WAL is ignored, as SQLite ignores it', async () => {
  const t = tempWorkspace();
  try {
    await hotWal(t.db, 300, 100);
    const wal = `${t.db}-wal`;
    truncateSync(wal, statSync(wal).size - 100);
    const ours = await ourRows(t.db);
    assert.equal(ours.length, 200, 'the last transaction lost its commit frame');
    assert.deepEqual(ours, pyRows(copyForPython(t.db)));
  } finally {
    t.cleanup();
  }
});

test('a corrupted byte in a committed frame ends the log there (checksum chain), matching SQLite', async () => {
  const t = tempWorkspace();
  try {
    await hotWal(t.db, 400, 100);
    const walPath = `${t.db}-wal`;
    const wal = readFileSync(walPath);
    const before = scanWal(wal);
    // Flip a byte inside the page of the second-to-last frame: that frame and all after it are invalid.
    const ps = before.header!.pageSize;
    const frame = before.validFrames - 2;
    wal[WAL_HEADER_SIZE + frame * (WAL_FRAME_HEADER_SIZE + ps) + WAL_FRAME_HEADER_SIZE + 10]! ^= 0xff;
    writeFileSync(walPath, wal);
    const after = scanWal(wal);
    assert.equal(after.validFrames, frame);
    assert.ok(after.transactions < before.transactions);
    const ours = await ourRows(t.db);
    assert.ok(ours.length < 400);
    assert.deepEqual(ours, pyRows(copyForPython(t.db)));
  } finally {
    t.cleanup();
  }
});

test('a WAL whose header salts no longer match its frames contributes nothing', async () => {
  const t = tempWorkspace();
  try {
    await hotWal(t.db, 100, 100);
    const walPath = `${t.db}-wal`;
    const wal = readFileSync(walPath);
    // New salt-1 with a correct header checksum: the frames (old salts) belong to an older log.
    wal.writeUInt32BE((wal.readUInt32BE(16) + 1) >>> 0, 16);
    const big = wal.readUInt32BE(0) === 0x377f0683;
    const [a, b] = walChecksum(wal, 0, 24, big, 0, 0);
    wal.writeUInt32BE(a, 24);
    wal.writeUInt32BE(b, 28);
    writeFileSync(walPath, wal);
    const scan = scanWal(wal);
    assert.ok(scan.header, 'the header itself is valid');
    assert.equal(scan.validFrames, 0);
    assert.deepEqual(await ourRows(t.db, "SELECT name FROM sqlite_master"), pyRows(copyForPython(t.db), 'SELECT name FROM sqlite_master'));
  } finally {
    t.cleanup();
  }
});

test('a big-endian-checksum WAL (magic 0x377f0683) reads the same as SQLite reads it', async () => {
  const t = tempWorkspace();
  try {
    await hotWal(t.db, 250, 50);
    const walPath = `${t.db}-wal`;
    const wal = readFileSync(walPath);
    assert.equal(wal.readUInt32BE(0), 0x377f0682, 'x86 writes little-endian checksums');
    // Re-encode every checksum big-endian; SQLite must accept the result, or python shows fewer rows.
    wal.writeUInt32BE(0x377f0683, 0);
    let [s0, s1] = walChecksum(wal, 0, 24, true, 0, 0);
    wal.writeUInt32BE(s0, 24);
    wal.writeUInt32BE(s1, 28);
    const ps = wal.readUInt32BE(8);
    const frames = Math.floor((wal.length - WAL_HEADER_SIZE) / (WAL_FRAME_HEADER_SIZE + ps));
    for (let i = 0; i < frames; i++) {
      const at = WAL_HEADER_SIZE + i * (WAL_FRAME_HEADER_SIZE + ps);
      [s0, s1] = walChecksum(wal, at, at + 8, true, s0, s1);
      [s0, s1] = walChecksum(wal, at + WAL_FRAME_HEADER_SIZE, at + WAL_FRAME_HEADER_SIZE + ps, true, s0, s1);
      wal.writeUInt32BE(s0, at + 16);
      wal.writeUInt32BE(s1, at + 20);
    }
    writeFileSync(walPath, wal);
    const python = pyRows(copyForPython(t.db));
    assert.equal(python.length, 250, 'SQLite accepts the re-encoded log');
    assert.deepEqual(await ourRows(t.db), python);
  } finally {
    t.cleanup();
  }
});

test('a commit that shrinks the database (VACUUM in the WAL) truncates the image to its size', async () => {
  const t = tempWorkspace();
  try {
    // Grow the main file, checkpoint it, then delete most rows and VACUUM inside the WAL; kill.
    py(
      `import sqlite3, sys, os
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA page_size=1024'); c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')
c.execute(sys.argv[2])
c.execute('BEGIN')
for i in range(3000): c.execute("INSERT INTO workstream_status VALUES (?, 'pending', NULL, NULL, NULL, ?, NULL, NULL)", ('ws-%05d' % i, 'x' * 200))
c.execute('COMMIT'); c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
c.execute("DELETE FROM workstream_status WHERE workstream_id > 'ws-00100'")
c.execute('VACUUM')
os._exit(0)`,
      t.db,
      `CREATE TABLE workstream_status (workstream_id TEXT PRIMARY KEY, status TEXT NOT NULL, agent_id TEXT, started_at TEXT, completed_at TEXT, error_message TEXT, blocked_by TEXT, notes TEXT)`,
    );
    const snap = await readSnapshot(t.db);
    assert.ok(snap.image.length < (snap.db?.length ?? 0), 'the folded image is smaller than the main file');
    const ours = await ourRows(t.db);
    assert.equal(ours.length, 101);
    assert.deepEqual(ours, pyRows(copyForPython(t.db)));
    const db = await openImage(snap.image);
    try {
      assert.deepEqual(queryRows(db, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    } finally {
      db.close();
    }
  } finally {
    t.cleanup();
  }
});

test('garbage where the WAL should be is reported, never thrown', () => {
  assert.match(scanWal(Buffer.from('definitely not a wal file, just text that is long enough')).problem ?? '', /magic/);
  assert.match(scanWal(Buffer.alloc(10)).problem ?? '', /shorter than its header/);
  assert.equal(scanWal(Buffer.alloc(0)).problem, undefined);
  assert.equal(scanWal(Buffer.alloc(0)).committedFrames, 0);
});
