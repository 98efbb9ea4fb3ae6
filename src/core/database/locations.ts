// Where the database and our own files (backups, dumps, bundles) live, resolved from the config
// and kept inside the workspace: a `.lifeline.json` from a cloned repository must not point our
// writes at a file elsewhere on the machine.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { WorkspaceContext } from '../fixups/types';
import { FixupRefused } from '../fixups/types';
import { hasControlChars } from './text';

/** `rel` resolved against the root; refuses a path that leaves the workspace. */
export function insideRoot(root: string, rel: string, what: string): string {
  const abs = resolve(root, rel);
  const r = relative(resolve(root), abs);
  if (r === '' || r === '..' || r.startsWith(`..${sep}`) || isAbsolute(r)) {
    throw new FixupRefused(`the ${what} path ${JSON.stringify(rel)} is not inside the workspace ${root}`, 'invalid');
  }
  return abs;
}

export function databasePath(ws: WorkspaceContext): string {
  return insideRoot(ws.root, ws.config.database, 'database');
}

/** A path as users read it in findings and journals: relative to the root, with `/`. */
export function displayPath(ws: WorkspaceContext, abs: string): string {
  const r = relative(ws.root, abs);
  return r === '' || r.startsWith('..') || isAbsolute(r) ? abs : r.split(sep).join('/');
}

/** A `/`-separated path from a journal entry, resolved and required to stay under `dirRel`. */
export function journalPath(ws: WorkspaceContext, stored: string, dirRel: string, what: string): string {
  if (typeof stored !== 'string' || stored.length === 0 || hasControlChars(stored) || isAbsolute(stored) || /^[A-Za-z]:/.test(stored)) {
    throw new FixupRefused(`the journal's ${what} path ${JSON.stringify(stored)} is not a workspace-relative path`, 'invalid');
  }
  const abs = insideRoot(ws.root, join(...stored.split('/')), what);
  const dir = insideRoot(ws.root, dirRel, what);
  const r = relative(dir, abs);
  if (r === '' || r.startsWith('..') || isAbsolute(r)) throw new FixupRefused(`the journal's ${what} ${JSON.stringify(stored)} is not under ${dirRel}`, 'invalid');
  return abs;
}

/** Where escalation material (dumps, log bundles) goes: beside the database. */
export function escalationDir(ws: WorkspaceContext): string {
  return join(resolve(databasePath(ws), '..'), 'escalation');
}
