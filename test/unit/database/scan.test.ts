// The database scanner on real files: stuck and failed rows, a hot WAL left by a killed writer,
// a hot rollback journal, and bad input (corrupt file, wrong table, missing columns, missing
// database, hostile config) -> one finding with a one-line reason, files untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { scanDatabase } from '../../../src/core/database/scan';
import { readWorkstreamRows } from '../../../src/core/database/read';
import { blockedByEdges, workstreamFromRow } from '../../../src/core/database/rows';
import { isStuck } from '../../../src/core/fixups/workstream';
import { diagnose } from '../../../src/core/engine/diagnose';
import { defaultSources } from '../../../src/core/engine/sources';
import { makeRepo } from '../git/helpers';
import { bytesOf, copyForPython, createDb, hotWal, PY_SCHEMA, pyRows, SPILLING_WRITER, tempWorkspace } from './helpers';
import type { Row } from './helpers';

const NOW = new Date('2025-11-29T12:00:00Z');



const ROWS: Row[] = [
  ['ws-15', 'running', 'agent-1', '2025-11-29 08:05:12', null, null, null, null],
  ['ws-22', 'running', 'agent-2', '2025-11-29 11:30:00', null, null, null, null],
  ['ws-31', 'failed', 'agent-3', '2025-11-29 08:05:18', null, 'Orchestrator crash - no valid work found\nTraceback ...', null, null],
  ['ws-40', 'blocked', null, null, null, null, 'ws-41', null],
  ['ws-41', 'blocked', null, null, null, null, '["ws-40", "ws-15"]', null],
  ['ws-50', 'completed', 'agent-4', '2025-11-29 07:00:00', '2025-11-29 07:30:00', null, null, null],
];

/** Every file under the state folder, with its bytes. */
function stateFiles(root: string): Map<string, Buffer | null> {
  const dir = join(root, '.state');
  return new Map(readdirSync(dir).sort().map((n) => [n, bytesOf(join(dir, n))]));
}

test('a healthy database has no findings of its own; its rows become workstream models (the engine judges them)', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, ROWS);
    assert.deepEqual(await scanDatabase(t.ws), []);
    const models = (await readWorkstreamRows(t.ws))!.map(workstreamFromRow);
    const ws31 = models.find((w) => w.id === 'ws-31')!;
    assert.equal(ws31.source, 'orchestration-db');
    assert.equal(ws31.status, 'failed');
    assert.equal(ws31.agent, 'agent-3');
    assert.equal(ws31.startedAt?.toISOString(), '2025-11-29T08:05:18.000Z', 'a naive SQLite time is UTC');
    assert.match(ws31.error ?? '', /^Orchestrator crash/);
    assert.deepEqual(models.filter((w) => isStuck(w, NOW, t.ws.config.stuckAfterMinutes)).map((w) => w.id), ['ws-15']);
  } finally {
    t.cleanup();
  }
});

test('the stuck threshold comes from the config', async () => {
  const t = tempWorkspace({ stuckAfterMinutes: 20 }, NOW);
  try {
    createDb(t.db, ROWS);
    const models = (await readWorkstreamRows(t.ws))!.map(workstreamFromRow);
    assert.deepEqual(models.filter((w) => isStuck(w, NOW, t.ws.config.stuckAfterMinutes)).map((w) => w.id), ['ws-15', 'ws-22'], 'ws-22 has run 30 min > 20');
  } finally {
    t.cleanup();
  }
});

test('rows come back with every seed column; blocked_by edges are exported for the cycle scanner', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, ROWS);
    const rows = await readWorkstreamRows(t.ws);
    assert.equal(rows?.length, 6);
    assert.deepEqual(rows?.find((r) => r.workstream_id === 'ws-50'), {
      workstream_id: 'ws-50', status: 'completed', agent_id: 'agent-4', started_at: '2025-11-29 07:00:00',
      completed_at: '2025-11-29 07:30:00', error_message: null, blocked_by: null, notes: null,
    });
    assert.deepEqual(blockedByEdges(rows!), [
      { from: 'ws-40', to: 'ws-41' },
      { from: 'ws-41', to: 'ws-40' },
      { from: 'ws-41', to: 'ws-15' },
    ]);
  } finally {
    t.cleanup();
  }
});

test('a hot WAL left by a killed writer is a hot-wal finding offering a checkpoint; its rows are read', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    await hotWal(t.db, 200, 50);
    const files = stateFiles(t.root);
    const findings = await scanDatabase(t.ws);
    const hot = findings.find((f) => f.kind === 'hot-wal');
    assert.ok(hot, 'hot-wal reported');
    assert.equal(hot.id, 'hot-wal:.state/orchestration.db');
    assert.equal(hot.facts?.inUse, false);
    assert.equal(hot.facts?.transactions, 5);
    assert.deepEqual(hot.actions.map((a) => a.id), ['db.checkpoint']);
    assert.equal((await readWorkstreamRows(t.ws))?.length, 200, 'the rows in the WAL are read');
    assert.deepEqual(stateFiles(t.root), files, 'scanning changes no file');
  } finally {
    t.cleanup();
  }
});

