// Validation of every name that reaches git or the file system from a database row, a spec
// file or a command line: ref names (git check-ref-format rules, plus no leading "-"),
// workstream ids, and worktree subjects that must name the repository or a listed worktree
// (the containment rule itself is `./contain.ts`).
import { resolve } from 'node:path';
import { hasControlChars, isInside } from './contain';
import { FixupRefused } from './types';

/** Workstream ids as the orchestrator writes them (`ws-15`, `feature.auth_2`). */
const WORKSTREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Returns why `id` is not a safe workstream id, or undefined when it is. */
export function workstreamIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'is empty';
  if (id.length > 200) return 'is longer than 200 characters';
  if (!WORKSTREAM_ID.test(id)) return 'may only hold letters, digits, ".", "_" and "-", and must start with a letter or digit';
  if (id.includes('..')) return 'must not contain ".."';
  if (id.endsWith('.lock') || id.endsWith('.')) return 'must not end with "." or ".lock"';
  return undefined;
}

export function isWorkstreamId(id: string): boolean {
  return workstreamIdProblem(id) === undefined;
}

/**
 * Returns why `name` is not a safe ref name, or undefined. Follows `git check-ref-format`
 * (with --allow-onelevel) and also refuses a leading "-", so a name can never read as an option.
 */
export function refNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 1024) return 'is too long';
  if (name.startsWith('-')) return 'must not start with "-"';
  if (name === '@') return 'must not be "@"';
  if (name.includes('@{')) return 'must not contain "@{"';
  if (name.includes('..')) return 'must not contain ".."';
  if (name.startsWith('/') || name.endsWith('/')) return 'must not start or end with "/"';
  if (name.includes('//')) return 'must not contain "//"';
  if (name.endsWith('.')) return 'must not end with "."';
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return 'must not contain control characters';
    if (' ~^:?*[\\'.includes(ch)) return `must not contain ${JSON.stringify(ch)}`;
  }
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return 'no part may start with "."';
    if (part.endsWith('.lock')) return 'no part may end with ".lock"';
  }
  return undefined;
}

export function isRefName(name: string): boolean {
  return refNameProblem(name) === undefined;
}

/** Throws a one-line error naming what was wrong; returns the name for chaining. */
export function assertRefName(name: string, what = 'branch name'): string {
  const p = refNameProblem(name);
  if (p) throw new FixupRefused(`unsafe ${what} ${JSON.stringify(name)}: ${p}`, 'unsafe');
  return name;
}

export function assertWorkstreamId(id: string): string {
  const p = workstreamIdProblem(id);
  if (p) throw new FixupRefused(`unsafe workstream id ${JSON.stringify(id)}: ${p}`, 'unsafe');
  return id;
}

/** A commit id as git prints it (abbreviated or full, SHA-1 or SHA-256). */
export function isObjectId(s: string): boolean {
  return /^[0-9a-f]{4,64}$/.test(s);
}

/**
 * Resolves `p` (relative to `root`, or absolute) and requires it to lie inside the repository
 * or inside one of `allowed` (e.g. the worktrees git lists). Throws a one-line safety refusal otherwise.
 */
export function resolveInside(root: string, p: string, allowed: readonly string[] = []): string {
  if (hasControlChars(p)) throw new FixupRefused(`unsafe path ${JSON.stringify(p)}: contains control characters`, 'unsafe');
  if (p.length === 0) throw new Error('empty path');
  const abs = resolve(root, p);
  if (isInside(root, abs) || allowed.some((a) => isInside(a, abs))) return abs;
  throw new FixupRefused(`path ${JSON.stringify(p)} is outside the repository and its worktrees`, 'unsafe');
}
