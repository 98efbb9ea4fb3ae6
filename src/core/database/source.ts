// The database half as the fix-up engine plugs it in: scanner, WAL-aware rows, busy probe,
// handlers and undo. `defaultSources()` in src/core/fixups/sources.ts wires `databaseSource`.
import type { DatabaseSource, FixupHandler, WorkspaceContext } from '../fixups/types';
import { escalationHandlers } from './handlers/escalation';
import { maintenanceHandlers } from './handlers/maintenance';
import { workstreamHandlers } from './handlers/workstream';
import { describeHolders, findHolders } from './holders';
import { databasePath } from './locations';
import { readWorkstreamRows } from './read';
import { scanDatabase } from './scan';
import { dbPaths } from './snapshot';
import { loadSqlJs } from './sqljs';
import { undoDatabaseEntry } from './undo';

export const databaseHandlers: FixupHandler[] = [...workstreamHandlers, ...maintenanceHandlers, ...escalationHandlers];

/** Whether another process has the database (or its -wal/-shm/-journal) open; null when this platform cannot tell. */
export async function databaseInUse(ws: WorkspaceContext): Promise<boolean | null> {
  const p = dbPaths(databasePath(ws));
  const holders = await findHolders([p.db, p.wal, p.shm, p.journal]);
  return holders === null ? null : holders.length > 0;
}

export async function databaseHolders(ws: WorkspaceContext): Promise<string | null> {
  const p = dbPaths(databasePath(ws));
  const holders = await findHolders([p.db, p.wal, p.shm, p.journal]);
  return holders?.length ? describeHolders(holders) : null;
}

export const databaseSource: DatabaseSource = {
  scan: scanDatabase,
  readRows: readWorkstreamRows,
  inUse: databaseInUse,
  holders: databaseHolders,
  handlers: databaseHandlers,
  warm: () => void loadSqlJs().catch(() => undefined),
  undo: (ws, entry, journal, options) => undoDatabaseEntry(ws, entry, { journal, ...options }),
};