test('a hot rollback journal from a writer killed mid-transaction is a stale-journal finding', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, ROWS);
    const proc = spawn('python3', ['-c', SPILLING_WRITER, t.db], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => proc.stdout.on('data', () => resolve()));
    const live = await scanDatabase(t.ws);
    assert.equal(live.filter((f) => f.kind === 'stale-journal').length, 0, 'a journal held by a live writer is a transaction in progress');
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
    assert.ok(bytesOf(`${t.db}-journal`), 'the journal is left behind');
    const findings = await scanDatabase(t.ws);
    const stale = findings.find((f) => f.kind === 'stale-journal');
    assert.ok(stale);
    assert.match(stale.detail, /never delete it/);
    assert.ok(Number(stale.facts?.rolledBackPages) > 1, 'the killed transaction had spilled pages into the file');
    // Read as SQLite reads it after rolling the journal back: the rows before the transaction.
    const rows = await readWorkstreamRows(t.ws);
    assert.deepEqual(rows?.map((r) => [r.workstream_id, r.status]), ROWS.map((r) => [r[0], r[1]]));
    assert.deepEqual(
      rows?.map((r) => Object.values(r)),
      pyRows(copyForPython(t.db, 'journal')),
    );
  } finally {
    t.cleanup();
  }
});

test('a corrupt file is one db-unreadable finding with a one-line reason; nothing is touched', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    const cases: [string, Buffer, RegExp][] = [
      ['garbage', Buffer.from('this is not a database at all, just some words\n'.repeat(100)), /bad header magic|too short/],
      ['truncated', Buffer.alloc(0), /empty/],
    ];
    createDb(t.db, ROWS);
    const good = bytesOf(t.db)!;
    const damaged = Buffer.from(good);
    damaged.fill(0xa5, 4096); // every page after the first is noise
    cases.push(['damaged pages', damaged, /sql\.js cannot open|reading it failed|malformed/]);
    const half = good.subarray(0, good.length - 1000);
    cases.push(['cut mid-page', Buffer.from(half), /not a whole number of/]);
    for (const [label, bytes, reason] of cases) {
      writeFileSync(t.db, bytes);
      const before = stateFiles(t.root);
      const findings = await scanDatabase(t.ws);
      assert.equal(findings.length, 1, label);
      assert.equal(findings[0]!.kind, 'db-unreadable', label);
      assert.match(findings[0]!.detail, reason, label);
      assert.doesNotMatch(findings[0]!.detail, /\n/, `${label}: one line`);
      assert.equal(await readWorkstreamRows(t.ws), null, label);
      assert.deepEqual(stateFiles(t.root), before, `${label}: files untouched`);
    }
  } finally {
    t.cleanup();
  }
});

test('a wrong table or missing columns is a clear schema finding naming what is there', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, ROWS);
    const wrongTable = { ...t.ws, config: { ...t.ws.config, table: 'workstreams' } };
    const [f] = await scanDatabase(wrongTable);
    assert.equal(f?.kind, 'db-unreadable');
    assert.equal(f?.detail, '.state/orchestration.db cannot be read as the orchestration database: no table "workstreams" (tables: workstream_status).');
    assert.equal(f?.facts?.schema, true);

    rmSync(t.db);
    createDb(t.db, [], { schema: 'CREATE TABLE workstream_status (id TEXT, state TEXT)' });
    const [g] = await scanDatabase(t.ws);
    assert.equal(g?.kind, 'db-unreadable');
    assert.match(g!.detail, /has no workstream_id, status columns \(it has: id, state\)/);
  } finally {
    t.cleanup();
  }
});

test('optional seed columns may be missing: the rows read with nulls', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, [], { schema: 'CREATE TABLE workstream_status (workstream_id TEXT, status TEXT, started_at TEXT)' });
    const rows = await readWorkstreamRows(t.ws);
    assert.deepEqual(rows, []);
    assert.deepEqual(await scanDatabase(t.ws), []);
  } finally {
    t.cleanup();
  }
});

test('a missing database is a db-missing finding when the state folder exists, nothing otherwise', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    const [f] = await scanDatabase(t.ws);
    assert.equal(f?.id, 'db-missing:.state/orchestration.db');
    assert.equal(await readWorkstreamRows(t.ws), null);
    rmSync(join(t.root, '.state'), { recursive: true });
    assert.deepEqual(await scanDatabase(t.ws), []);
    mkdirSync(join(t.root, '.state'));
    writeFileSync(`${t.db}-wal`, 'x');
    const [g] = await scanDatabase(t.ws);
    assert.match(g!.detail, /gone but its -wal is still there/);
  } finally {
    t.cleanup();
  }
});

test('a config pointing the database outside the workspace is refused as a finding, not followed', async () => {
  const t = tempWorkspace({ database: '../elsewhere.db' }, NOW);
  try {
    const [f] = await scanDatabase(t.ws);
    assert.equal(f?.kind, 'db-unreadable');
    assert.match(f!.detail, /not inside the workspace/);
  } finally {
    t.cleanup();
  }
});

test('hostile workstream ids are quoted in findings and get no action ids', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  mkdirSync(join(repo.root, '.state'));
  createDb(join(repo.root, '.state', 'orchestration.db'), [['--force; rm -rf /', 'failed', null, null, null, 'boom', null, null]], { schema: PY_SCHEMA });
  const [f, ...rest] = (await diagnose({ ...repo.ws(), now: () => NOW }, defaultSources())).findings;
  assert.equal(rest.length, 0);
  assert.equal(f?.subject, JSON.stringify('--force; rm -rf /'));
  assert.deepEqual(f?.actions, []);
});
