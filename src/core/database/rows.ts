// The workstream table: seed 001's columns in a table the config names. Checks the schema,
// reads the rows as strings, and turns blocked_by into the edges the dependency scanner walks.
import type { Database } from 'sql.js';
import type { WorkstreamRow } from '../fixups/types';
import type { Workstream } from '../fixups/workstream';
import { parseDbTime } from './time';
import { queryRows } from './sqljs';
import { hasControlChars } from '../fixups/contain';

export const WORKSTREAM_COLUMNS = ['workstream_id', 'status', 'agent_id', 'started_at', 'completed_at', 'error_message', 'blocked_by', 'notes'] as const;
export type WorkstreamColumn = (typeof WORKSTREAM_COLUMNS)[number];
/** Without these the table cannot be read as workstreams at all. */
export const REQUIRED_COLUMNS: readonly WorkstreamColumn[] = ['workstream_id', 'status'];

/** Quotes an identifier for SQL; names from a config may hold anything but NUL or control characters. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.length > 128 || hasControlChars(name)) throw new Error(`invalid table name ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** A value as a SQL literal (previews and dumps). */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    if (Number.isNaN(v)) return 'NULL';
    if (!Number.isFinite(v)) return v > 0 ? '1e999' : '-1e999';
    // Shortest text that reads back as the same double, kept a REAL by its exponent or point.
    const s = String(v);
    return /[.eE]/.test(s) ? s : `${s}.0`;
  }
  if (v instanceof Uint8Array) return `X'${Buffer.from(v).toString('hex').toUpperCase()}'`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

export type TableCheck = { ok: true; columns: string[]; missing: WorkstreamColumn[] } | { ok: false; reason: string };

/** Whether the table exists and has the columns we need (one-line reason when not). */
export function checkTable(db: Database, table: string): TableCheck {
  const tables = queryRows(db, "SELECT name FROM sqlite_master WHERE type IN ('table','view') ORDER BY name").map((r) => String(r.name));
  if (!tables.includes(table)) {
    const list = tables.filter((t) => !t.startsWith('sqlite_'));
    return { ok: false, reason: `no table "${table}" (tables: ${list.length ? list.slice(0, 8).join(', ') + (list.length > 8 ? ', ...' : '') : 'none'})` };
  }
  const columns = queryRows(db, `PRAGMA table_info(${quoteIdent(table)})`).map((r) => String(r.name));
  const missing = WORKSTREAM_COLUMNS.filter((c) => !columns.includes(c));
  const lacking = missing.filter((c) => REQUIRED_COLUMNS.includes(c));
  if (lacking.length) return { ok: false, reason: `table "${table}" has no ${lacking.join(', ')} column${lacking.length > 1 ? 's' : ''} (it has: ${columns.join(', ') || 'none'})` };
  return { ok: true, columns, missing };
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return String(v);
}

/** Every row, seed columns the table lacks read as null. */
export function readRows(db: Database, table: string, columns: readonly string[]): WorkstreamRow[] {
  const col = (c: WorkstreamColumn) => (columns.includes(c) ? `CAST(${quoteIdent(c)} AS TEXT)` : 'NULL');
  // One query that returns every row as JSON text: the row loop runs inside SQLite, and one
  // JSON.parse replaces tens of thousands of calls across the wasm boundary.
  const sql = `SELECT json_group_array(json_array(${WORKSTREAM_COLUMNS.map(col).join(', ')})) AS j FROM ${quoteIdent(table)}`;
  let all: (string | null)[][];
  try {
    all = JSON.parse(String(queryRows(db, sql)[0]?.j ?? '[]')) as (string | null)[][];
  } catch {
    // Text SQLite's JSON cannot carry (malformed UTF-8): read row by row instead.
    const select = WORKSTREAM_COLUMNS.map((c) => (columns.includes(c) ? quoteIdent(c) : `NULL AS ${quoteIdent(c)}`)).join(', ');
    all = queryRows(db, `SELECT ${select} FROM ${quoteIdent(table)}`).map((r) => WORKSTREAM_COLUMNS.map((c) => text(r[c])));
  }
  return all.map((v) => ({
    workstream_id: v[0] ?? '',
    status: v[1] ?? '',
    agent_id: v[2] ?? null,
    started_at: v[3] ?? null,
    completed_at: v[4] ?? null,
    error_message: v[5] ?? null,
    blocked_by: v[6] ?? null,
    notes: v[7] ?? null,
  }));
}

/** blocked_by as orchestrators write it: one id, a comma/space separated list, or a JSON array. */
export function parseBlockedBy(value: string | null): string[] {
  const t = (value ?? '').trim();
  if (t === '') return [];
  if (t.startsWith('[')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (Array.isArray(v)) return v.map((x) => String(x).trim()).filter(Boolean);
    } catch {
      // not JSON after all: read it as a list
    }
  }
  return t.split(/[\s,;]+/).filter(Boolean);
}

/** "from waits on to" edges from every row's blocked_by, for the dependency-cycle scanner. */
export function blockedByEdges(rows: readonly WorkstreamRow[]): { from: string; to: string }[] {
  return rows.flatMap((r) => parseBlockedBy(r.blocked_by).map((to) => ({ from: r.workstream_id, to })));
}

/** A row as the workstream model: what the `orchestration-db` source reports. Seed 001 records no branch, worktree or owner process. */
export function workstreamFromRow(r: WorkstreamRow): Workstream {
  return {
    id: r.workstream_id,
    title: null,
    status: r.status,
    agent: r.agent_id,
    branch: null,
    worktree: null,
    startedAt: parseDbTime(r.started_at),
    updatedAt: parseDbTime(r.completed_at ?? r.started_at),
    error: r.error_message,
    owner: null,
    source: 'orchestration-db',
  };
}
