// Reads the workspace's database as diagnose sees it: missing, unreadable (with a one-line
// reason), or its workstream rows, the WAL's committed frames included.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from 'sql.js';
import type { WorkspaceContext, WorkstreamRow } from '../fixups/types';
import { databasePath } from './locations';
import { checkTable, readRows } from './rows';
import type { WorkstreamColumn } from './rows';
import { readSnapshot } from './snapshot';
import type { Snapshot } from './snapshot';
import { openImage } from './sqljs';

export type DatabaseRead =
  | { state: 'missing'; path: string; dirExists: boolean; snapshot: Snapshot }
  | { state: 'unreadable'; path: string; reason: string; schema: boolean; snapshot?: Snapshot }
  | { state: 'ok'; path: string; snapshot: Snapshot; rows: WorkstreamRow[]; columns: string[]; missingColumns: WorkstreamColumn[] };

function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split(/\r?\n/)[0]!.trim() || 'unknown error';
}

export type Opened = { state: 'ok'; path: string; snapshot: Snapshot; columns: string[]; missingColumns: WorkstreamColumn[] };
type NotOpened = Exclude<DatabaseRead, { state: 'ok' }>;

/**
 * Reads the database (WAL-aware), checks the table, and lends the open sql.js database to
 * `use`; missing or unreadable (with a one-line reason) otherwise. Closes it afterwards.
 */
export async function withDatabase<T>(ws: WorkspaceContext, use: (db: Database, info: Opened) => T): Promise<NotOpened | (Opened & { result: T })> {
  let path: string;
  try {
    path = databasePath(ws);
  } catch (e) {
    return { state: 'unreadable', path: ws.config.database, reason: oneLine(e), schema: false };
  }
  let snapshot: Snapshot;
  try {
    snapshot = await readSnapshot(path);
  } catch (e) {
    return { state: 'unreadable', path, reason: oneLine(e), schema: false };
  }
  if (!snapshot.db && !snapshot.walScan?.committedFrames) return { state: 'missing', path, dirExists: existsSync(dirname(path)), snapshot };
  if (typeof snapshot.header === 'string') {
    const walNote = snapshot.walScan?.problem ? `; its WAL: ${snapshot.walScan.problem}` : '';
    return { state: 'unreadable', path, reason: snapshot.header + walNote, schema: false, snapshot };
  }
  let db: Database;
  try {
    db = await openImage(snapshot.image);
  } catch (e) {
    return { state: 'unreadable', path, reason: `sql.js cannot open it: ${oneLine(e)}`, schema: false, snapshot };
  }
  try {
    const check = checkTable(db, ws.config.table);
    if (!check.ok) return { state: 'unreadable', path, reason: check.reason, schema: true, snapshot };
    const info: Opened = { state: 'ok', path, snapshot, columns: check.columns, missingColumns: check.missing };
    return { ...info, result: use(db, info) };
  } catch (e) {
    // sql.js reports a damaged file only when a query touches the damage.
    return { state: 'unreadable', path, reason: `reading it failed: ${oneLine(e)}`, schema: false, snapshot };
  } finally {
    db.close();
  }
}

async function load(ws: WorkspaceContext): Promise<DatabaseRead> {
  const r = await withDatabase(ws, (db, info) => readRows(db, ws.config.table, info.columns));
  if (r.state !== 'ok') return r;
  const { result, ...info } = r;
  return { ...info, rows: result };
}

// diagnose asks for findings and rows at the same time: both share one read.
const inFlight = new Map<string, Promise<DatabaseRead>>();

export function readDatabase(ws: WorkspaceContext): Promise<DatabaseRead> {
  const key = `${ws.root}\u0000${ws.config.database}\u0000${ws.config.table}`;
  const running = inFlight.get(key);
  if (running) return running;
  const p = load(ws).finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

/** The rows (WAL-aware), or null when the database is missing or unreadable. */
export async function readWorkstreamRows(ws: WorkspaceContext): Promise<WorkstreamRow[] | null> {
  const r = await readDatabase(ws);
  return r.state === 'ok' ? r.rows : null;
}
