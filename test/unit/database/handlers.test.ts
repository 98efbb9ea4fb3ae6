// The workstream.* and db.* fix-ups on real SQLite files: exact previews (SQL + the rows before),
// the values python reads afterwards, the journal mode kept, and refusals that leave every byte
// as it was (unknown workstream, stale preview, hot journal, unreadable database).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ACTION_EFFECTS } from '../../../src/core/fixups/effects';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseHandlers } from '../../../src/core/database/source';
import { FixupRefused } from '../../../src/core/fixups/types';
import type { ActionTarget, FixupHandler } from '../../../src/core/fixups/types';
import type { FixupAction } from '../../../src/core/playbooks/model';
import { openJournal } from '../../../src/core/fixups/journal';
import { bytesOf, createDb, py, pyIntegrity, pyRows, SPILLING_WRITER, tempWorkspace } from './helpers';
import type { Row } from './helpers';

const NOW = new Date('2025-11-29T12:00:00Z');
const handler = (a: FixupAction): FixupHandler => databaseHandlers.find((h) => h.action === a)!;
const target = (action: FixupAction, subject?: string, message?: string): ActionTarget => ({ action, ...(subject ? { subject } : {}), ...(message ? { params: { message } } : {}) });

const ROWS: Row[] = [
  ['ws-15', 'running', 'agent-1', '2025-11-29 08:05:12', null, null, null, null],
  ['ws-22', 'blocked', 'agent-2', '2025-11-29 08:05:15', null, null, 'ws-15', 'keep me'],
  ['ws-31', 'failed', 'agent-3', '2025-11-29 08:05:18', null, 'boom', null, null],
];

const row = (path: string, id: string) => pyRows(path).find((r) => r[0] === id);

test('every handler is registered once, each with its declared effect', () => {
  assert.deepEqual(
    databaseHandlers.map((h) => `${h.action} (${ACTION_EFFECTS[h.action]})`),
    [
      'workstream.mark-failed (reversible)', 'workstream.mark-completed (reversible)', 'workstream.mark-pending (reversible)', 'workstream.mark-reverted (reversible)', 'workstream.unblock (reversible)',
      'db.checkpoint (reversible)', 'db.integrity-check (read-only)', 'db.dump (read-only)', 'logs.bundle (read-only)',
    ],
  );
});

test('mark-failed previews the exact statement and the row before, then writes it (rollback-mode file stays rollback)', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, ROWS);
    const p = await handler('workstream.mark-failed').preview(t.ws, target('workstream.mark-failed', 'ws-15', "Orchestrator crash - it's gone"));
    assert.equal(p.refusal, undefined);
    assert.deepEqual(p.sql, [{
      statement: `UPDATE "workstream_status" SET status = 'failed', error_message = 'Orchestrator crash - it''s gone' WHERE workstream_id = 'ws-15'`,
      rows: [{ workstream_id: 'ws-15', status: 'running', agent_id: 'agent-1', started_at: '2025-11-29 08:05:12', completed_at: null, error_message: null, blocked_by: null, notes: null }],
      after: [{ workstream_id: 'ws-15', status: 'failed', agent_id: 'agent-1', started_at: '2025-11-29 08:05:12', completed_at: null, error_message: "Orchestrator crash - it's gone", blocked_by: null, notes: null }],
    }]);
    assert.equal(p.effect, 'reversible');
    const r = await handler('workstream.mark-failed').apply(t.ws, target('workstream.mark-failed', 'ws-15', "Orchestrator crash - it's gone"), { discard: false, confirmed: p });
    assert.equal(r.ok, true);
    assert.deepEqual(row(t.db, 'ws-15'), ['ws-15', 'failed', 'agent-1', '2025-11-29 08:05:12', null, "Orchestrator crash - it's gone", null, null]);
    assert.deepEqual(row(t.db, 'ws-22'), ROWS[1]);
    assert.equal(bytesOf(t.db)![18], 1, 'still a rollback-journal database');
    assert.equal(pyIntegrity(t.db), 'ok');
    const entry = await openJournal(t.ws).get(r.journalId!);
    assert.equal(entry?.actionId, 'workstream.mark-failed:ws-15');
    assert.equal(entry?.undo.kind, 'restore-db');
  } finally {
    t.cleanup();
  }
});

