// The one containment rule for paths that come from a config file, a database row, a journal
// or the disk: resolve symlinks (of the path, or of its nearest existing ancestor when it does not
// exist yet) and require the result to stay inside the workspace. A textual check alone lets a
// symlink that a cloned repository committed lead our reads and writes anywhere.
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FixupRefused } from './types';

/**
 * A path Lifeline will not use: outside the workspace, a special file, too large. `unreadable`
 * marks input that cannot be read as what it claims to be (CLI exit 2); the rest are safety
 * refusals (exit 4).
 */
export class PathRefused extends FixupRefused {
  constructor(
    message: string,
    readonly unreadable = false,
  ) {
    super(message, unreadable ? 'invalid' : 'unsafe');
    this.name = 'PathRefused';
  }
}

/** Windows and macOS file systems ignore case by default; comparing otherwise would let `../REPO` out. */
const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

function norm(p: string): string {
  const r = resolve(p);
  return caseInsensitive ? r.toLowerCase() : r;
}

/** Whether `child` is `parent` or lies inside it, after resolving "." and ".." (no file system access). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(norm(parent), norm(child));
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/** Whether two paths name the same place (textually, with the platform's case rule). */
export function samePath(a: string, b: string): boolean {
  return norm(a) === norm(b);
}

export function hasControlChars(s: string): boolean {
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** `realpath` of `p`, or of its nearest existing ancestor with the missing rest appended. */
export function realPathNearest(p: string): string {
  const missing: string[] = [];
  let cur = resolve(p);
  for (;;) {
    try {
      return join(realpathSync.native(cur), ...missing);
    } catch (e) {
      if (code(e) !== 'ENOENT' && code(e) !== 'ENOTDIR') throw e;
    }
    let exists = false;
    try {
      exists = lstatSync(cur, { throwIfNoEntry: false }) !== undefined;
    } catch {
      // ENOTDIR: an ancestor is a file; keep walking up to find it
    }
    // It is there but cannot be resolved: a symlink to nowhere, which a write would follow.
    if (exists) throw new PathRefused(`${p} is a dangling symbolic link (${cur})`);
    const parent = dirname(cur);
    if (parent === cur) return join(cur, ...missing);
    missing.unshift(basename(cur));
    cur = parent;
  }
}

/** The workspace root as the file system names it (the root itself when it cannot be resolved). */
export function realRoot(root: string): string {
  try {
    return realpathSync.native(root);
  } catch {
    return resolve(root);
  }
}

export interface ContainOptions {
  /** The root itself is an acceptable answer (a folder such as the specs' may be the root). */
  allowRoot?: boolean;
  /** Only the text (a config value): symlinks are judged where the path is used, so one bad link costs one finding, not the whole diagnosis. */
  textOnly?: boolean;
}

/**
 * `p` (relative to `root`, or absolute) resolved through every symlink, required to lie inside
 * the workspace; returns the real path, so whatever uses it reads and writes the file the check
 * saw. Throws a one-line PathRefused naming `what` otherwise.
 */
export function containedPath(root: string, p: string, what: string, options: ContainOptions = {}): string {
  if (typeof p !== 'string' || p.length === 0) throw new PathRefused(`the ${what} path is empty`);
  if (hasControlChars(p)) throw new PathRefused(`the ${what} path ${JSON.stringify(p)} contains control characters`);
  const lexical = resolve(root, p);
  const real = realRoot(root);
  const isRoot = (x: string) => samePath(x, root) || samePath(x, real);
  if (!(isInside(root, lexical) || isInside(real, lexical)) || (!options.allowRoot && isRoot(lexical))) {
    throw new PathRefused(`the ${what} path ${JSON.stringify(p)} is not inside the workspace ${root}`);
  }
  if (options.textOnly) return lexical;
  let resolved: string;
  try {
    resolved = realPathNearest(lexical);
  } catch (e) {
    if (e instanceof PathRefused) throw new PathRefused(`the ${what} path ${JSON.stringify(p)}: ${e.message}`);
    throw new PathRefused(`the ${what} path ${JSON.stringify(p)} cannot be resolved (${code(e) ?? (e as Error).message})`, true);
  }
  if (!isInside(real, resolved) || (!options.allowRoot && isRoot(resolved))) {
    throw new PathRefused(`the ${what} path ${JSON.stringify(p)} leads outside the workspace (to ${resolved}, through a symbolic link)`);
  }
  return resolved;
}

/** How a path is shown and stored: relative with "/" inside the root ("." for the root), absolute outside. */
export function displayPath(root: string, abs: string): string {
  for (const base of [root, realRoot(root)]) {
    if (!isInside(base, abs)) continue;
    const rel = relative(base, abs);
    return rel === '' ? '.' : rel.split(sep).join('/');
  }
  return abs;
}
