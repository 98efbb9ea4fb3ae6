// The fix-up journal: one validated JSON file per entry, atomic writes, oldest first, damaged
// or hostile files reported by name and never trusted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryJournal, openJournal } from '../../../src/core/fixups/journal';
import { resolveConfig } from '../../../src/core/fixups/config';
import { FixupRefused } from '../../../src/core/fixups/types';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lifeline-journal-'));
}

const restore = { kind: 'restore-db' as const, backup: '.state/backups/x/orchestration.db', expectedSha256: 'a'.repeat(64) };

test('append fills id and time; list returns entries oldest first; get reads one back', async () => {
  const dir = tempDir();
  try {
    let clock = Date.parse('2025-11-29T12:00:00Z');
    const j = new DirectoryJournal(join(dir, 'journal'), () => new Date((clock += 1000)));
    const a = await j.append({ actionId: 'workstream.mark-failed:ws-15', title: 'Mark ws-15 failed', undo: restore });
    const b = await j.append({ actionId: 'branch.delete:ws/15/agent-1', title: 'Delete branch', undo: { kind: 'git', steps: [['branch', 'ws/15/agent-1', 'abc123']], description: 'recreate the branch' } });
    const c = await j.append({ actionId: 'db.dump', title: 'Dump', undo: { kind: 'none', reason: 'read-only' } });
    assert.match(a.id, /^20251129T120001000Z-[0-9a-f]{6}$/);
    assert.equal(a.time, '2025-11-29T12:00:01.000Z');
    assert.deepEqual((await j.list()).map((e) => e.id), [a.id, b.id, c.id]);
    assert.deepEqual(await j.get(b.id), b);
    assert.equal(await j.get('20990101T000000000Z-000000'), undefined);
    assert.deepEqual(readdirSync(join(dir, 'journal')).sort(), [a.id, b.id, c.id].map((id) => `${id}.json`).sort(), 'one file per entry, no temp files left');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('markUndone records the time once; a second time is an error', async () => {
  const dir = tempDir();
  try {
    const j = new DirectoryJournal(dir);
    const e = await j.append({ actionId: 'db.checkpoint', title: 'Checkpoint', undo: restore });
    await j.markUndone(e.id, '2025-11-29T13:00:00.000Z');
    assert.equal((await j.get(e.id))?.undone, '2025-11-29T13:00:00.000Z');
    await assert.rejects(j.markUndone(e.id, '2025-11-29T14:00:00.000Z'), /already undone/);
    await assert.rejects(j.markUndone('20990101T000000000Z-000000', 'x'), /no journal entry/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('damaged and stray files are reported by name and left out; valid entries still list', async () => {
  const dir = tempDir();
  try {
    const j = new DirectoryJournal(dir);
    const good = await j.append({ actionId: 'db.checkpoint', title: 'Checkpoint', undo: restore });
    writeFileSync(join(dir, '20250101T000000000Z-aaaaaa.json'), '{not json');
    writeFileSync(join(dir, '20250101T000000000Z-bbbbbb.json'), JSON.stringify({ id: '20250101T000000000Z-bbbbbb', time: 't', actionId: 'x', title: 'y', undo: { kind: 'restore-db', backup: 'b', expectedSha256: 'not-a-hash' } }));
    writeFileSync(join(dir, '20250101T000000000Z-cccccc.json'), JSON.stringify({ ...good, id: '20250101T000000000Z-dddddd' }));
    writeFileSync(join(dir, 'notes.json'), '{}');
    const scan = await j.scan();
    assert.deepEqual(scan.entries.map((e) => e.id), [good.id]);
    assert.deepEqual(scan.problems, [
      '20250101T000000000Z-aaaaaa.json: journal entry 20250101T000000000Z-aaaaaa is not valid JSON',
      '20250101T000000000Z-bbbbbb.json: journal entry 20250101T000000000Z-bbbbbb is malformed (undo.expectedSha256: must be a SHA-256 hex digest); it is not trusted and nothing was run',
      '20250101T000000000Z-cccccc.json: journal entry 20250101T000000000Z-cccccc names itself 20250101T000000000Z-dddddd; it is not trusted',
      'notes.json: not a journal entry name',
    ]);
    await assert.rejects(j.get('../../etc/passwd'), /not a journal entry id/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed entry is refused before anything is written', async () => {
  const dir = tempDir();
  try {
    const j = new DirectoryJournal(dir);
    await assert.rejects(j.append({ actionId: 'x', title: 'y', undo: { kind: 'restore-db', backup: 'b', expectedSha256: 'nope' } }), /refusing to journal a malformed entry/);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openJournal uses config.journalDir under the root and refuses one outside it', async () => {
  const root = tempDir();
  try {
    mkdirSync(join(root, '.state'));
    const j = openJournal({ root, config: resolveConfig({}), now: () => new Date('2025-11-29T12:00:00Z') });
    const e = await j.append({ actionId: 'db.checkpoint', title: 'Checkpoint', undo: restore });
    const stored = JSON.parse(readFileSync(join(root, '.state', 'lifeline-journal', `${e.id}.json`), 'utf8')) as { actionId: string };
    assert.equal(stored.actionId, 'db.checkpoint');
    assert.throws(() => openJournal({ root, config: resolveConfig({ journalDir: '../elsewhere' }) }), (err: unknown) => err instanceof FixupRefused && err.code === 'unsafe');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