test('mark-completed / mark-pending / mark-reverted / unblock write seed 001\'s values', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, ROWS, { wal: true });
    await handler('workstream.mark-completed').apply(t.ws, target('workstream.mark-completed', 'ws-15', 'Completed manually after agent timeout'), { discard: false });
    assert.deepEqual(row(t.db, 'ws-15'), ['ws-15', 'completed', 'agent-1', '2025-11-29 08:05:12', '2025-11-29 12:00:00', null, null, 'Completed manually after agent timeout']);
    await handler('workstream.mark-pending').apply(t.ws, target('workstream.mark-pending', 'ws-31'), { discard: false });
    assert.deepEqual(row(t.db, 'ws-31'), ['ws-31', 'pending', 'agent-3', null, null, 'boom', null, null]);
    await handler('workstream.mark-reverted').apply(t.ws, target('workstream.mark-reverted', 'ws-15', 'Tests failed after merge - needs rework'), { discard: false });
    assert.deepEqual(row(t.db, 'ws-15')?.slice(1, 2).concat(row(t.db, 'ws-15')?.slice(5, 6)), ['reverted', 'Tests failed after merge - needs rework']);
    await handler('workstream.unblock').apply(t.ws, target('workstream.unblock', 'ws-22'), { discard: false });
    assert.deepEqual(row(t.db, 'ws-22'), ['ws-22', 'blocked', 'agent-2', '2025-11-29 08:05:15', null, null, null, 'keep me']);
    assert.equal(bytesOf(t.db)![18], 2, 'a WAL database stays in WAL mode');
    assert.equal(pyIntegrity(t.db), 'ok');
    assert.equal((await openJournal(t.ws).list()).length, 4);
  } finally {
    t.cleanup();
  }
});

test('a message loses control characters but keeps its lines', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, ROWS);
    await handler('workstream.mark-failed').apply(t.ws, target('workstream.mark-failed', 'ws-15', 'line one\r\nline\u0007 two\u001b[31m'), { discard: false });
    assert.equal(row(t.db, 'ws-15')?.[5], 'line one\nline two[31m');
  } finally {
    t.cleanup();
  }
});

test('refusals change nothing: no subject, unknown workstream, nothing to unblock, stale preview', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, ROWS);
    const before = bytesOf(t.db);
    const cases: [FixupAction, string | undefined, RegExp][] = [
      ['workstream.mark-failed', undefined, /needs a workstream id/],
      ['workstream.mark-failed', 'ws-99', /no workstream "ws-99"/],
      ['workstream.unblock', 'ws-15', /no blocked_by to clear/],
      ['workstream.mark-pending', "ws-15' OR '1'='1", /no workstream/],
    ];
    for (const [action, subject, reason] of cases) {
      const p = await handler(action).preview(t.ws, target(action, subject));
      assert.equal(p.refusal?.code, 'invalid', `${action}:${subject}`);
      assert.match(p.refusal!.reason, reason);
      await assert.rejects(handler(action).apply(t.ws, target(action, subject), { discard: false }), FixupRefused);
    }
    // The user confirmed a preview; the row changed before apply: refuse.
    const p = await handler('workstream.mark-failed').preview(t.ws, target('workstream.mark-failed', 'ws-15'));
    py(`import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute("UPDATE workstream_status SET status='completed' WHERE workstream_id='ws-15'")\nc.commit()`, t.db);
    const changed = bytesOf(t.db);
    await assert.rejects(
      handler('workstream.mark-failed').apply(t.ws, target('workstream.mark-failed', 'ws-15'), { discard: false, confirmed: p }),
      (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe' && /changed since the preview/.test(e.message),
    );
    assert.deepEqual(bytesOf(t.db), changed);
    assert.notDeepEqual(changed, before);
    assert.equal(existsSync(join(t.root, '.state', 'backups')), false);
  } finally {
    t.cleanup();
  }
});

test('a hot rollback journal makes every write refuse as busy, bytes untouched', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, ROWS);
    const proc = spawn('python3', ['-c', SPILLING_WRITER, t.db], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => proc.stdout.on('data', () => resolve()));
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
    const db = bytesOf(t.db);
    const journal = bytesOf(`${t.db}-journal`);
    await assert.rejects(
      handler('workstream.mark-failed').apply(t.ws, target('workstream.mark-failed', 'ws-15'), { discard: false }),
      (e: unknown) => e instanceof FixupRefused && e.code === 'busy' && /hot rollback journal/.test(e.message),
    );
    assert.deepEqual(bytesOf(t.db), db);
    assert.deepEqual(bytesOf(`${t.db}-journal`), journal);
  } finally {
    t.cleanup();
  }
});

test('an unreadable database refuses writes as unsafe and is left alone', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    writeFileSync(t.db, Buffer.from('SQLite format 3\u0000 but then garbage'.repeat(200)));
    const before = bytesOf(t.db);
    const p = await handler('workstream.mark-failed').preview(t.ws, target('workstream.mark-failed', 'ws-15'));
    assert.equal(p.refusal?.code, 'unsafe');
    assert.doesNotMatch(p.refusal!.reason, /\n/);
    const c = await handler('db.checkpoint').preview(t.ws, target('db.checkpoint'));
    assert.equal(c.refusal?.code, 'unsafe');
    assert.deepEqual(bytesOf(t.db), before);
  } finally {
    t.cleanup();
  }
});

