// The playbooks' forbidden-command lists as one checker: which playbooks forbid a command line,
// with each pattern compiled and bounded the way every playbook pattern is (patterns.ts). Pure.
import type { Playbook } from './model';
import { compilePattern, testBounded } from './patterns';

export interface ForbiddenRule {
  playbookId: string;
  title: string;
  reason: string;
  regex: RegExp;
}

/** A forbidden entry before compiling: what the build writes to dist/forbidden.json for the fast hook. */
export interface ForbiddenEntry {
  playbookId: string;
  title: string;
  reason: string;
  pattern: string;
}

/** Every forbidden entry of `playbooks`, in playbook order. */
export function forbiddenEntries(playbooks: readonly Playbook[]): ForbiddenEntry[] {
  return playbooks.flatMap((p) => p.forbidden.map((f) => ({ playbookId: p.id, title: p.title, reason: f.reason, pattern: f.pattern })));
}

/** Entries compiled (case-insensitive), each the way every playbook pattern is. */
export function compileForbiddenEntries(entries: readonly ForbiddenEntry[]): ForbiddenRule[] {
  return entries.map((e) => ({ playbookId: e.playbookId, title: e.title, reason: e.reason, regex: compilePattern(e.pattern) }));
}

/** Every forbidden entry of `playbooks`, compiled (case-insensitive). */
export function compileForbidden(playbooks: readonly Playbook[]): ForbiddenRule[] {
  return compileForbiddenEntries(forbiddenEntries(playbooks));
}

/** The rules `commandLine` breaks, in playbook order. */
export function forbiddenHits(rules: readonly ForbiddenRule[], commandLine: string): ForbiddenRule[] {
  return rules.filter((r) => testBounded(r.regex, commandLine));
}

/** dist/forbidden.json: the built-in playbooks' forbidden entries, and every built-in id in order (for merging). */
export interface ForbiddenTable {
  version: 1;
  playbooks: string[];
  entries: ForbiddenEntry[];
}

export const FORBIDDEN_TABLE = 'forbidden.json';

export function forbiddenTable(builtIn: readonly Playbook[]): ForbiddenTable {
  return { version: 1, playbooks: builtIn.map((p) => p.id), entries: forbiddenEntries(builtIn) };
}

/** The table as read from disk, or undefined when it is not one (nothing on disk is trusted). */
export function parseForbiddenTable(value: unknown): ForbiddenTable | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const str = (x: unknown) => typeof x === 'string';
  if (v.version !== 1 || !Array.isArray(v.playbooks) || !v.playbooks.every(str) || !Array.isArray(v.entries)) return undefined;
  const ok = v.entries.every((e: unknown) => {
    const r = e as Record<string, unknown> | null;
    return typeof r === 'object' && r !== null && str(r.playbookId) && str(r.title) && str(r.reason) && str(r.pattern);
  });
  return ok ? (value as ForbiddenTable) : undefined;
}

/** A workspace playbook's id with its forbidden entries: what the hook keeps of it. */
export interface OwnRules {
  id: string;
  entries: ForbiddenEntry[];
}

export function ownRulesOf(playbooks: readonly Playbook[]): OwnRules[] {
  return playbooks.map((p) => ({ id: p.id, entries: forbiddenEntries([p]) }));
}

/**
 * The entries of the built-ins merged with a workspace's own playbooks, in the order
 * `mergePlaybooks` (collection.ts) gives the playbooks: a user playbook replaces the built-in of
 * its id in place, new ids follow. So `forbiddenEntries(mergePlaybooks(b, u))` equals this.
 */
export function mergeForbiddenEntries(table: ForbiddenTable, user: readonly OwnRules[]): ForbiddenEntry[] {
  const own = new Map(user.map((p) => [p.id, p.entries]));
  const order = [...new Set([...table.playbooks, ...user.map((p) => p.id)])];
  return order.flatMap((id) => own.get(id) ?? table.entries.filter((e) => e.playbookId === id));
}
