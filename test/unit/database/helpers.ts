// Real SQLite files for the database tests, written and read by python3's sqlite3 module
// (argv only, never a shell), and throwaway workspaces in temp directories.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../../src/core/fixups/config';
import type { LifelineConfig } from '../../../src/core/fixups/config';
import type { WorkspaceContext } from '../../../src/core/fixups/types';

export const PY_SCHEMA = `CREATE TABLE IF NOT EXISTS workstream_status (
  workstream_id TEXT PRIMARY KEY, status TEXT NOT NULL, agent_id TEXT, started_at TEXT,
  completed_at TEXT, error_message TEXT, blocked_by TEXT, notes TEXT)`;

export function py(code: string, ...args: string[]): string {
  return execFileSync('python3', ['-c', code, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface TempWorkspace {
  root: string;
  ws: WorkspaceContext;
  db: string;
  cleanup(): void;
}

export function tempWorkspace(override: Partial<LifelineConfig> = {}, now?: Date): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'lifeline-db-'));
  mkdirSync(join(root, '.state'), { recursive: true });
  const config = resolveConfig(override);
  const ws: WorkspaceContext = { root, config, ...(now ? { now: () => now } : {}) };
  return { root, ws, db: join(root, ...config.database.split('/')), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export type Row = [string, string, string | null, string | null, string | null, string | null, string | null, string | null];

/** Creates the seed table and rows; `wal` leaves the database in WAL mode (closed cleanly). */
export function createDb(path: string, rows: Row[], opts: { wal?: boolean; schema?: string } = {}): void {
  py(
    `import sqlite3, sys, json
c = sqlite3.connect(sys.argv[1])
if sys.argv[4] == '1': c.execute('PRAGMA journal_mode=WAL')
c.execute(sys.argv[3])
if json.loads(sys.argv[2]): c.executemany('INSERT INTO workstream_status VALUES (?,?,?,?,?,?,?,?)', json.loads(sys.argv[2]))
c.commit(); c.close()`,
    path,
    JSON.stringify(rows),
    opts.schema ?? PY_SCHEMA,
    opts.wal ? '1' : '0',
  );
}

/** Rows as python's sqlite3 reads them (WAL included), ordered by id. */
export function pyRows(path: string, sql = 'SELECT * FROM workstream_status ORDER BY workstream_id'): unknown[][] {
  return JSON.parse(py(`import sqlite3, sys, json\nc = sqlite3.connect(sys.argv[1])\nprint(json.dumps(c.execute(sys.argv[2]).fetchall()))`, path, sql)) as unknown[][];
}

export function pyIntegrity(path: string): string {
  return py(`import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(';'.join(r[0] for r in c.execute('PRAGMA integrity_check')))`, path).trim();
}

/** Bytes of a file, or null when it does not exist. */
export function bytesOf(path: string): Buffer | null {
  return existsSync(path) ? readFileSync(path) : null;
}

export interface Writer {
  proc: ChildProcess;
  pid: number;
  /** SIGKILL, waits for the exit. */
  kill(): Promise<void>;
}

/**
 * A python writer in WAL mode with autocheckpoint off: commits `n` rows (one transaction per
 * `batch` rows) and stays open, waiting on stdin, so its WAL holds everything uncheckpointed.
 */
export async function startWriter(path: string, n: number, batch = 100): Promise<Writer> {
  const code = `import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')
c.execute(sys.argv[4])
n, batch = int(sys.argv[2]), int(sys.argv[3])
for start in range(0, n, batch):
    c.execute('BEGIN')
    for i in range(start, min(n, start + batch)):
        c.execute("INSERT INTO workstream_status VALUES (?, 'running', ?, '2025-11-29 08:05:12', NULL, NULL, NULL, NULL)", ('ws-%04d' % i, 'agent-%d' % (i % 7)))
    c.execute('COMMIT')
print('ready', flush=True)
sys.stdin.read()
`;
  const proc = spawn('python3', ['-c', code, path, String(n), String(batch), PY_SCHEMA], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
  });
  return {
    proc,
    pid: proc.pid!,
    kill: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  };
}

/** A database whose WAL holds every commit uncheckpointed: the writer is killed with SIGKILL. */
export async function hotWal(path: string, n: number, batch = 100): Promise<void> {
  const w = await startWriter(path, n, batch);
  await w.kill();
}

/** Copies a database, its WAL and its rollback journal (not the -shm) into a fresh directory, for python to read without touching the originals. */
export function copyForPython(path: string, suffix = 'copy'): string {
  const dir = mkdtempSync(join(tmpdir(), `lifeline-py-${suffix}-`));
  const target = join(dir, 'check.db');
  const db = bytesOf(path);
  const wal = bytesOf(`${path}-wal`);
  if (db) writeFileSync(target, db);
  if (wal) writeFileSync(`${target}-wal`, wal);
  const journal = bytesOf(`${path}-journal`);
  if (journal) writeFileSync(`${target}-journal`, journal);
  return target;
}

/**
 * A rollback-mode writer mid-transaction whose changes no longer fit its one-page cache: SQLite
 * has synced the journal (its header now carries the magic) and written into the database file.
 */
export const SPILLING_WRITER = `import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA cache_size=1')
c.execute('BEGIN IMMEDIATE')
c.execute("UPDATE workstream_status SET status='failed'")
for i in range(200): c.execute("INSERT INTO workstream_status (workstream_id, status, notes) VALUES (?, 'pending', randomblob(2000))", ('tmp-%d' % i,))
print('ready', flush=True)
sys.stdin.read()`;