test('a table name with quotes in it is quoted, not injected', async () => {
  const t = tempWorkspace({ table: 'work"streams' }, NOW);
  try {
    createDb(t.db, [], { schema: 'CREATE TABLE "work""streams" (workstream_id TEXT, status TEXT, error_message TEXT)' });
    py(`import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute('INSERT INTO "work""streams" VALUES (?, ?, NULL)', ('ws-1', 'running'))\nc.commit()`, t.db);
    await handler('workstream.mark-failed').apply(t.ws, target('workstream.mark-failed', 'ws-1'), { discard: false });
    assert.deepEqual(pyRows(t.db, 'SELECT * FROM "work""streams"'), [['ws-1', 'failed', 'Marked failed with Lifeline']]);
  } finally {
    t.cleanup();
  }
});

test('db.integrity-check reports ok, and reports a damaged index as SQLite does', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    createDb(t.db, Array.from({ length: 300 }, (_, i): Row => [`ws-${i}`, i % 2 ? 'running' : 'failed', null, null, null, null, null, null]));
    py(`import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute('CREATE INDEX by_status ON workstream_status(status)')\nc.commit()`, t.db);
    const ok = await handler('db.integrity-check').apply(t.ws, target('db.integrity-check'), { discard: false });
    assert.equal(ok.ok, true);
    assert.match(ok.message, /^integrity_check: ok/);
    // Damage one index leaf: swap 'failed'/'running' keys inside the index's root page.
    const root = Number(py(`import sqlite3, sys\nprint(sqlite3.connect(sys.argv[1]).execute("SELECT rootpage FROM sqlite_master WHERE name='by_status'").fetchone()[0])`, t.db));
    const bytes = readFileSync(t.db);
    const page = bytes.subarray((root - 1) * 4096, root * 4096);
    const at = page.indexOf('running');
    assert.ok(at > 0);
    page.write('rumning', at, 'latin1');
    writeFileSync(t.db, bytes);
    const bad = await handler('db.integrity-check').apply(t.ws, target('db.integrity-check'), { discard: false });
    assert.equal(bad.ok, false);
    assert.match(bad.message, /integrity_check found \d+ problem/);
    assert.notEqual(pyIntegrity(t.db), 'ok', 'SQLite agrees it is damaged');
  } finally {
    t.cleanup();
  }
});

test('db.dump writes SQL that rebuilds the same rows, every value type intact', async () => {
  const t = tempWorkspace({}, NOW);
  try {
    py(
      `import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute('CREATE TABLE workstream_status (workstream_id TEXT PRIMARY KEY, status TEXT, n INTEGER, r REAL, b BLOB)')
c.execute('CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, line TEXT)')
c.execute('CREATE INDEX s ON workstream_status(status)')
c.execute("CREATE VIEW running AS SELECT * FROM workstream_status WHERE status='running'")
rows = [("ws-1", "it's\\nmultiline", 2**62 + 1, 0.1, b'\\x00\\xff'), ("wś-2 ünï", None, -1, 1e300, None), ("ws-3", "running", 0, -2.5e-7, b'')]
c.executemany('INSERT INTO workstream_status VALUES (?,?,?,?,?)', rows)
c.execute("INSERT INTO log (line) VALUES ('a')")
c.commit()`,
      t.db,
    );
    const r = await handler('db.dump').apply(t.ws, target('db.dump'), { discard: false });
    assert.equal(r.ok, true);
    const dir = join(t.root, '.state', 'escalation');
    const [file] = readdirSync(dir);
    assert.equal(file, 'state_dump_20251129T120000000Z.sql');
    const rebuilt = join(t.root, 'rebuilt.db');
    py(`import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.executescript(open(sys.argv[2], encoding='utf8').read())`, rebuilt, join(dir, file!));
    const q = 'SELECT workstream_id, status, n, r, hex(b), typeof(b) FROM workstream_status ORDER BY workstream_id';
    assert.deepEqual(pyRows(rebuilt, q), pyRows(t.db, q));
    assert.deepEqual(pyRows(rebuilt, 'SELECT name, seq FROM sqlite_sequence'), [['log', 1]]);
    assert.deepEqual(pyRows(rebuilt, "SELECT type, name FROM sqlite_master ORDER BY name"), pyRows(t.db, "SELECT type, name FROM sqlite_master ORDER BY name"));
    await assert.rejects(handler('db.dump').apply(t.ws, target('db.dump'), { discard: false }), /exists already/, 'never overwrites an earlier dump');
  } finally {
    t.cleanup();
  }
});
