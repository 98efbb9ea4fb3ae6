// Issue 4's WAL acceptance: a python writer in WAL mode with autocheckpoint off commits 1,000
// rows and stays open. Scanning sees every row; a write refuses (busy, naming the writer's pid)
// and leaves the bytes of the database and WAL as they were. Once the writer is killed with
// SIGKILL (a hot WAL left behind) the fix succeeds, and python reads all 1,000 rows plus the
// change with integrity_check ok.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkstreamRows } from '../../../src/core/database/read';
import { workstreamFromRow } from '../../../src/core/database/rows';
import { scanDatabase } from '../../../src/core/database/scan';
import { isStuck } from '../../../src/core/fixups/workstream';
import { databaseHandlers } from '../../../src/core/database/source';
import { FixupRefused } from '../../../src/core/fixups/types';
import type { FixupHandler } from '../../../src/core/fixups/types';
import { bytesOf, pyIntegrity, pyRows, startWriter, tempWorkspace } from './helpers';

const NOW = new Date('2025-11-29T12:00:00Z');
const handler = (a: string): FixupHandler => databaseHandlers.find((h) => h.action === a)!;

test('WAL acceptance: live writer -> all rows seen, write refused, bytes unchanged; killed -> fix succeeds', async () => {
  const t = tempWorkspace({}, NOW);
  const writer = await startWriter(t.db, 1000, 100);
  try {
    assert.ok(bytesOf(`${t.db}-wal`)!.length > 100_000, 'the rows are in the WAL, not the main file');

    const rows = await readWorkstreamRows(t.ws);
    assert.equal(rows?.length, 1000);
    assert.equal(new Set(rows!.map((r) => r.workstream_id)).size, 1000);
    const findings = await scanDatabase(t.ws);
    assert.equal(rows!.map(workstreamFromRow).filter((w) => isStuck(w, NOW, t.ws.config.stuckAfterMinutes)).length, 1000, 'every row read from the WAL is judged');
    assert.equal(findings.filter((f) => f.kind === 'hot-wal').length, 0, 'a live writer with a short WAL is normal operation');

    const dbBefore = bytesOf(t.db);
    const walBefore = bytesOf(`${t.db}-wal`);
    const target = { action: 'workstream.mark-failed' as const, subject: 'ws-0005', params: { message: 'Agent timeout - abandoned and will retry' } };
    const preview = await handler('workstream.mark-failed').preview(t.ws, target);
    assert.equal(preview.refusal?.code, 'busy');
    assert.match(preview.refusal!.reason, new RegExp(`pid ${writer.pid} \\(\\S*python3`));
    await assert.rejects(
      handler('workstream.mark-failed').apply(t.ws, target, { discard: false }),
      (e: unknown) => e instanceof FixupRefused && e.code === 'busy' && e.message.includes(`pid ${writer.pid}`),
    );
    await assert.rejects(handler('db.checkpoint').apply(t.ws, { action: 'db.checkpoint' }, { discard: false }), (e: unknown) => e instanceof FixupRefused && e.code === 'busy');
    assert.deepEqual(bytesOf(t.db), dbBefore, 'database bytes unchanged');
    assert.deepEqual(bytesOf(`${t.db}-wal`), walBefore, 'WAL bytes unchanged');
    assert.equal(existsSync(join(t.root, '.state', 'backups')), false, 'no backup taken for a refused write');

    await writer.kill();
    assert.deepEqual(bytesOf(`${t.db}-wal`), walBefore, 'SIGKILL leaves the hot WAL behind');
    assert.equal((await scanDatabase(t.ws)).filter((f) => f.kind === 'hot-wal').length, 1);

    const result = await handler('workstream.mark-failed').apply(t.ws, target, { discard: false });
    assert.equal(result.ok, true);
    assert.ok(result.journalId);
    assert.equal(existsSync(`${t.db}-wal`), false, 'the WAL was folded in and retired');
    const backups = readdirSync(join(t.root, '.state', 'backups'));
    assert.equal(backups.length, 1);
    assert.deepEqual(bytesOf(join(t.root, '.state', 'backups', backups[0]!, 'retired', 'orchestration.db-wal')), walBefore, 'the old WAL is kept, not deleted');

    assert.equal(pyIntegrity(t.db), 'ok');
    const all = pyRows(t.db);
    assert.equal(all.length, 1000);
    assert.deepEqual(all.find((r) => r[0] === 'ws-0005'), ['ws-0005', 'failed', 'agent-5', '2025-11-29 08:05:12', null, 'Agent timeout - abandoned and will retry', null, null]);
    assert.equal(all.filter((r) => r[1] === 'running').length, 999);
  } finally {
    await writer.kill();
    t.cleanup();
  }
});

test('db.checkpoint folds a hot WAL into the file and keeps the WAL in the backup folder', async () => {
  const t = tempWorkspace({}, NOW);
  const writer = await startWriter(t.db, 300, 30);
  try {
    await writer.kill();
    const walBefore = bytesOf(`${t.db}-wal`)!;
    const preview = await handler('db.checkpoint').preview(t.ws, { action: 'db.checkpoint' });
    assert.equal(preview.refusal, undefined);
    assert.match(preview.notes[0]!, /^WAL: \d+ committed frames in 11 transactions/);
    const r = await handler('db.checkpoint').apply(t.ws, { action: 'db.checkpoint' }, { discard: false });
    assert.equal(r.ok, true);
    assert.equal(existsSync(`${t.db}-wal`), false);
    assert.equal(existsSync(`${t.db}-shm`), false);
    const [dir] = readdirSync(join(t.root, '.state', 'backups'));
    assert.deepEqual(bytesOf(join(t.root, '.state', 'backups', dir!, 'orchestration.db-wal')), walBefore);
    // The main file alone now holds every row; the header still says WAL mode.
    assert.equal(bytesOf(t.db)![18], 2);
    assert.equal(pyRows(t.db).length, 300);
    assert.equal(pyIntegrity(t.db), 'ok');
    // Nothing left to checkpoint.
    const again = await handler('db.checkpoint').preview(t.ws, { action: 'db.checkpoint' });
    assert.equal(again.refusal?.code, 'invalid');
  } finally {
    await writer.kill();
    t.cleanup();
  }
});
