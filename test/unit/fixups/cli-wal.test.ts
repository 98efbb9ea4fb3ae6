// Issue 4's WAL acceptance through the command line, as an orchestrator would run it: a python
// writer in WAL mode (autocheckpoint off) commits 1,000 rows and stays open. `diagnose` sees every
// row, `fix` exits 5 (busy) naming the writer and leaves the bytes alone; after SIGKILL (hot WAL)
// `fix` succeeds and python reads the 1,000 rows plus the change, integrity ok.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bytesOf, pyIntegrity, pyRows, startWriter } from '../database/helpers';
import { makeRepo } from '../git/helpers';
import { cli } from './cli-harness';

test('WAL acceptance via the CLI: live writer -> diagnose sees all rows, fix exits 5 untouched; killed -> fix succeeds', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  mkdirSync(join(repo.root, '.state'));
  const db = join(repo.root, '.state', 'orchestration.db');
  const writer = await startWriter(db, 1000, 100);
  t.after(() => writer.kill());

  const diag = await cli(['diagnose', '--json'], repo.root);
  assert.equal(diag.code, 0, diag.err);
  const findings = (JSON.parse(diag.out) as { findings: { kind: string; subject: string; actions: { id: string }[] }[] }).findings;
  const stuck = findings.filter((f) => f.kind === 'stuck-workstream');
  assert.equal(stuck.length, 1000, 'every committed row in the WAL is seen');
  assert.equal(new Set(stuck.map((f) => f.subject)).size, 1000);
  assert.ok(stuck.find((f) => f.subject === 'ws-0005')!.actions.some((a) => a.id === 'workstream.mark-failed:ws-0005'));

  const dbBefore = bytesOf(db);
  const walBefore = bytesOf(`${db}-wal`);
  const busy = await cli(['fix', 'workstream.mark-failed:ws-0005', '--yes'], repo.root);
  assert.equal(busy.code, 5, busy.err);
  assert.match(busy.err, new RegExp(`pid ${writer.pid}`));
  assert.equal(busy.err.trim().split('\n').length, 1, 'one line, not a stack');
  assert.deepEqual(bytesOf(db), dbBefore);
  assert.deepEqual(bytesOf(`${db}-wal`), walBefore);

  await writer.kill();
  const fixed = await cli(['fix', 'workstream.mark-failed:ws-0005', '--yes', '--json'], repo.root);
  assert.equal(fixed.code, 0, fixed.err);
  assert.equal(pyIntegrity(db), 'ok');
  const rows = pyRows(db);
  assert.equal(rows.length, 1000);
  assert.equal(rows.find((r) => r[0] === 'ws-0005')![1], 'failed');
  assert.equal(rows.filter((r) => r[1] === 'running').length, 999);

  const journal = await cli(['journal', '--json'], repo.root);
  assert.equal(journal.code, 0, journal.err);
  const undo = await cli(['undo', '--yes'], repo.root);
  assert.equal(undo.code, 0, undo.err);
  assert.equal(pyRows(db).find((r) => r[0] === 'ws-0005')![1], 'running', 'undo restores the row');
});
