// Undoing a database fix-up: the backup comes back under the same checks as any write; it is
// refused when the database changed since (unless forced), while another process has it open,
// or when the journal entry points outside the backups folder; the undo is itself undoable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseHandlers } from '../../../src/core/database/source';
import { undoDatabaseEntry } from '../../../src/core/database/undo';
import { openJournal } from '../../../src/core/fixups/journal';
import { FixupRefused } from '../../../src/core/fixups/types';
import type { JournalEntry } from '../../../src/core/fixups/types';
import { bytesOf, hotWal, py, pyIntegrity, pyRows, tempWorkspace } from './helpers';

const NOW = new Date('2025-11-29T12:00:00Z');
const markFailed = databaseHandlers.find((h) => h.action === 'workstream.mark-failed')!;

async function fixedWorkspace(rows = 50) {
  const t = tempWorkspace({}, NOW);
  await hotWal(t.db, rows, 10);
  const original = pyRows(bytesOnlyCopy(t));
  const r = await markFailed.apply(t.ws, { action: 'workstream.mark-failed', subject: 'ws-0003', params: { message: 'hung' } }, { discard: false });
  const entry = (await openJournal(t.ws).get(r.journalId!))!;
  return { t, original, entry };
}

/** Python reads a copy, so the originals stay exactly as the test left them. */
function bytesOnlyCopy(t: { db: string; root: string }): string {
  const dir = join(t.root, `copy-${Math.random().toString(16).slice(2)}.db`);
  writeFileSync(dir, bytesOf(t.db)!);
  const wal = bytesOf(`${t.db}-wal`);
  if (wal) writeFileSync(`${dir}-wal`, wal);
  return dir;
}

test('undo restores the database as it was before the fix-up (WAL commits included)', async () => {
  const { t, original, entry } = await fixedWorkspace();
  try {
    assert.equal(pyRows(bytesOnlyCopy(t)).find((r) => r[0] === 'ws-0003')?.[1], 'failed');
    const r = await undoDatabaseEntry(t.ws, entry);
    assert.equal(r.ok, true);
    assert.deepEqual(pyRows(bytesOnlyCopy(t)), original);
    assert.equal(pyIntegrity(bytesOnlyCopy(t)), 'ok');
    // The undo is journaled with its own backup: undoing it brings the fix-up back.
    const undoEntry = (await openJournal(t.ws).get(r.journalId!))!;
    assert.equal(undoEntry.title, `Undo: ${entry.title}`);
    await undoDatabaseEntry(t.ws, undoEntry);
    assert.equal(pyRows(bytesOnlyCopy(t)).find((r) => r[0] === 'ws-0003')?.[1], 'failed');
    assert.equal(pyRows(bytesOnlyCopy(t)).length, 50);
  } finally {
    t.cleanup();
  }
});

test('undo refuses when the database changed since the fix-up, changing nothing; --force restores', async () => {
  const { t, original, entry } = await fixedWorkspace();
  try {
    py(`import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute("UPDATE workstream_status SET status='completed' WHERE workstream_id='ws-0007'")\nc.commit()\nc.close()`, t.db);
    const before = bytesOf(t.db);
    await assert.rejects(undoDatabaseEntry(t.ws, entry), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe' && /changed after ".*restoring the backup would discard that, so nothing was restored/.test(e.message));
    assert.deepEqual(bytesOf(t.db), before);
    const r = await undoDatabaseEntry(t.ws, entry, { force: true });
    assert.equal(r.ok, true);
    assert.deepEqual(pyRows(bytesOnlyCopy(t)), original);
  } finally {
    t.cleanup();
  }
});

test('undo refuses while another process has the database open', async () => {
  const { t, entry } = await fixedWorkspace(20);
  // A plain reader holding the database open (python keeps the connection until stdin closes).
  const holder = spawn('python3', ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute("SELECT count(*) FROM workstream_status").fetchall()\nprint("ready", flush=True)\nsys.stdin.read()', t.db], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve) => holder.stdout.on('data', () => resolve()));
    const before = bytesOf(t.db);
    await assert.rejects(undoDatabaseEntry(t.ws, entry), (e: unknown) => e instanceof FixupRefused && e.code === 'busy' && e.message.includes(`pid ${holder.pid}`));
    assert.deepEqual(bytesOf(t.db), before);
  } finally {
    holder.kill('SIGKILL');
    t.cleanup();
  }
});

test('a journal entry pointing outside the backups folder, or a tampered backup, is refused', async () => {
  const { t, entry } = await fixedWorkspace(10);
  try {
    const u = entry.undo as Extract<JournalEntry['undo'], { kind: 'restore-db' }>;
    for (const backup of ['../../etc/passwd', '/etc/passwd', '.state/orchestration.db', 'C:/Windows/win.ini']) {
      await assert.rejects(undoDatabaseEntry(t.ws, { ...entry, undo: { ...u, backup } }), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe', backup);
    }
    const path = join(t.root, ...u.backup.split('/'));
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(path, bytes);
    await assert.rejects(undoDatabaseEntry(t.ws, entry), /was modified after it was taken/);
  } finally {
    t.cleanup();
  }
});
