// Where the database and our own files (backups, dumps, bundles) live, resolved from the config
// and kept inside the workspace by the one containment rule (`../fixups/contain.ts`): a
// `.lifeline.json` or a symlink from a cloned repository must not point our reads and writes at
// a file elsewhere on the machine.
import { isAbsolute, join, resolve } from 'node:path';
import type { WorkspaceContext } from '../fixups/types';
import { containedPath, hasControlChars, isInside, PathRefused, samePath } from '../fixups/contain';

/**
 * The database's real path: symlinks resolved, so the holder check, the lock, the temp files
 * and the rename all act on the file SQLite itself opens (it resolves symlinks too), and a
 * symlinked database stays a symlink.
 */
export function databasePath(ws: WorkspaceContext): string {
  return containedPath(ws.root, ws.config.database, 'database');
}

/** A `/`-separated path from a journal entry, resolved and required to stay under `dirRel`. */
export function journalPath(ws: WorkspaceContext, stored: string, dirRel: string, what: string): string {
  if (typeof stored !== 'string' || stored.length === 0 || hasControlChars(stored) || isAbsolute(stored) || /^[A-Za-z]:/.test(stored)) {
    throw new PathRefused(`the journal's ${what} path ${JSON.stringify(stored)} is not a workspace-relative path`);
  }
  const abs = containedPath(ws.root, join(...stored.split('/')), what);
  const dir = containedPath(ws.root, dirRel, what);
  if (!isInside(dir, abs) || samePath(abs, dir)) throw new PathRefused(`the journal's ${what} ${JSON.stringify(stored)} is not under ${dirRel}`);
  return abs;
}

/** Where escalation material (dumps, log bundles) goes: beside the database. */
export function escalationDir(ws: WorkspaceContext): string {
  return containedPath(ws.root, join(resolve(databasePath(ws), '..'), 'escalation'), 'escalation');
}
